package io.pgforce.schema;

import static io.pgforce.config.Identifiers.qualified;
import static io.pgforce.config.Identifiers.quote;
import static io.pgforce.config.Identifiers.literal;

import io.pgforce.config.Mapping;
import io.pgforce.config.SqlTemplates;
import io.pgforce.config.TruncatePolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * through {@code to_jsonb(NEW)} and a loop over the column names. Their SQL is
 * {@code schema/capture.sql}; this class chooses its pieces by the mapping's access and truncate
 * policy, and repeats the per-column ones.
 * <p>
 * Version 2 captured with one row trigger, {@code hc_<table>_logtrigger}, and the shared functions
 * {@code hc_capture} and {@code hc_status}: the row trigger is dropped in the transaction that
 * creates the statement triggers, so every change is captured by exactly one of them.
 */
final class CaptureDdl {

    /** One statement trigger per event; each is its own statement, as the transition tables differ. */
    enum Event {
        INSERT, UPDATE, DELETE;

        /** ins, upd, del */
        String suffix() {
            return name().substring(0, 3).toLowerCase(Locale.ROOT);
        }

        /** insert-trigger, update-trigger, delete-trigger */
        String statement() {
            return name().toLowerCase(Locale.ROOT) + "-trigger";
        }
    }

    private static final SqlTemplates CAPTURE = SqlTemplates.load("schema/capture.sql");

    private final String schema;
    private final Map<String, String> schemaValues;

    /** {@code schemaValues}: the schema's own, which capture.sql shares with the other files (the schema, the channels). */
    CaptureDdl(String schema, Map<String, String> schemaValues) {
        this.schema = schema;
        this.schemaValues = schemaValues;
    }

    /** The functions, then the triggers that call them; last, version 2's row trigger goes. */
    List<Requirement> of(Mapping m) {
        String table = m.table();
        Map<String, String> values = values(m);
        List<Requirement> needed = new ArrayList<>();
        if (m.readWrite()) {
            needed.add(Requirement.function(schema, statusFunction(table), CAPTURE.fill("status-function", values)));
        }
        needed.add(Requirement.function(schema, captureFunction(table), CAPTURE.fill("capture-function", values)));
        if (m.readWrite()) {
            needed.add(Requirement.function(schema, truncateFunction(table), CAPTURE.fill("truncate-function", values)));
        }
        needed.add(m.readWrite()
                ? Requirement.trigger(schema, table, statusTrigger(table), CAPTURE.fill("status-trigger", values))
                : Requirement.NoTrigger.unwanted(schema, table, statusTrigger(table)));
        for (Event e : Event.values()) {
            values.put("logTrigger", quote(logTrigger(table, e)));
            needed.add(Requirement.trigger(schema, table, logTrigger(table, e), CAPTURE.fill(e.statement(), values)));
        }
        needed.add(m.readWrite()
                ? Requirement.trigger(schema, table, truncateTrigger(table), CAPTURE.fill("truncate-trigger", values))
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

    /**
     * The values of capture.sql's placeholders for one mapping, pieces included: each piece is filled
     * once here, in the order they use one another, so that every statement is filled from one map.
     */
    private Map<String, String> values(Mapping m) {
        String table = m.table();
        List<String> columns = m.capturedColumns();
        boolean readWrite = m.readWrite();
        Map<String, String> values = new HashMap<>(schemaValues);
        values.put("table", qualified(schema, table));
        values.put("statusFunction", qualified(schema, statusFunction(table)));
        values.put("captureFunction", qualified(schema, captureFunction(table)));
        values.put("truncateFunction", qualified(schema, truncateFunction(table)));
        values.put("statusTrigger", quote(statusTrigger(table)));
        values.put("truncateTrigger", quote(truncateTrigger(table)));
        values.put("capturing", CAPTURE.fill("capturing", values));
        values.put("bypass", CAPTURE.fill("bypass", values));
        values.put("notify", CAPTURE.fill("notify", values));
        values.put("capturedColumns", perColumn(columns, "captured-column", ", "));
        values.put("captured", CAPTURE.fill("captured", values));
        values.put("unchangedKeys", perColumn(columns, "unchanged-key", ", "));
        // one condition a line, under the status function's IF
        values.put("unchanged", perColumn(columns, "unchanged-column", "\n      AND "));
        // a read-only mapping's changes are logged, never sent
        values.put("insertState", CAPTURE.fill(readWrite ? "insert-state" : "read-only-state", values));
        values.put("insertFresh", CAPTURE.fill(readWrite ? "insert-fresh" : "read-only-fresh", values));
        values.put("updateState", CAPTURE.fill(readWrite ? "update-state" : "read-only-state", values));
        values.put("deleteState", CAPTURE.fill(readWrite ? "delete-state" : "read-only-state", values));
        values.put("policy", literal(m.truncate().label()));
        values.put("deletes", CAPTURE.fill(m.truncate() == TruncatePolicy.DELETE ? "truncate-delete" : "truncate-ignore", values));
        return values;
    }

    /** The piece once a captured column, joined: the name as a literal ({@code ${name}}) and quoted ({@code ${column}}). */
    private static String perColumn(List<String> columns, String piece, String separator) {
        return columns.stream().map(c -> CAPTURE.fill(piece, Map.of("name", literal(c), "column", quote(c)))).collect(Collectors.joining(separator));
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
