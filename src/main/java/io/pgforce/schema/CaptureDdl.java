package io.pgforce.schema;

import static io.pgforce.config.Identifiers.qualified;
import static io.pgforce.config.Identifiers.quote;
import static io.pgforce.schema.SchemaDdl.literal;

import io.pgforce.config.Mapping;
import io.pgforce.config.TruncatePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The capture of one mapping table: what turns the application's writes into trigger-log rows.
 * <ul>
 * <li>{@code hc_<table>_status_trigger}, BEFORE INSERT OR UPDATE, FOR EACH ROW: marks a user's
 * write PENDING and clears the last error (function {@code hc_<table>_status}). It must be a row
 * trigger: only row triggers can change the row.</li>
 * <li>{@code hc_<table>_logtrigger_ins}, {@code _upd}, {@code _del}, AFTER INSERT, UPDATE,
 * DELETE, FOR EACH STATEMENT with transition tables (function {@code hc_<table>_capture}): one
 * {@code INSERT ... SELECT} into the trigger log and at most one notify per statement. Postgres
 * allows transition tables only on a trigger of one event, hence three.</li>
 * <li>{@code hc_<table>_logtrigger_trunc}, BEFORE TRUNCATE, FOR EACH STATEMENT (function
 * {@code hc_<table>_truncate}), read-write mappings only: logs the TRUNCATE (action
 * {@code TRUNCATE}, state IGNORE, how many rows) and, under the mapping's {@code truncate: delete},
 * a DELETE of every row as a DELETE statement would, read before the rows are gone.</li>
 * </ul>
 * The functions are generated per mapping with the captured columns spelled out, so no row goes
 * through {@code to_jsonb(NEW)} and a loop over the column names. Columns are compared as jsonb
 * values, the comparison version 2 of the schema made, which every column type has.
 * <p>
 * Version 2 captured with one row trigger, {@code hc_<table>_logtrigger}, and the shared functions
 * {@code hc_capture} and {@code hc_status}: the row trigger is dropped in the transaction that
 * creates the statement triggers, so every change is captured by exactly one of them.
 */
final class CaptureDdl {

    /** One statement trigger per event; the transition tables each event has. */
    enum Event {
        INSERT, UPDATE, DELETE;

        /** ins, upd, del */
        String suffix() {
            return name().substring(0, 3).toLowerCase(Locale.ROOT);
        }

