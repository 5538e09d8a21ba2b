-- A version-1 schema exactly as pgforce 1 laid it out (SchemaDdl at commit 6f0d7ce) for the mapping
-- Account {Name varchar(255), External_Id__c varchar(64)} in schema sync: the upgrade test's starting point.

CREATE SCHEMA IF NOT EXISTS "sync";

CREATE TABLE IF NOT EXISTS "sync"."_hcmeta" (id serial PRIMARY KEY, hcver integer, org_id varchar(50), details text);

CREATE SEQUENCE IF NOT EXISTS "sync"."_trigger_log_id_seq";

CREATE TABLE IF NOT EXISTS "sync"."_trigger_log" (id bigint PRIMARY KEY DEFAULT nextval('"sync"."_trigger_log_id_seq"'), txid bigint,
created_at timestamptz DEFAULT now(),
updated_at timestamptz DEFAULT now(),
processed_at timestamptz,
processed_tx bigint,
state varchar(8) NOT NULL,
action varchar(7) NOT NULL,
table_name varchar(128) NOT NULL,
record_id integer NOT NULL,
sfid varchar(18),
old jsonb,
"values" jsonb,
sf_result integer,
sf_message text);

ALTER SEQUENCE "sync"."_trigger_log_id_seq" OWNED BY "sync"."_trigger_log".id;

CREATE TABLE IF NOT EXISTS "sync"."_trigger_log_archive" (id bigint PRIMARY KEY, txid bigint,
created_at timestamptz DEFAULT now(),
updated_at timestamptz DEFAULT now(),
processed_at timestamptz,
processed_tx bigint,
state varchar(8) NOT NULL,
action varchar(7) NOT NULL,
table_name varchar(128) NOT NULL,
record_id integer NOT NULL,
sfid varchar(18),
old jsonb,
"values" jsonb,
sf_result integer,
sf_message text);

CREATE INDEX IF NOT EXISTS _trigger_log_idx_created_at ON "sync"."_trigger_log" (created_at);

CREATE INDEX IF NOT EXISTS _trigger_log_idx_state_id ON "sync"."_trigger_log" (state, id);

CREATE INDEX IF NOT EXISTS _trigger_log_idx_state_table_name ON "sync"."_trigger_log" (state, table_name) WHERE state IN ('NEW', 'PENDING');

CREATE INDEX IF NOT EXISTS _trigger_log_idx_table_record ON "sync"."_trigger_log" (table_name, record_id);

CREATE INDEX IF NOT EXISTS _trigger_log_archive_idx_created_at ON "sync"."_trigger_log_archive" (created_at);

CREATE INDEX IF NOT EXISTS _trigger_log_archive_idx_record_id ON "sync"."_trigger_log_archive" (record_id);

CREATE INDEX IF NOT EXISTS _trigger_log_archive_idx_state_table_name ON "sync"."_trigger_log_archive" (state, table_name) WHERE state = 'FAILED';

CREATE TABLE IF NOT EXISTS "sync"."_hc_writer" (id integer PRIMARY KEY CHECK (id = 1), owner text NOT NULL, expires_at timestamptz NOT NULL, acquired_at timestamptz NOT NULL DEFAULT now());

CREATE OR REPLACE FUNCTION "sync"."get_xmlbinary"() RETURNS varchar LANGUAGE sql STABLE AS $$ SELECT current_setting('xmlbinary')::varchar $$;

CREATE OR REPLACE FUNCTION "sync"."hc_capture"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  cols text[] := TG_ARGV[1:array_upper(TG_ARGV, 1)];
  new_row jsonb;
  old_row jsonb;
  vals jsonb;
  old_vals jsonb;
  rec_id integer;
  rec_sfid varchar(18);
  st varchar(8) := 'NEW';
