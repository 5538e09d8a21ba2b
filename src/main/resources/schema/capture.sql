-- The capture of one mapping table, what turns the application's writes into trigger-log rows
-- (CaptureDdl): its functions, its triggers, and below them the pieces filled into them.
-- Placeholders, filled in per mapping:
--   ${schema}, ${table}                  the schema, quoted; the mapping table, schema-qualified and quoted
--   ${statusFunction}, ${captureFunction}, ${truncateFunction}
--                                        hc_<table>_status, _capture, _truncate, schema-qualified and quoted
--   ${statusTrigger}, ${logTrigger}, ${truncateTrigger}
--                                        hc_<table>_status_trigger, _logtrigger_ins/_upd/_del, _logtrigger_trunc, quoted
--   ${capturing}, ${bypass}, ${notify}   the pieces capturing, bypass and notify
--   ${captured}                          the piece captured: the transition row r's captured columns as one jsonb object
--   ${unchangedKeys}, ${unchanged}       the pieces unchanged-key and unchanged-column, one a captured column
--   ${insertState}, ${updateState}, ${deleteState}, ${insertFresh}
--                                        the pieces of the mapping's access, read-write or read-only
--   ${policy}, ${deletes}                the truncate policy as a literal; the piece truncate-ignore or truncate-delete
--   ${listenChannel}, ${compatibleChannel}
--                                        the notification channels as literals (see shared-functions.sql)
-- Columns are compared as jsonb values, the comparison version 2 of the schema made, which every
-- column type has.

-- hc_<table>_status(), read-write mappings: marks a user's write PENDING and clears the last error;
-- keeps the sfid of a row that has one
-- name: status-function
CREATE OR REPLACE FUNCTION ${statusFunction}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- a user's write is PENDING, but an UPDATE that changes no captured column (logged IGNORE) leaves the status alone
  IF TG_OP = 'INSERT' OR NOT (${unchanged}) THEN
    NEW._hc_lastop := 'PENDING';
    NEW._hc_err := NULL;
  END IF;
  -- sfid is the sync's, as in the original: an application's change of it would send the row's later
  -- changes to another record (or none); it is not kept, and the row says so
  IF TG_OP = 'UPDATE' AND OLD.sfid IS NOT NULL AND NEW.sfid IS DISTINCT FROM OLD.sfid THEN
    NEW._hc_err := json_build_object('operation', 'UPDATE', 'source', 'PGFORCE', 'statusCode', 'READ_ONLY_COLUMN',
      'message', 'sfid is written by the sync only: the change of it to ' || COALESCE(NEW.sfid, 'NULL') || ' was not kept', 'fields', json_build_array('sfid'))::text;
    NEW.sfid := OLD.sfid;
  END IF;
  RETURN NEW;
END
$fn$

-- hc_<table>_capture(), the three statement triggers' function: one INSERT ... SELECT into the
-- trigger log and at most one notify per statement; no row goes through to_jsonb(NEW) and a loop
-- over the column names
-- name: capture-function
CREATE OR REPLACE FUNCTION ${captureFunction}() RETURNS trigger LANGUAGE plpgsql AS $fn$
-- a column of the application's own may be named like a variable: the names below mean the variables
#variable_conflict use_variable
DECLARE
  -- one time for the statement's changes
  captured_at timestamptz := clock_timestamp();
  -- varchar, so that the lookup below can use the trigger log's index on (table_name, record_id)
  logged_table varchar(128) := TG_TABLE_NAME;
  fresh boolean;
