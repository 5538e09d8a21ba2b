-- Settling claimed changes (Settler): recording their outcome in the trigger log, and with it
-- the mapping rows' status columns. Placeholders: those of trigger-log.sql, and
--   ${state}                     MERGED or IGNORED, as a literal
--   ${n}                         the number of a mapping table in the statement: 0, 1, ...
--   ${table}, ${name}            the mapping table, schema-qualified and quoted; its name as a literal
--   ${alias}                     the alias of the rows whose mapping row must not be skipped
--   ${rowFree}, ${later}, ${skippedRows}, ${skippedKeys}
--                                the pieces row-free (or true: no mapping row is written back), later,
--                                skipped-row (joined by UNION ALL), skipped-keys (or NULL::text[])

-- rows with nothing to send (parameters: sf_message, the ids, the owner)
-- name: settle-unsent
UPDATE ${log} SET state = ${state}, sf_message = ?, bulk_job_id = NULL,
  processed_at = clock_timestamp(), processed_tx = txid_current(), updated_at = clock_timestamp()
WHERE id = ANY(?) AND state = (SELECT ${PENDING}) AND ${fence}

-- parameters: the Bulk job id, the ids, the owner
-- name: mark-bulk-job
UPDATE ${log} SET bulk_job_id = ? WHERE id = ANY(?) AND state = (SELECT ${PENDING}) AND ${fence}

-- The settle, one statement of data-modifying CTEs (Settler.SettleStatement puts them together, a
-- lock-rows and a mapping-rows for each mapping table): settle-lease first, settle-result last.
-- Each CTE after the lease is fenced on the lease row it locks.
-- name: settle-lease
WITH lease AS MATERIALIZED (${lease})

-- the mapping rows to write back, skipping those the application holds (parameter: their ids)
-- name: lock-rows
, lock_${n} AS MATERIALIZED (SELECT r.id FROM ${table} AS r WHERE r.id = ANY(?::integer[]) FOR UPDATE SKIP LOCKED)

-- usually every row is locked: then the difference is empty and the table is not read again
-- (parameter: the ids again)
-- name: skipped-row
SELECT ${name}::text AS t, x.id FROM unnest(?::integer[]) AS x(id)
WHERE x.id NOT IN (SELECT id FROM lock_${n}) AND EXISTS (SELECT 1 FROM ${table} AS r WHERE r.id = x.id)

-- name: skipped
, skipped AS MATERIALIZED (${skippedRows})

-- name: row-free
(${alias}.table_name, ${alias}.record_id) NOT IN (SELECT t, id FROM skipped)

-- the log rows, and the rows folded into them (parameters: one array a column of v)
-- name: logged
, logged AS (UPDATE ${log} AS t
  SET state = v.state, sfid = COALESCE(v.sfid, t.sfid), sf_result = v.result, sf_message = v.message, bulk_job_id = NULL,
      processed_at = CASE WHEN v.state = ${NEW} THEN NULL ELSE clock_timestamp() END,
      processed_tx = CASE WHEN v.state = ${NEW} THEN NULL ELSE txid_current() END,
      updated_at = clock_timestamp()
  FROM unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::integer[], ?::text[], ?::varchar[], ?::integer[], ?::boolean[])
       AS v(id, state, sfid, result, message, table_name, record_id, needs_row)
  WHERE t.id = v.id AND t.state = (SELECT ${PENDING}) AND (NOT v.needs_row OR ${rowFree}) AND EXISTS (SELECT 1 FROM lease)
  RETURNING CASE WHEN v.state = ${SUCCESS} THEN extract(epoch FROM clock_timestamp() - t.created_at) END AS latency)

-- a failed insert resent with a later change of its record (Merged Writes) is settled by that
-- change's success (parameters: the successful inserts' ids, tables, record ids)
-- name: replaced
, replaced AS (UPDATE ${log} AS t
  SET state = ${MERGED}, sf_message = 'resent with trigger log id ' || i.id, processed_at = clock_timestamp(), processed_tx = txid_current(),
      updated_at = clock_timestamp()
  FROM unnest(?::bigint[], ?::varchar[], ?::integer[]) AS i(id, table_name, record_id)
  WHERE t.table_name = i.table_name AND t.record_id = i.record_id AND t.action = 'INSERT' AND t.state = (SELECT ${FAILED}) AND t.id < i.id
    AND ${rowFree} AND EXISTS (SELECT 1 FROM lease))

-- a later change of the mapping row m is still queued, other than those this statement settles
-- (parameter: their ids)
-- name: later
EXISTS (SELECT 1 FROM ${log} AS l WHERE l.table_name = ${name} AND l.record_id = m.record_id AND l.id > m.log_id
        AND l.state = ANY ((SELECT ARRAY[${QUEUED}])::text[]) AND l.id <> ALL (?::bigint[]))

-- the mapping rows' sfid (unless another row holds it: the unique index would refuse the whole
-- settle), _hc_lastop and _hc_err (only while no later change is queued) (parameters: those of the
-- two later, then one array a column of m)
-- name: mapping-rows
, row_${n} AS (UPDATE ${table} AS r
  SET sfid = CASE WHEN m.sfid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${table} AS o WHERE o.sfid = m.sfid AND o.id <> r.id) THEN m.sfid ELSE r.sfid END,
      _hc_lastop = CASE WHEN ${later} THEN r._hc_lastop ELSE m.lastop END,
      _hc_err = CASE WHEN ${later} THEN r._hc_err ELSE m.err END
  FROM unnest(?::integer[], ?::bigint[], ?::varchar[], ?::varchar[], ?::text[]) AS m(record_id, log_id, sfid, lastop, err)
  WHERE r.id = m.record_id AND r.id IN (SELECT id FROM lock_${n}) AND EXISTS (SELECT 1 FROM lease))

-- whether the lease was held, the latencies of the changes written, the mapping rows skipped
-- name: settle-result
SELECT EXISTS (SELECT 1 FROM lease), (SELECT array_agg(latency) FROM logged WHERE latency IS NOT NULL), ${skippedKeys}

-- name: skipped-keys
(SELECT array_agg(t || ':' || id) FROM skipped)