BEGIN
  IF TG_OP = 'INSERT' THEN
    new_row := to_jsonb(NEW);
    SELECT jsonb_object_agg(k, new_row -> k) INTO vals FROM unnest(cols) AS k;
    rec_id := NEW.id;
    rec_sfid := NEW.sfid;
  ELSIF TG_OP = 'UPDATE' THEN
    new_row := to_jsonb(NEW);
    old_row := to_jsonb(OLD);
    SELECT jsonb_object_agg(k, new_row -> k) INTO vals FROM unnest(cols) AS k WHERE (new_row -> k) IS DISTINCT FROM (old_row -> k);
    SELECT jsonb_object_agg(k, old_row -> k) INTO old_vals FROM unnest(cols) AS k;
    rec_id := NEW.id;
    rec_sfid := COALESCE(OLD.sfid, NEW.sfid);
    IF vals IS NULL THEN
      st := 'IGNORE';
    END IF;
  ELSE
    old_row := to_jsonb(OLD);
    SELECT jsonb_object_agg(k, old_row -> k) INTO old_vals FROM unnest(cols) AS k;
    rec_id := OLD.id;
    rec_sfid := OLD.sfid;
    IF OLD.sfid IS NULL AND NOT EXISTS (SELECT 1 FROM "sync"."_trigger_log" l WHERE l.table_name = TG_TABLE_NAME
        AND l.record_id = OLD.id AND l.action = 'INSERT' AND l.state IN ('NEW', 'PENDING', 'FAILED')) THEN
      st := 'IGNORE';
    END IF;
  END IF;
  IF TG_ARGV[0] = 'read_only' THEN
    st := 'READONLY';
  END IF;
  INSERT INTO "sync"."_trigger_log" (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
    VALUES (txid_current(), clock_timestamp(), clock_timestamp(), st, TG_OP, TG_TABLE_NAME, rec_id, rec_sfid, old_vals, vals);
  IF st = 'NEW' THEN
    -- Postgres folds identical notifications of one transaction into one
    PERFORM pg_notify('sync_hc_trigger_log', 'ping');
    PERFORM pg_notify('sync.hc_trigger_log', 'ping');
  END IF;
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION "sync"."hc_status"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  new_row jsonb;
  old_row jsonb;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    new_row := to_jsonb(NEW);
    old_row := to_jsonb(OLD);
    IF NOT EXISTS (SELECT 1 FROM unnest(TG_ARGV) AS k WHERE (new_row -> k) IS DISTINCT FROM (old_row -> k)) THEN
      RETURN NEW;
    END IF;
  END IF;
  NEW._hc_lastop := 'PENDING';
  NEW._hc_err := NULL;
  RETURN NEW;
END
$fn$;

CREATE OR REPLACE FUNCTION "sync"."hc_trigger_log_notify"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('sync_hc_trigger_log', 'ping');
  PERFORM pg_notify('sync.hc_trigger_log', 'ping');
  RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS hc_trigger_log_resubmit ON "sync"."_trigger_log";

CREATE TRIGGER hc_trigger_log_resubmit AFTER UPDATE OF state ON "sync"."_trigger_log" FOR EACH ROW WHEN (NEW.state = 'NEW' AND OLD.state NOT IN ('NEW', 'PENDING')) EXECUTE FUNCTION "sync"."hc_trigger_log_notify"();

CREATE TABLE IF NOT EXISTS "sync"."account" (id serial PRIMARY KEY, sfid varchar(18), systemmodstamp timestamp, createddate timestamp, isdeleted boolean, _hc_lastop varchar(32), _hc_err text);

ALTER TABLE "sync"."account" ADD COLUMN IF NOT EXISTS "sfid" varchar(18);

ALTER TABLE "sync"."account" ADD COLUMN IF NOT EXISTS "systemmodstamp" timestamp;

ALTER TABLE "sync"."account" ADD COLUMN IF NOT EXISTS "createddate" timestamp;

ALTER TABLE "sync"."account" ADD COLUMN IF NOT EXISTS "isdeleted" boolean;

ALTER TABLE "sync"."account" ADD COLUMN IF NOT EXISTS "_hc_lastop" varchar(32);

ALTER TABLE "sync"."account" ADD COLUMN IF NOT EXISTS "_hc_err" text;

ALTER TABLE "sync"."account" ADD COLUMN IF NOT EXISTS "name" varchar(255);

ALTER TABLE "sync"."account" ADD COLUMN IF NOT EXISTS "external_id__c" varchar(64);

CREATE UNIQUE INDEX IF NOT EXISTS "hcu_idx_account_sfid" ON "sync"."account" (sfid);

CREATE INDEX IF NOT EXISTS "hc_idx_account_systemmodstamp" ON "sync"."account" (systemmodstamp);

CREATE UNIQUE INDEX IF NOT EXISTS "hcu_idx_account_external_id__c" ON "sync"."account" ("external_id__c");

DROP TRIGGER IF EXISTS "hc_account_logtrigger" ON "sync"."account";

DROP TRIGGER IF EXISTS "hc_account_status_trigger" ON "sync"."account";

CREATE TRIGGER "hc_account_logtrigger" AFTER INSERT OR UPDATE OR DELETE ON "sync"."account" FOR EACH ROW WHEN ("sync"."get_xmlbinary"() = 'base64') EXECUTE FUNCTION "sync"."hc_capture"('read_write', 'name', 'external_id__c');

CREATE TRIGGER "hc_account_status_trigger" BEFORE INSERT OR UPDATE ON "sync"."account" FOR EACH ROW WHEN ("sync"."get_xmlbinary"() = 'base64') EXECUTE FUNCTION "sync"."hc_status"('name', 'external_id__c');

INSERT INTO "sync"."_hcmeta" (hcver, details) VALUES (1, 'installed by pgforce');
