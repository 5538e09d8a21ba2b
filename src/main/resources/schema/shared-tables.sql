-- The tables every mapping of a schema shares, as Heroku Connect lays them out, and pgforce's own
-- (SchemaDdl.shared). Each statement is named after the object it creates, the name the installer
-- looks up in the catalog; each is idempotent. Placeholders:
--   ${schema}          the schema, quoted
--   ${sequenceName}    the trigger log's id sequence, schema-qualified, as a literal
--   ${logColumns}      the trigger log's columns after id, which the archive has too (SchemaDdl.LOG_COLUMNS)

-- Heroku Connect's metadata table, laid out as the original's for tools that read it; its hcver
-- numbers are the original's, and pgforce writes none (up to version 3 it did, saying "by pgforce")
-- name: _hcmeta
CREATE TABLE IF NOT EXISTS ${schema}."_hcmeta" (id serial PRIMARY KEY, hcver integer, org_id varchar(50), details text)

-- pgforce's own schema version, a row for each pgforce that laid it out, upgraded or adopted it
-- name: _pgforce_schema
CREATE TABLE IF NOT EXISTS ${schema}."_pgforce_schema" (id serial PRIMARY KEY, version integer NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), details text)

-- name: _trigger_log_id_seq
CREATE SEQUENCE IF NOT EXISTS ${schema}."_trigger_log_id_seq"

-- name: _trigger_log
CREATE TABLE IF NOT EXISTS ${schema}."_trigger_log" (id bigint PRIMARY KEY DEFAULT nextval(${sequenceName}), ${logColumns})

-- run right after the table: the sequence goes with it
-- name: _trigger_log-owns-sequence
ALTER SEQUENCE ${schema}."_trigger_log_id_seq" OWNED BY ${schema}."_trigger_log".id

-- the archive keeps each row's original id, so a requeued row goes back to its place in the order
-- name: _trigger_log_archive
CREATE TABLE IF NOT EXISTS ${schema}."_trigger_log_archive" (id bigint PRIMARY KEY, ${logColumns})

-- one active writer per schema; see cycle.WriterLease
-- name: _hc_writer
CREATE TABLE IF NOT EXISTS ${schema}."_hc_writer" (id integer PRIMARY KEY CHECK (id = 1), owner text NOT NULL, expires_at timestamptz NOT NULL, acquired_at timestamptz NOT NULL DEFAULT now())

-- an operator's pause, seen by whichever instance writes; see connection.PauseSwitch
-- name: _hc_connection
CREATE TABLE IF NOT EXISTS ${schema}."_hc_connection" (id integer PRIMARY KEY CHECK (id = 1), paused boolean NOT NULL, changed_at timestamptz NOT NULL DEFAULT now(), changed_by text)

-- where each mapping's read from Salesforce stands (io.pgforce.read.ReadStates, docs/reading.md): its
-- phase, the newest SystemModstamp applied (a read resumes from there), its last poll and error, counts
-- name: _pgforce_read_state
CREATE TABLE IF NOT EXISTS ${schema}."_pgforce_read_state" (table_name varchar(128) PRIMARY KEY, object_name varchar(128) NOT NULL, phase varchar(16) NOT NULL, watermark timestamptz, loaded_at timestamptz, last_poll_started timestamptz, last_poll_ended timestamptz, last_error text, records_applied bigint NOT NULL DEFAULT 0, records_failed bigint NOT NULL DEFAULT 0, api_calls bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now())
