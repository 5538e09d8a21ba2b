-- Housekeeping (Housekeeping): requeue, archive, purge. Placeholders: those of trigger-log.sql, and
--   ${laterInLog}, ${laterInArchive}  the piece later-written of each
--   ${from}                      ${log} or ${archive}

-- archived rows a user marked REQUEUE go back to the live log as NEW under their original id
-- (parameter: the owner)
-- name: requeue
WITH requeued AS (UPDATE ${archive} SET state = ${REQUEUED}, updated_at = clock_timestamp()
                  WHERE state = ${REQUEUE} AND ${fence}
                  RETURNING id, txid, created_at, action, table_name, record_id, sfid, old, values, sent_at, sf_result)
INSERT INTO ${log} (id, txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, values, sent_at, sf_result)
SELECT id, txid, created_at, clock_timestamp(), ${NEW}, action, table_name, record_id, sfid, old, values, sent_at, sf_result FROM requeued
ON CONFLICT (id) DO UPDATE SET state = ${NEW}, updated_at = EXCLUDED.updated_at, processed_at = NULL,
  sf_result = EXCLUDED.sf_result, sf_message = NULL

-- processed rows older than the delay (parameters: the delay in seconds, the owner), 50,000 a
-- statement, except a FAILED insert while later changes of its record wait behind it; a row
-- archived before replaces its older archived copy
-- name: archive
WITH moved AS (DELETE FROM ${log} AS t
               WHERE t.id IN (SELECT a.id FROM ${log} AS a
                              WHERE a.state IN (${PROCESSED}) AND a.updated_at < clock_timestamp() - make_interval(secs => ?)
                                AND NOT (a.state = ${FAILED} AND a.action = 'INSERT'
                                         AND EXISTS (SELECT 1 FROM ${log} AS h WHERE h.table_name = a.table_name AND h.record_id = a.record_id
                                                     AND h.id > a.id AND h.state IN (${QUEUED})))
                              ORDER BY a.id LIMIT 50000 FOR UPDATE SKIP LOCKED)
                 AND ${fence}
               RETURNING t.*)
INSERT INTO ${archive} (id, txid, created_at, updated_at, processed_at, processed_tx, state, action, table_name, record_id, sfid, old, values,
                        sf_result, sf_message, sent_at, bulk_job_id)
SELECT id, txid, created_at, updated_at, processed_at, processed_tx, state, action, table_name, record_id, sfid, old, values,
       sf_result, sf_message, sent_at, bulk_job_id FROM moved
ON CONFLICT (id) DO UPDATE SET txid = EXCLUDED.txid, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
  processed_at = EXCLUDED.processed_at, processed_tx = EXCLUDED.processed_tx, state = EXCLUDED.state, action = EXCLUDED.action,
  table_name = EXCLUDED.table_name, record_id = EXCLUDED.record_id, sfid = EXCLUDED.sfid, old = EXCLUDED.old, values = EXCLUDED.values,
  sf_result = EXCLUDED.sf_result, sf_message = EXCLUDED.sf_message, sent_at = EXCLUDED.sent_at, bulk_job_id = EXCLUDED.bulk_job_id

-- archived rows older than the retention (parameters: the days, the owner), except a REQUEUE and a
-- FAILED row no later change of its record (live or archived) has written since
-- name: purge
DELETE FROM ${archive} AS a
WHERE a.created_at < clock_timestamp() - make_interval(days => ?) AND a.state <> ${REQUEUE}
  AND (a.state <> ${FAILED} OR ${laterInLog} OR ${laterInArchive})
  AND ${fence}

-- a change of the archived row a's record, after it, in ${from} reached Salesforce
-- name: later-written
EXISTS (SELECT 1 FROM ${from} AS w WHERE w.table_name = a.table_name AND w.record_id = a.record_id AND w.id > a.id
        AND w.state IN (${SUCCESS}, ${MERGED}))