        String transitionTables() {
            return "REFERENCING" + (this == INSERT ? "" : " OLD TABLE AS old_rows") + (this == DELETE ? "" : " NEW TABLE AS new_rows");
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    /**
     * Whether the session's writes are captured (Heroku Connect's bypass: pgforce's own sessions
     * set xmlbinary to hex). get_xmlbinary(), kept for custom triggers, written out: a WHEN clause
     * is prepared for every statement, and inlining the function each time cost a single-row
     * UPDATE 3%.
     */
    private static final String CAPTURING = "current_setting('xmlbinary') = 'base64'";

    private static final String CAPTURE = """
            CREATE OR REPLACE FUNCTION ${function}() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
              IF NOT ${capturing} THEN
                RETURN NULL;
              END IF;
              IF TG_OP = 'INSERT' THEN
                INSERT INTO ${log} (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
                SELECT txid_current(), captured_at, captured_at, ${insertState}, TG_OP, logged_table, r.id, r.sfid, NULL, ${captured}
                  FROM new_rows r;
                fresh := ${insertFresh};
              ELSIF TG_OP = 'UPDATE' THEN
                -- old_rows and new_rows list the rows in the same order: a row's old values are the ones at its position
                -- (not its id: an UPDATE may change id). Sorted by position, each old row comes right before its new row;
                -- no join, whose plan, once cached for single rows, would turn a large statement quadratic.
                WITH logged AS (
                  INSERT INTO ${log} (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
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
                  INSERT INTO ${log} (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
                  SELECT txid_current(), captured_at, captured_at, ${deleteState}, TG_OP, logged_table, r.id, r.sfid, ${captured}, NULL
                    FROM old_rows r
                  RETURNING state)
                SELECT bool_or(state = 'NEW') INTO fresh FROM logged;
              END IF;
              IF fresh THEN
                -- Postgres folds identical notifications of one transaction into one
                PERFORM pg_notify(${listenChannel}, 'ping');
                PERFORM pg_notify(${compatibleChannel}, 'ping');
              END IF;
              RETURN NULL;
            END
            $fn$""";

    /**
     * Read-write mappings only. A DELETE is IGNORE when the row never reached Salesforce and no
     * INSERT of it is still queued (one queued earlier in the same transaction included).
     */
    private static final String DELETE_STATE = """
            CASE WHEN r.sfid IS NULL AND NOT EXISTS (SELECT 1 FROM ${log} l WHERE l.table_name = logged_table AND l.record_id = r.id
                        AND l.action = 'INSERT' AND l.state IN ('NEW', 'PENDING', 'FAILED')) THEN 'IGNORE' ELSE 'NEW' END""";

    private static final String TRUNCATE = """
            CREATE OR REPLACE FUNCTION ${function}() RETURNS trigger LANGUAGE plpgsql AS $fn$
            #variable_conflict use_variable
            DECLARE
              captured_at timestamptz := clock_timestamp();
              logged_table varchar(128) := TG_TABLE_NAME;
              truncated bigint;
              fresh boolean := false;
            BEGIN
              IF NOT ${capturing} THEN
                RETURN NULL;
              END IF;
              SELECT count(*) INTO truncated FROM ${table};
              INSERT INTO ${log} (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
                VALUES (txid_current(), captured_at, captured_at, 'IGNORE', 'TRUNCATE', logged_table, 0, NULL, NULL,
                        jsonb_build_object('rows', truncated, 'truncate', ${policy}));
              ${deletes}
              IF fresh THEN
                PERFORM pg_notify(${listenChannel}, 'ping');
                PERFORM pg_notify(${compatibleChannel}, 'ping');
              END IF;
              RETURN NULL;
            END
            $fn$""";

    /** Under {@code truncate: delete}: every row as a DELETE of it logs it, in id order. */
    private static final String TRUNCATE_DELETES = """
            WITH logged AS (
                INSERT INTO ${log} (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, "values")
                SELECT txid_current(), captured_at, captured_at, ${deleteState}, 'DELETE', logged_table, r.id, r.sfid, ${captured}, NULL
                  FROM ${table} r ORDER BY r.id
                RETURNING state)
              SELECT COALESCE(bool_or(state = 'NEW'), false) INTO fresh FROM logged;""";

    private static final String STATUS = """
            CREATE OR REPLACE FUNCTION ${function}() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              -- a user's write is PENDING, but an UPDATE that changes no captured column (logged IGNORE) leaves the status alone
              IF TG_OP = 'INSERT' OR NOT (${unchanged}) THEN
                NEW._hc_lastop := 'PENDING';
                NEW._hc_err := NULL;
              END IF;
              RETURN NEW;
            END
            $fn$""";

    private final String schema;

    CaptureDdl(String schema) {
        this.schema = schema;
    }

    private String q(String name) {
        return qualified(schema, name);
    }

    /** The functions, then the triggers that call them; last, version 2's row trigger goes. */
    List<Requirement> of(Mapping m) {
        String table = m.table();
        List<Requirement> needed = new ArrayList<>();
        if (m.readWrite()) {
            needed.add(Requirement.function(schema, statusFunction(table), statusFunction(m)));
        }
        needed.add(Requirement.function(schema, captureFunction(table), captureFunction(m)));
        if (m.readWrite()) {
            needed.add(Requirement.function(schema, truncateFunction(table), truncateFunction(m)));
        }
        needed.add(m.readWrite()
                ? Requirement.trigger(schema, table, statusTrigger(table), "CREATE TRIGGER " + quote(statusTrigger(table)) + " BEFORE INSERT OR UPDATE ON "
                        + q(table) + " FOR EACH ROW WHEN (" + CAPTURING + ") EXECUTE FUNCTION " + q(statusFunction(table)) + "()")
                : Requirement.NoTrigger.unwanted(schema, table, statusTrigger(table)));
        for (Event e : Event.values()) {
            needed.add(Requirement.trigger(schema, table, logTrigger(table, e), "CREATE TRIGGER " + quote(logTrigger(table, e)) + " AFTER " + e.name()
                    + " ON " + q(table) + " " + e.transitionTables() + " FOR EACH STATEMENT EXECUTE FUNCTION " + q(captureFunction(table)) + "()"));
        }
        needed.add(m.readWrite()
                ? Requirement.trigger(schema, table, truncateTrigger(table), "CREATE TRIGGER " + quote(truncateTrigger(table)) + " BEFORE TRUNCATE ON "
                        + q(table) + " FOR EACH STATEMENT EXECUTE FUNCTION " + q(truncateFunction(table)) + "()")
                : Requirement.NoTrigger.unwanted(schema, table, truncateTrigger(table)));
        needed.add(Requirement.NoTrigger.retired(schema, table, rowLogTrigger(table)));
        return needed;
    }

    /** A table that is no longer mapped keeps its data (and the functions) but is no longer captured. */
    List<Requirement> none(String table) {
        List<Requirement> gone = new ArrayList<>();
        gone.add(Requirement.NoTrigger.unwanted(schema, table, statusTrigger(table)));
        for (Event e : Event.values()) {
            gone.add(Requirement.NoTrigger.unwanted(schema, table, logTrigger(table, e)));
        }
        gone.add(Requirement.NoTrigger.unwanted(schema, table, truncateTrigger(table)));
        gone.add(Requirement.NoTrigger.retired(schema, table, rowLogTrigger(table)));
        return gone;
    }

    private String truncateFunction(Mapping m) {
        String deleteState = fill(DELETE_STATE, Map.of("log", q("_trigger_log")));
        String deletes = m.truncate() == TruncatePolicy.DELETE ? fill(TRUNCATE_DELETES, Map.of("log", q("_trigger_log"), "deleteState", deleteState,
                "captured", captured(m.capturedColumns()), "table", q(m.table()))) : "-- truncate: ignore: the records stay in Salesforce";
        return fill(TRUNCATE, Map.of(
                "function", q(truncateFunction(m.table())),
                "capturing", CAPTURING,
                "table", q(m.table()),
                "log", q("_trigger_log"),
                "policy", literal(m.truncate().label()),
                "deletes", deletes,
                "listenChannel", literal(SchemaDdl.listenChannel(schema)),
                "compatibleChannel", literal(SchemaDdl.compatibleChannel(schema))));
    }

    private String captureFunction(Mapping m) {
        List<String> columns = m.capturedColumns();
        boolean readWrite = m.readWrite();
        String readOnly = literal("READONLY");
        return fill(CAPTURE, Map.ofEntries(
                Map.entry("function", q(captureFunction(m.table()))),
                Map.entry("capturing", CAPTURING),
                Map.entry("log", q("_trigger_log")),
                Map.entry("captured", captured(columns)),
                Map.entry("unchangedKeys", columns.stream().map(c -> "CASE WHEN p.captured -> " + literal(c) + " = p.old -> " + literal(c)
                        + " THEN " + literal(c) + " END").collect(Collectors.joining(", "))),
                Map.entry("insertState", readWrite ? literal("NEW") : readOnly),
                Map.entry("insertFresh", readWrite ? "FOUND" : "false"),
                // equal objects: no captured column changed
                Map.entry("updateState", readWrite ? "CASE WHEN p.captured = p.old THEN 'IGNORE' ELSE 'NEW' END" : readOnly),
                Map.entry("deleteState", readWrite ? fill(DELETE_STATE, Map.of("log", q("_trigger_log"))) : readOnly),
                Map.entry("listenChannel", literal(SchemaDdl.listenChannel(schema))),
                Map.entry("compatibleChannel", literal(SchemaDdl.compatibleChannel(schema)))));
    }

    private String statusFunction(Mapping m) {
        return fill(STATUS, Map.of(
                "function", q(statusFunction(m.table())),
                "unchanged", m.capturedColumns().stream().map(c -> "to_jsonb(NEW." + quote(c) + ") IS NOT DISTINCT FROM to_jsonb(OLD." + quote(c) + ")")
                        .collect(Collectors.joining("\n      AND "))));
    }

    /** The captured columns of the transition row {@code r} as one jsonb object, keyed by column name. */
    private static String captured(List<String> columns) {
        return "jsonb_build_object(" + columns.stream().map(c -> literal(c) + ", r." + quote(c)).collect(Collectors.joining(", ")) + ")";
    }

    /** Replaces every {@code ${name}}; a name without a value is a bug in this class. */
    private static String fill(String template, Map<String, String> values) {
        return PLACEHOLDER.matcher(template).replaceAll(match -> {
            String value = values.get(match.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for " + match.group());
            }
            return Matcher.quoteReplacement(value);
        });
    }

    private static String statusTrigger(String table) {
        return "hc_" + table + "_status_trigger";
    }

    private static String logTrigger(String table, Event event) {
        return rowLogTrigger(table) + "_" + event.suffix();
    }

    /** Version 2's row-level capture trigger, the name Heroku Connect gives its own. */
    private static String rowLogTrigger(String table) {
        return "hc_" + table + "_logtrigger";
    }

    private static String truncateTrigger(String table) {
        return rowLogTrigger(table) + "_trunc";
    }

    private static String truncateFunction(String table) {
        return "hc_" + table + "_truncate";
    }

    private static String statusFunction(String table) {
        return "hc_" + table + "_status";
    }

    private static String captureFunction(String table) {
        return "hc_" + table + "_capture";
    }
}
