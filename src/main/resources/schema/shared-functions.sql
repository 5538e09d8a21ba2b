-- The functions every mapping of a schema shares, and the triggers that wake the engine when a
-- user resubmits or requeues a change (SchemaDdl.shared). Each statement is named after the object
-- it creates. Placeholders:
--   ${schema}          the schema, quoted
--   ${listenChannel}, ${compatibleChannel}
--                      the notification channels as literals: <schema>_hc_trigger_log (camel-pgevent
--                      LISTENs to it; it accepts no dots) and <schema>.hc_trigger_log (the original's)
-- Version 2's hc_capture() and hc_status() are no longer written, nor dropped: the row triggers of
-- tables not yet converted call them until their own table's transaction replaces those triggers.

-- Heroku Connect's bypass test: engine sessions set xmlbinary to hex, user sessions keep base64
-- name: get_xmlbinary
CREATE OR REPLACE FUNCTION ${schema}."get_xmlbinary"() RETURNS varchar LANGUAGE sql STABLE AS $$ SELECT current_setting('xmlbinary')::varchar $$

-- wakes the engine: a resubmitted or requeued change
-- name: hc_trigger_log_notify
CREATE OR REPLACE FUNCTION ${schema}."hc_trigger_log_notify"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify(${listenChannel}, 'ping');
  PERFORM pg_notify(${compatibleChannel}, 'ping');
  RETURN NULL;
END
$fn$

-- Heroku Connect's notify function, AFTER INSERT on the trigger log, on a schema pgforce adopted:
-- it still pings the original's channel, and wakes pgforce too (a change the original's
-- hc_capture_insert_from_row enqueues). pgforce release puts the original's back.
-- name: tlog_notify_trigger
CREATE OR REPLACE FUNCTION ${schema}."tlog_notify_trigger"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify(${compatibleChannel}, 'ping');
  PERFORM pg_notify(${listenChannel}, 'ping');
  RETURN NULL;
END
$fn$

-- a user's resubmit: a live row set back to NEW
-- name: hc_trigger_log_resubmit
CREATE TRIGGER hc_trigger_log_resubmit AFTER UPDATE OF state ON ${schema}."_trigger_log" FOR EACH ROW WHEN (NEW.state = 'NEW' AND OLD.state NOT IN ('NEW', 'PENDING')) EXECUTE FUNCTION ${schema}."hc_trigger_log_notify"()

-- a user's requeue: an archived row set to REQUEUE
-- name: hc_trigger_log_archive_requeue
CREATE TRIGGER hc_trigger_log_archive_requeue AFTER UPDATE OF state ON ${schema}."_trigger_log_archive" FOR EACH ROW WHEN (NEW.state = 'REQUEUE' AND OLD.state IS DISTINCT FROM 'REQUEUE') EXECUTE FUNCTION ${schema}."hc_trigger_log_notify"()
