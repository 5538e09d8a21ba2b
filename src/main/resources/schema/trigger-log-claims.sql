-- Claiming changes (Claims): claim, reclaim, hold, and what loading the claimed rows reads.
-- Placeholders: those of trigger-log.sql, and
--   ${held}                      the piece held-back under Ordered Writes, else nothing
--   ${neverInserted}, ${heldNote}
--                                the piece note: the sf_message of a change of a deleted row whose
--                                insert f failed, and of one held behind f
--   ${prefix}, ${suffix}         the note's text around f's id, as literals (Claims.neverInsertedNote, heldNote)
--   ${from}                      ${log} or ${archive}
--   ${tables}                    ", " and each mapping table, schema-qualified and quoted

-- NEW rows, oldest first, become PENDING and are marked sent (parameters: the limit, the owner);
-- nothing is claimed while an operator has paused writing
-- name: claim
UPDATE ${log} AS t
SET state = ${PENDING}, updated_at = clock_timestamp(), sf_message = NULL, sent_at = COALESCE(t.sent_at, clock_timestamp())
FROM (SELECT c.id, c.sent_at IS NOT NULL AS sent, false AS early
      FROM ${log} AS c
      WHERE c.state = ${NEW} ${held}
      ORDER BY c.id LIMIT ? FOR UPDATE OF c SKIP LOCKED) AS n
WHERE t.id = n.id AND ${fence}
  AND NOT EXISTS (SELECT 1 FROM ${connection} AS p WHERE p.id = 1 AND p.paused)
RETURNING t.id, t.table_name, t.action, t.record_id, t.sfid, t.values::text, n.sent, n.early, t.bulk_job_id, t.sf_result IS NOT DISTINCT FROM 1, t.txid

-- claim, commit-consistent: not past the first change a transaction newer than the oldest one
-- still open wrote (the barrier), unless it has waited the maximum (parameters: the maximum wait
-- in seconds, the limit, the owner); a row says whether it was claimed past such a transaction
-- name: claim-commit-consistent
WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin),
     barrier AS (SELECT min(o.id) AS id FROM ${log} AS o, h WHERE o.state = ${NEW} AND o.txid >= h.xmin
                 AND o.created_at > clock_timestamp() - make_interval(secs => ?))
UPDATE ${log} AS t
SET state = ${PENDING}, updated_at = clock_timestamp(), sf_message = NULL, sent_at = COALESCE(t.sent_at, clock_timestamp())
FROM (SELECT c.id, c.sent_at IS NOT NULL AS sent, c.txid >= h.xmin AS early
      FROM ${log} AS c, h, barrier AS b
      WHERE c.state = ${NEW} ${held} AND (b.id IS NULL OR c.id < b.id)
      ORDER BY c.id LIMIT ? FOR UPDATE OF c SKIP LOCKED) AS n
WHERE t.id = n.id AND ${fence}
  AND NOT EXISTS (SELECT 1 FROM ${connection} AS p WHERE p.id = 1 AND p.paused)
RETURNING t.id, t.table_name, t.action, t.record_id, t.sfid, t.values::text, n.sent, n.early, t.bulk_job_id, t.sf_result IS NOT DISTINCT FROM 1, t.txid

-- Ordered Writes: a change waits while an earlier INSERT of its record is FAILED
-- name: held-back
AND NOT EXISTS (SELECT 1 FROM ${log} AS f WHERE f.table_name = c.table_name AND f.record_id = c.record_id
                AND f.action = 'INSERT' AND f.state = ${FAILED} AND f.id < c.id)

-- name: kept-back
SELECT EXISTS (SELECT 1 FROM ${log} AS o WHERE o.state = ${NEW} AND o.txid >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint)

-- name: reclaim
UPDATE ${log} SET state = ${NEW}, updated_at = clock_timestamp() WHERE state = ${PENDING} AND ${fence}

-- a change behind a failed insert f whose row is deleted since (a DELETE at or after it): IGNORED
-- name: never-inserted
UPDATE ${log} AS h
SET state = ${IGNORED}, sf_message = ${neverInserted}, processed_at = clock_timestamp(), processed_tx = txid_current(), updated_at = clock_timestamp()
FROM ${log} AS f
WHERE h.state = ${NEW} AND f.table_name = h.table_name AND f.record_id = h.record_id
  AND f.action = 'INSERT' AND f.state = ${FAILED} AND f.id < h.id
  AND EXISTS (SELECT 1 FROM ${log} AS d WHERE d.table_name = h.table_name AND d.record_id = h.record_id AND d.action = 'DELETE' AND d.id >= h.id)
  AND ${fence}

-- a change behind a failed insert f says so (written only when its note is not there yet)
-- name: hold
UPDATE ${log} AS h SET sf_message = ${heldNote}
FROM ${log} AS f
WHERE h.state = ${NEW} AND f.table_name = h.table_name AND f.record_id = h.record_id
  AND f.action = 'INSERT' AND f.state = ${FAILED} AND f.id < h.id
  AND h.sf_message IS DISTINCT FROM ${heldNote} AND ${fence}

-- name: note
(${prefix} || f.id || ${suffix})

-- parameters: the mapping table's name, its record ids
-- name: learnt-sfids
SELECT record_id, sfid FROM ${from} WHERE table_name = ? AND record_id = ANY(?) AND sfid IS NOT NULL AND state = (SELECT ${SUCCESS}) ORDER BY id

-- name: analyze
ANALYZE ${log}${tables}
