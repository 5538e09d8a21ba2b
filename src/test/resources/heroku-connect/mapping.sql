-- One mapping's table, indexes, functions and triggers as Heroku Connect (the original) lays them
-- out; run as one script by HerokuConnectLayout. Placeholders, each a name in ${ } below:
--   schema                         the schema, quoted
--   table                          the mapping table, schema-qualified and quoted
--   columns                        the mapped field and relationship columns with their types, each followed by a comma
--   sfidIndex, systemmodstampIndex hcu_idx_<table>_sfid, hc_idx_<table>_systemmodstamp, quoted
--   logger, status                 hc_<table>_logger, hc_<table>_status, schema-qualified and quoted
--   logTrigger, statusTrigger      hc_<table>_logtrigger, hc_<table>_status_trigger, quoted
--   state                          'NEW' for a read-write mapping, 'READONLY' for a read-only one
--   sequence                       the trigger log's sequence, schema-qualified, as a literal

CREATE TABLE ${table} (
  id serial PRIMARY KEY,
  ${columns}
  sfid varchar(18),
  systemmodstamp timestamp,
  createddate timestamp,
  isdeleted boolean,
  _hc_lastop varchar(32),
  _hc_err text
);
CREATE UNIQUE INDEX ${sfidIndex} ON ${table} (sfid);
CREATE INDEX ${systemmodstampIndex} ON ${table} (systemmodstamp);

-- builds the whole log row, then inserts it by position (the original's way); hstore is stored as text
CREATE OR REPLACE FUNCTION ${logger}() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  trigger_row ${schema}."_trigger_log";
  excluded_cols text[] = ARRAY['_hc_lastop', '_hc_err']::text[];
BEGIN
  -- VERSION 4 --
  trigger_row = ROW();
  trigger_row.id = nextval(${sequence});
  trigger_row.action = TG_OP::text;
  trigger_row.table_name = TG_TABLE_NAME::text;
  trigger_row.txid = txid_current();
  trigger_row.created_at = clock_timestamp();
  trigger_row.updated_at = trigger_row.created_at;
  trigger_row.state = ${state};

  IF (TG_OP = 'DELETE') THEN
    trigger_row.record_id = OLD.id;
    trigger_row.old = (hstore(OLD.*) - excluded_cols)::text;
    IF (OLD.sfid IS NOT NULL) THEN
      trigger_row.sfid = OLD.sfid;
    END IF;

  ELSEIF (TG_OP = 'INSERT') THEN
    trigger_row.record_id = NEW.id;
    trigger_row.values = (hstore(NEW.*) - excluded_cols)::text;

  ELSEIF (TG_OP = 'UPDATE') THEN
    trigger_row.record_id = NEW.id;
    trigger_row.old = (hstore(OLD.*) - excluded_cols)::text;
    -- the changed columns only
    trigger_row.values = ((hstore(NEW.*) - hstore(OLD.*)) - excluded_cols)::text;
    IF (OLD.sfid IS NOT NULL) THEN
      trigger_row.sfid = OLD.sfid;
    END IF;
  END IF;

  INSERT INTO ${schema}."_trigger_log" VALUES (trigger_row.*);
  RETURN NULL;
END;
$fn$;

-- an application's write is PENDING; the original's own (xmlbinary hex) is SYNCED unless it sets _hc_lastop itself
CREATE OR REPLACE FUNCTION ${status}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF (public.get_xmlbinary() = 'base64') THEN
    NEW._hc_lastop = 'PENDING';
    NEW._hc_err = NULL;
    RETURN NEW;
  END IF;
  IF (TG_OP = 'UPDATE' AND NEW._hc_lastop IS NOT NULL AND NEW._hc_lastop IS DISTINCT FROM OLD._hc_lastop)
     OR (TG_OP = 'INSERT' AND NEW._hc_lastop IS NOT NULL) THEN
    RETURN NEW;
  END IF;
  NEW._hc_lastop = 'SYNCED';
  NEW._hc_err = NULL;
  RETURN NEW;
END;
$fn$;

CREATE TRIGGER ${logTrigger} AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW
  WHEN (public.get_xmlbinary() = 'base64') EXECUTE PROCEDURE ${logger}();

CREATE TRIGGER ${statusTrigger} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE PROCEDURE ${status}();
