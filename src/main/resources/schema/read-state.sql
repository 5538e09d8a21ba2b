-- Where each mapping's read stands, one row a mapping table in _pgforce_read_state
-- (io.pgforce.read.ReadStates; ReadStatistics and MappingReload for the operations surface; docs/reading.md). Placeholders:
--   ${state}                              _pgforce_read_state, schema-qualified and quoted
--   ${table}, ${name}                     the mapping table, schema-qualified and quoted; its name as a literal
--   ${LOADING}, ${SYNCED}, ${ERROR}, ${PAUSED}
--                                         each phase of ReadPhase as a literal

-- A read begins: a mapping met for the first time starts from the newest SystemModstamp its table
-- holds (a table taken over from Heroku Connect goes on from there, no full reload; the column is a
-- timestamp in UTC), an empty table with a full load. Returns the watermark, whether the load is
-- still to finish, the start (the database's time), and a Bulk load's job, its next locator and
-- when the read that created the job began (parameter: the object)
-- name: begin
INSERT INTO ${state} AS s (table_name, object_name, phase, watermark, loaded_at, last_poll_started)
SELECT ${name}, ?, CASE WHEN m.newest IS NULL THEN ${LOADING} ELSE ${SYNCED} END, m.newest, CASE WHEN m.newest IS NULL THEN NULL ELSE now() END, now()
  FROM (SELECT max(systemmodstamp) AT TIME ZONE 'UTC' AS newest FROM ${table}) AS m
ON CONFLICT (table_name) DO UPDATE SET object_name = EXCLUDED.object_name, last_poll_started = now(), last_poll_api_calls = 0,
  reload_requested = false, phase = CASE WHEN s.loaded_at IS NULL THEN ${LOADING} ELSE ${SYNCED} END, updated_at = now()
RETURNING watermark, loaded_at IS NULL, last_poll_started, bulk_job_id, bulk_locator, bulk_job_started

-- A page is applied, in its transaction: the watermark moves on to its newest SystemModstamp (never
-- back; not while a reload waits for the next read to begin from nothing), the counts grow, the page
-- was one API call (parameters: the newest stamp or null, records applied, records failed, the table)
-- name: page-applied
UPDATE ${state} SET watermark = CASE WHEN reload_requested THEN watermark ELSE GREATEST(watermark, ?) END,
  records_applied = records_applied + ?, records_failed = records_failed + ?, api_calls = api_calls + 1, last_poll_api_calls = last_poll_api_calls + 1,
  load_api_calls = load_api_calls + CASE WHEN loaded_at IS NULL AND NOT reload_requested THEN 1 ELSE 0 END, updated_at = now()
WHERE table_name = ?

-- A call of a read other than a page (a load's COUNT(), a Bulk job's status poll), counted as a page is (parameter: the table)
-- name: call
UPDATE ${state} SET api_calls = api_calls + 1, last_poll_api_calls = last_poll_api_calls + 1,
  load_api_calls = load_api_calls + CASE WHEN loaded_at IS NULL AND NOT reload_requested THEN 1 ELSE 0 END, updated_at = now()
WHERE table_name = ?

-- A Bulk load's query job is created: recorded at once, so that a load interrupted from here on
-- goes on with it, from its first results page; not once a reload is asked for, which begins anew.
-- The creation is a call, counted as a page is (parameters: the job id, the table)
-- name: bulk-job-created
UPDATE ${state} SET bulk_job_id = CASE WHEN reload_requested THEN bulk_job_id ELSE ? END,
  bulk_locator = CASE WHEN reload_requested THEN bulk_locator ELSE NULL END,
  bulk_job_started = CASE WHEN reload_requested THEN bulk_job_started ELSE last_poll_started END,
  api_calls = api_calls + 1, last_poll_api_calls = last_poll_api_calls + 1,
  load_api_calls = load_api_calls + CASE WHEN loaded_at IS NULL AND NOT reload_requested THEN 1 ELSE 0 END, updated_at = now()
WHERE table_name = ?

-- A Bulk load's job failed, was aborted or is gone: the next one starts from the first page (parameter: the table)
-- name: bulk-job-gone
UPDATE ${state} SET bulk_job_id = NULL, bulk_locator = NULL, bulk_job_started = NULL, updated_at = now() WHERE table_name = ?

-- In a results page's transaction: the locator of the page after it ('null' after the last) (parameters: the locator, the table)
-- name: locator-applied
UPDATE ${state} SET bulk_locator = ? WHERE table_name = ?

-- the read got to the end of the query: a load is complete, its Bulk job done with, unless a reload was
-- asked for meanwhile (parameter: the table)
-- name: done
UPDATE ${state} SET phase = CASE WHEN reload_requested THEN phase ELSE ${SYNCED} END,
  loaded_at = CASE WHEN reload_requested THEN loaded_at ELSE COALESCE(loaded_at, now()) END, last_poll_ended = now(), last_error = NULL,
  bulk_job_id = NULL, bulk_locator = NULL, bulk_job_started = NULL, updated_at = now()
WHERE table_name = ?

-- the read waits for Salesforce or the database: its phase stays, the reason shows (parameters: the reason, the table)
-- name: waiting
UPDATE ${state} SET last_error = ?, last_poll_ended = now(), updated_at = now() WHERE table_name = ?

-- (parameters: the reason, the table)
-- name: failed
UPDATE ${state} SET phase = ${ERROR}, last_error = ?, last_poll_ended = now(), updated_at = now() WHERE table_name = ?

-- an operator's pause stops reads as well as writes
-- name: paused
UPDATE ${state} SET phase = ${PAUSED}, updated_at = now() WHERE phase <> ${PAUSED}

-- when each mapping was last read, so that a restart does not poll before its interval is up
-- name: last-polls
SELECT table_name, last_poll_ended FROM ${state}

-- An operator's reload: the next read loads the object from nothing, a Bulk load under way too (the rows there are matched by
-- sfid, not duplicated); a read in flight meanwhile moves neither the watermark nor the load's end
-- (parameter: the object)
-- name: reload
INSERT INTO ${state} AS s (table_name, object_name, phase, reload_requested) VALUES (${name}, ?, ${LOADING}, true)
ON CONFLICT (table_name) DO UPDATE SET phase = ${LOADING}, watermark = NULL, loaded_at = NULL, load_api_calls = 0, last_error = NULL,
  reload_requested = true, bulk_job_id = NULL, bulk_locator = NULL, bulk_job_started = NULL, updated_at = now()

-- every mapping's read as the operations surface shows it; the lag in the database's time, as the watermark
-- name: states
SELECT table_name, phase, watermark, EXTRACT(EPOCH FROM now() - watermark)::double precision AS lag_seconds, loaded_at, last_poll_started,
  last_poll_ended, last_error, records_applied, records_failed, api_calls, last_poll_api_calls, load_api_calls, reload_requested
FROM ${state}