BEGIN
  -- the bypass, tested here because a trigger with transition tables can have no WHEN clause
  ${bypass}
  IF TG_OP = 'INSERT' THEN
    INSERT INTO ${schema}."_trigger_log" (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
    SELECT txid_current(), captured_at, captured_at, ${insertState}, TG_OP, logged_table, r.id, r.sfid, NULL, ${captured}
      FROM new_rows r;
    fresh := ${insertFresh};
  ELSIF TG_OP = 'UPDATE' THEN
    -- old_rows and new_rows list the rows in the same order: a row's old values are the ones at its position
    -- (not its id: an UPDATE may change id). Sorted by position, each old row comes right before its new row;
    -- no join, whose plan, once cached for single rows, would turn a large statement quadratic.
    WITH logged AS (
      INSERT INTO ${schema}."_trigger_log" (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
      SELECT txid_current(), captured_at, captured_at, ${updateState}, TG_OP, logged_table, p.id, COALESCE(p.old_sfid, p.sfid), p.old,
             NULLIF(p.captured - ARRAY[${unchangedKeys}]::text[], '{}')
        FROM (SELECT u.pos, u.is_new, u.id, u.sfid, u.captured, lag(u.sfid) OVER w AS old_sfid, lag(u.captured) OVER w AS old
                FROM (SELECT row_number() OVER () AS pos, true AS is_new, r.id, r.sfid, ${captured} AS captured FROM new_rows r
                      UNION ALL
                      SELECT row_number() OVER (), false, NULL, r.sfid, ${captured} FROM old_rows r) u
              WINDOW w AS (ORDER BY u.pos, u.is_new)) p
       WHERE p.is_new
       ORDER BY p.pos
      RETURNING state)
    SELECT bool_or(state = 'NEW') INTO fresh FROM logged;
  ELSE
    WITH logged AS (
      INSERT INTO ${schema}."_trigger_log" (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
      SELECT txid_current(), captured_at, captured_at, ${deleteState}, TG_OP, logged_table, r.id, r.sfid, ${captured}, NULL
        FROM old_rows r
      RETURNING state)
    SELECT bool_or(state = 'NEW') INTO fresh FROM logged;
  END IF;
  IF fresh THEN
    -- Postgres folds identical notifications of one transaction into one
    ${notify}
  END IF;
  RETURN NULL;
END
$fn$

-- hc_<table>_truncate(), read-write mappings: logs the TRUNCATE (action TRUNCATE, state IGNORE, how
-- many rows) and, under truncate: delete, a DELETE of every row, read before the rows are gone
-- name: truncate-function
CREATE OR REPLACE FUNCTION ${truncateFunction}() RETURNS trigger LANGUAGE plpgsql AS $fn$
#variable_conflict use_variable
DECLARE
  captured_at timestamptz := clock_timestamp();
  logged_table varchar(128) := TG_TABLE_NAME;
  truncated bigint;
  fresh boolean := false;
BEGIN
  ${bypass}
  SELECT count(*) INTO truncated FROM ${table};
  INSERT INTO ${schema}."_trigger_log" (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
    VALUES (txid_current(), captured_at, captured_at, 'IGNORE', 'TRUNCATE', logged_table, 0, NULL, NULL,
            jsonb_build_object('rows', truncated, 'truncate', ${policy}));
  ${deletes}
  IF fresh THEN
    ${notify}
  END IF;
  RETURN NULL;
END
$fn$

-- hc_<table>_status_trigger, read-write mappings; a row trigger: only row triggers can change the row
-- name: status-trigger
CREATE TRIGGER ${statusTrigger} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW WHEN (${capturing}) EXECUTE FUNCTION ${statusFunction}()

-- hc_<table>_logtrigger_ins, _upd, _del: Postgres allows transition tables only on a trigger of
-- one event, hence three
-- name: insert-trigger
CREATE TRIGGER ${logTrigger} AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${captureFunction}()

-- name: update-trigger
CREATE TRIGGER ${logTrigger} AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${captureFunction}()

-- name: delete-trigger
CREATE TRIGGER ${logTrigger} AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${captureFunction}()

-- hc_<table>_logtrigger_trunc, read-write mappings
-- name: truncate-trigger
CREATE TRIGGER ${truncateTrigger} BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${truncateFunction}()

-- The pieces. Whether a session's writes are captured: Heroku Connect's bypass, pgforce's own
-- sessions set xmlbinary to hex. It is get_xmlbinary(), kept for custom triggers, written out: a
-- WHEN clause is prepared for every statement, and inlining the function each time cost a
-- single-row UPDATE 3%.
-- name: capturing
current_setting('xmlbinary') = 'base64'

-- ${bypass}: the capture and truncate functions end at once for a session not captured (pgforce's
-- own); its later lines are indented as they stand in the functions, like those of the pieces below
-- name: bypass
IF NOT ${capturing} THEN
    RETURN NULL;
  END IF;

-- ${notify}: wakes the engine, when a statement logged a change to send
-- name: notify
PERFORM pg_notify(${listenChannel}, 'ping');
    PERFORM pg_notify(${compatibleChannel}, 'ping');

-- the captured columns of the transition row r, keyed by column name; ${capturedColumns} is
-- captured-column for each
-- name: captured
jsonb_build_object(${capturedColumns})

-- Per captured column: ${name} its name as a literal, ${column} its name quoted.
-- name: captured-column
${name}, r.${column}

-- in ${unchangedKeys}: the column's name when the UPDATE left its value as it was
-- name: unchanged-key
CASE WHEN p.captured -> ${name} = p.old -> ${name} THEN ${name} END

-- in ${unchanged}, joined by AND: the UPDATE left the column as it was
-- name: unchanged-column
to_jsonb(NEW.${column}) IS NOT DISTINCT FROM to_jsonb(OLD.${column})

-- A read-write mapping's states: an INSERT is sent ...
-- name: insert-state
'NEW'

-- name: insert-fresh
FOUND

-- ... an UPDATE is IGNORE when the objects are equal, no captured column changed ...
-- name: update-state
CASE WHEN p.captured = p.old THEN 'IGNORE' ELSE 'NEW' END

-- ... and a DELETE is IGNORE when the row never reached Salesforce and no INSERT of it is still
-- queued (one queued earlier in the same transaction included). In the capture and the truncate
-- function; its second line is indented for the first.
-- name: delete-state
CASE WHEN r.sfid IS NULL AND NOT EXISTS (SELECT 1 FROM ${schema}."_trigger_log" l WHERE l.table_name = logged_table AND l.record_id = r.id
            AND l.action = 'INSERT' AND l.state IN ('NEW', 'PENDING', 'FAILED')) THEN 'IGNORE' ELSE 'NEW' END

-- A read-only mapping logs every change READONLY, never sent: every state, and insert-fresh.
-- name: read-only-state
'READONLY'

-- name: read-only-fresh
false

-- ${deletes} under truncate: ignore (the default, the original's)
-- name: truncate-ignore
-- truncate: ignore: the records stay in Salesforce

-- ${deletes} under truncate: delete: every row logged as a DELETE of it would be, in id order
-- (indented as it stands in the function)
-- name: truncate-delete
WITH logged AS (
    INSERT INTO ${schema}."_trigger_log" (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
    SELECT txid_current(), captured_at, captured_at, ${deleteState}, 'DELETE', logged_table, r.id, r.sfid, ${captured}, NULL
      FROM ${table} r ORDER BY r.id
    RETURNING state)
  SELECT COALESCE(bool_or(state = 'NEW'), false) INTO fresh FROM logged;
