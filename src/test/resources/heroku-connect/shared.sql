-- The objects Heroku Connect (the original) shares between the mappings of one schema, as
-- docs/heroku-connect-schema.md in shared/ describes them; run as one script by HerokuConnectLayout.
-- Placeholders, each a name in ${ } below: schema the schema, quoted; channel '<schema>.hc_trigger_log' as a literal.
-- The function bodies are the original's as public dumps show them, not pgforce's.

CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public;

-- the bypass: the original's own sessions run with xmlbinary = 'hex', applications with 'base64'
CREATE OR REPLACE FUNCTION public.get_xmlbinary() RETURNS varchar LANGUAGE plpgsql AS $fn$
DECLARE
  xmlbin varchar;
BEGIN
  SELECT INTO xmlbin setting FROM pg_settings WHERE name = 'xmlbinary';
  RETURN xmlbin;
END;
$fn$;

CREATE SCHEMA IF NOT EXISTS ${schema};

CREATE TABLE ${schema}."_hcmeta" (id serial PRIMARY KEY, hcver integer, org_id varchar(50), details text);

-- "id serial" names its sequence _trigger_log_id_seq, the name the loggers call nextval on
CREATE TABLE ${schema}."_trigger_log" (
  id serial PRIMARY KEY,
  txid bigint,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  processed_at timestamptz,
  processed_tx bigint,
  state varchar(8),
  action varchar(7),
  table_name varchar(128),
  record_id integer,
  sfid varchar(18),
  old text,
  "values" text,
  sf_result integer,
  sf_message text
);
CREATE INDEX "_trigger_log_idx_created_at" ON ${schema}."_trigger_log" (created_at);
CREATE INDEX "_trigger_log_idx_state_id" ON ${schema}."_trigger_log" (state, id);
CREATE INDEX "_trigger_log_idx_state_table_name" ON ${schema}."_trigger_log" (state, table_name) WHERE state IN ('NEW', 'PENDING');

-- processed rows are moved here with their ids: the log's columns, without its defaults
CREATE TABLE ${schema}."_trigger_log_archive" (LIKE ${schema}."_trigger_log", PRIMARY KEY (id));
CREATE INDEX "_trigger_log_archive_idx_created_at" ON ${schema}."_trigger_log_archive" (created_at);
CREATE INDEX "_trigger_log_archive_idx_record_id" ON ${schema}."_trigger_log_archive" (record_id);
CREATE INDEX "_trigger_log_archive_idx_state_table_name" ON ${schema}."_trigger_log_archive" (state, table_name) WHERE state = 'FAILED';

-- the read side's log
CREATE TABLE ${schema}."_sf_event_log" (
  id serial PRIMARY KEY,
  table_name varchar(128),
  action varchar(7),
  synced_at timestamptz DEFAULT now(),
  sf_timestamp timestamptz,
  sfid varchar(20),
  record text,
  processed boolean
);

-- the original's documented way to resubmit a row: users' scripts call these two
CREATE OR REPLACE FUNCTION ${schema}."hc_capture_insert_from_row"(source_row public.hstore, table_name varchar, excluded_cols text[] DEFAULT ARRAY[]::text[])
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  excluded_cols_standard text[] = ARRAY['_hc_lastop', '_hc_err']::text[];
  retval integer;
BEGIN
  IF (source_row -> 'id') IS NULL THEN
    -- source_row is required to have an int id value
    RETURN NULL;
  END IF;
  excluded_cols_standard := array_remove(array_remove(excluded_cols, 'id'), 'sfid') || excluded_cols_standard;
  INSERT INTO ${schema}."_trigger_log" (action, table_name, txid, created_at, updated_at, state, record_id, sfid, "values")
  VALUES ('INSERT', table_name, txid_current(), clock_timestamp(), clock_timestamp(), 'NEW',
          (source_row -> 'id')::integer, source_row -> 'sfid', (source_row - excluded_cols_standard)::text)
  RETURNING id INTO retval;
  RETURN retval;
END;
$fn$;

CREATE OR REPLACE FUNCTION ${schema}."hc_capture_update_from_row"(source_row public.hstore, table_name varchar, columns_to_include text[] DEFAULT ARRAY[]::text[])
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  excluded_cols_standard text[] = ARRAY['_hc_lastop', '_hc_err']::text[];
  excluded_cols text[];
  retval integer;
BEGIN
  IF (source_row -> 'id') IS NULL THEN
    -- source_row is required to have an int id value
    RETURN NULL;
  END IF;
  IF array_length(columns_to_include, 1) <> 0 THEN
    excluded_cols := ARRAY(SELECT skeys(source_row) EXCEPT SELECT unnest(columns_to_include));
  END IF;
  excluded_cols_standard := excluded_cols || excluded_cols_standard;
  INSERT INTO ${schema}."_trigger_log" (action, table_name, txid, created_at, updated_at, state, record_id, sfid, "values", old)
  VALUES ('UPDATE', table_name, txid_current(), clock_timestamp(), clock_timestamp(), 'NEW',
          (source_row -> 'id')::integer, source_row -> 'sfid', (source_row - excluded_cols_standard)::text, NULL)
  RETURNING id INTO retval;
  RETURN retval;
END;
$fn$;

-- wakes the original's writer on every logged change
CREATE OR REPLACE FUNCTION ${schema}."tlog_notify_trigger"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- VERSION 1 --
  PERFORM pg_notify(${channel}, 'ping');
  RETURN NEW;
END;
$fn$;

CREATE TRIGGER tlog_insert_trigger AFTER INSERT ON ${schema}."_trigger_log" FOR EACH ROW EXECUTE PROCEDURE ${schema}."tlog_notify_trigger"();
