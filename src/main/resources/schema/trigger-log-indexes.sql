-- The indexes of the trigger log and its archive (SchemaDdl.shared installs every statement here,
-- in this order). Each statement is named after the index it creates, the name the installer
-- looks up in the catalog; each is idempotent. Built CONCURRENTLY on a log that is there already
-- (Heroku Connect's can hold millions of rows, and a plain build would hold every application
-- write for its whole length); in the transaction that creates the log, plainly. Placeholder:
--   ${schema}          the schema, quoted

-- Heroku Connect's own three (SchemaDdl.HEROKU_CONNECT_INDEXES): kept on a log the original laid
-- out, never dropped there. A log pgforce creates has the three below them instead, which cost a
-- captured row less (no btree entry of a row already done, created_at in a BRIN); on a log an
-- earlier pgforce created, start-up drops these three CONCURRENTLY once the others are built.
-- name: _trigger_log_idx_created_at
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_idx_created_at" ON ${schema}."_trigger_log" (created_at)

-- name: _trigger_log_idx_state_id
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_idx_state_id" ON ${schema}."_trigger_log" (state, id)

-- name: _trigger_log_idx_state_table_name
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_idx_state_table_name" ON ${schema}."_trigger_log" (state, table_name) WHERE state IN ('NEW', 'PENDING')

-- pgforce's log: the claim (NEW, oldest first), the reclaim (PENDING), the commit-consistent barrier
-- name: _trigger_log_idx_queued
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_idx_queued" ON ${schema}."_trigger_log" (id) WHERE state IN ('NEW', 'PENDING')

-- pgforce's log: an operator's retry and ignore, the console's errors (a captured row is NEW: no entry)
-- name: _trigger_log_idx_failed
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_idx_failed" ON ${schema}."_trigger_log" (table_name, id) WHERE state = 'FAILED'

-- pgforce's log: created_at grows with id, and a BRIN entry is a page range's, not a row's
-- name: _trigger_log_idx_created_at_brin
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_idx_created_at_brin" ON ${schema}."_trigger_log" USING brin (created_at)

-- pgforce: per-record lookups (held changes behind a failed insert, deletes of unsent inserts, the
-- sfids learnt from earlier inserts, later changes of a record): every row, whatever its state
-- name: _trigger_log_idx_table_record
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_idx_table_record" ON ${schema}."_trigger_log" (table_name, record_id)

-- pgforce: a read looks up the deletes of the records on its page (a record whose row is gone)
-- name: _trigger_log_idx_delete_sfid
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_idx_delete_sfid" ON ${schema}."_trigger_log" (sfid) WHERE action = 'DELETE'

-- name: _trigger_log_archive_idx_created_at
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_archive_idx_created_at" ON ${schema}."_trigger_log_archive" (created_at)

-- name: _trigger_log_archive_idx_record_id
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_archive_idx_record_id" ON ${schema}."_trigger_log_archive" (record_id)

-- pgforce: activity and "written today" for the console, metrics and the admin API
-- name: _trigger_log_archive_idx_processed_at
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_archive_idx_processed_at" ON ${schema}."_trigger_log_archive" (processed_at)

-- name: _trigger_log_archive_idx_state_table_name
CREATE INDEX CONCURRENTLY IF NOT EXISTS "_trigger_log_archive_idx_state_table_name" ON ${schema}."_trigger_log_archive" (state, table_name) WHERE state = 'FAILED'
