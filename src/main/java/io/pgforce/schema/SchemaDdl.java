package io.pgforce.schema;

import static io.pgforce.config.Identifiers.qualified;
import static io.pgforce.config.Identifiers.quote;

import io.pgforce.config.Mapping;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The DDL of a synced schema, as Heroku Connect lays it out: the trigger log and its archive,
 * the metadata table, one table per mapping with the system columns, and the capture triggers
 * (see {@link CaptureDdl}).
 * Each object comes with the catalog check that tells whether it is there (see {@link Requirement});
 * every statement is idempotent, and nothing here drops a table or a column.
 */
final class SchemaDdl {

    /** The trigger log's columns after {@code id}; the archive has the same. Version 2 added sent_at and bulk_job_id. */
    private static final List<ColumnDef> LOG_COLUMNS = List.of(
            new ColumnDef("txid", "bigint"),
            new ColumnDef("created_at", "timestamptz DEFAULT now()"),
            new ColumnDef("updated_at", "timestamptz DEFAULT now()"),
            new ColumnDef("processed_at", "timestamptz"),
            new ColumnDef("processed_tx", "bigint"),
            new ColumnDef("state", "varchar(8) NOT NULL"),
            // INSERT, UPDATE, DELETE as in the original; pgforce (version 3) adds TRUNCATE
            new ColumnDef("action", "varchar(8) NOT NULL"),
            new ColumnDef("table_name", "varchar(128) NOT NULL"),
            new ColumnDef("record_id", "integer NOT NULL"),
            new ColumnDef("sfid", "varchar(18)"),
            new ColumnDef("old", "jsonb"),
            new ColumnDef("values", "jsonb"),
            new ColumnDef("sf_result", "integer"),
            new ColumnDef("sf_message", "text"),
            // pgforce: when the change was first handed to Salesforce (null: never), and the Bulk API job that carried it
            new ColumnDef("sent_at", "timestamptz"),
            new ColumnDef("bulk_job_id", "varchar(18)"));

    /** The system columns of every mapping table after {@code id}. */
    private static final List<ColumnDef> SYSTEM_COLUMNS = List.of(
            new ColumnDef("sfid", "varchar(18)"),
            new ColumnDef("systemmodstamp", "timestamp"),
            new ColumnDef("createddate", "timestamp"),
            new ColumnDef("isdeleted", "boolean"),
            new ColumnDef("_hc_lastop", "varchar(32)"),
            new ColumnDef("_hc_err", "text"));

    private record ColumnDef(String name, String type) {
        String sql() {
            return quote(name) + " " + type;
        }
    }

    private final String schema;
    private final CaptureDdl capture;

    SchemaDdl(String schema) {
        this.schema = schema;
        this.capture = new CaptureDdl(schema);
    }

    private String q(String name) {
        return qualified(schema, name);
    }

    /** Notification channels: the original's name, and one that camel-pgevent can LISTEN to (it accepts no dots). */
    static String listenChannel(String schema) {
        return schema + "_hc_trigger_log";
    }

    static String compatibleChannel(String schema) {
        return schema + ".hc_trigger_log";
    }

    /** The objects every mapping shares: the trigger log and its archive, the metadata and writer tables, the functions. */
    List<Requirement> shared() {
        List<Requirement> needed = new ArrayList<>();
        needed.add(new Requirement.Schema(schema));
        needed.add(new Requirement.Relation("_hcmeta", "CREATE TABLE IF NOT EXISTS " + q("_hcmeta")
                + " (id serial PRIMARY KEY, hcver integer, org_id varchar(50), details text)"));
        needed.addAll(logTables());
        needed.addAll(logIndexes());
        // one active writer per schema; see capture.WriterLease
        needed.add(new Requirement.Relation("_hc_writer", "CREATE TABLE IF NOT EXISTS " + q("_hc_writer")
                + " (id integer PRIMARY KEY CHECK (id = 1), owner text NOT NULL, expires_at timestamptz NOT NULL, acquired_at timestamptz NOT NULL DEFAULT now())"));
        // an operator's pause, seen by whichever instance writes; see connection.PauseSwitch
        needed.add(new Requirement.Relation("_hc_connection", "CREATE TABLE IF NOT EXISTS " + q("_hc_connection")
                + " (id integer PRIMARY KEY CHECK (id = 1), paused boolean NOT NULL, changed_at timestamptz NOT NULL DEFAULT now(), changed_by text)"));
        needed.add(Requirement.function(schema, "get_xmlbinary", getXmlbinary()));
        // version 2's hc_capture() and hc_status() are left where they are: the row triggers of tables not
        // yet converted call them until their own table's transaction replaces those triggers
        needed.add(Requirement.function(schema, "hc_trigger_log_notify", notifyFunction()));
        needed.addAll(wakeUpTriggers());
        return needed;
    }

    private List<Requirement> logTables() {
        String log = q("_trigger_log");
        String sequence = q("_trigger_log_id_seq");
        List<Requirement> needed = new ArrayList<>();
        needed.add(new Requirement.Relation("_trigger_log_id_seq", "CREATE SEQUENCE IF NOT EXISTS " + sequence));
        needed.add(new Requirement.Relation("_trigger_log",
                "CREATE TABLE IF NOT EXISTS " + log + " (id bigint PRIMARY KEY DEFAULT nextval(" + literal(sequence) + "), " + columns(LOG_COLUMNS) + ")",
                "ALTER SEQUENCE " + sequence + " OWNED BY " + log + ".id"));
        // the archive keeps each row's original id, so a requeued row goes back to its place in the order
        needed.add(new Requirement.Relation("_trigger_log_archive",
                "CREATE TABLE IF NOT EXISTS " + q("_trigger_log_archive") + " (id bigint PRIMARY KEY, " + columns(LOG_COLUMNS) + ")"));
        // tables laid out by an older version get the columns added since
        needed.addAll(columnsOf("_trigger_log", LOG_COLUMNS));
        needed.addAll(columnsOf("_trigger_log_archive", LOG_COLUMNS));
        needed.add(new Requirement.VarcharLength(schema, "_trigger_log", "action", 8));
        needed.add(new Requirement.VarcharLength(schema, "_trigger_log_archive", "action", 8));
        return needed;
    }

    private List<Requirement> logIndexes() {
        String log = q("_trigger_log");
        String archive = q("_trigger_log_archive");
        return List.of(
                index("_trigger_log_idx_created_at", "INDEX", log, "(created_at)"),
                index("_trigger_log_idx_state_id", "INDEX", log, "(state, id)"),
                index("_trigger_log_idx_state_table_name", "INDEX", log, "(state, table_name) WHERE state IN ('NEW', 'PENDING')"),
                // pgforce: per-record lookups (held changes behind a failed insert, deletes of unsent inserts)
                index("_trigger_log_idx_table_record", "INDEX", log, "(table_name, record_id)"),
                index("_trigger_log_archive_idx_created_at", "INDEX", archive, "(created_at)"),
                index("_trigger_log_archive_idx_record_id", "INDEX", archive, "(record_id)"),
                // pgforce: activity and "written today" for the console, metrics and the admin API
                index("_trigger_log_archive_idx_processed_at", "INDEX", archive, "(processed_at)"),
                index("_trigger_log_archive_idx_state_table_name", "INDEX", archive, "(state, table_name) WHERE state = 'FAILED'"));
    }

    /** A user's resubmit (a live row set back to NEW) or requeue (an archived row set to REQUEUE) wakes the engine at once. */
    private List<Requirement> wakeUpTriggers() {
        String notify = " FOR EACH ROW WHEN (%s) EXECUTE FUNCTION " + q("hc_trigger_log_notify") + "()";
        return List.of(
                Requirement.trigger(schema, "_trigger_log", "hc_trigger_log_resubmit", "CREATE TRIGGER hc_trigger_log_resubmit AFTER UPDATE OF state ON "
                        + q("_trigger_log") + notify.formatted("NEW.state = 'NEW' AND OLD.state NOT IN ('NEW', 'PENDING')")),
                Requirement.trigger(schema, "_trigger_log_archive", "hc_trigger_log_archive_requeue", "CREATE TRIGGER hc_trigger_log_archive_requeue AFTER UPDATE OF state ON "
                        + q("_trigger_log_archive") + notify.formatted("NEW.state = 'REQUEUE' AND OLD.state IS DISTINCT FROM 'REQUEUE'")));
    }

    private static String columns(List<ColumnDef> columns) {
        return columns.stream().map(ColumnDef::sql).collect(Collectors.joining(", "));
    }

    private List<Requirement> columnsOf(String table, List<ColumnDef> columns) {
        return columns.stream().<Requirement>map(c -> new Requirement.Column(schema, table, c.name(), c.type())).toList();
    }

    /** Postgres cuts longer names to 63 bytes (names here are ASCII); the catalog check must look for the cut name. */
    private Requirement index(String name, String kind, String table, String definition) {
        String stored = name.length() > 63 ? name.substring(0, 63) : name;
        return new Requirement.Relation(stored, "CREATE " + kind + " IF NOT EXISTS " + quote(stored) + " ON " + table + " " + definition);
    }

    /** Heroku Connect's bypass test: engine sessions set xmlbinary to hex, user sessions keep base64. */
    private String getXmlbinary() {
        return "CREATE OR REPLACE FUNCTION " + q("get_xmlbinary") + "() RETURNS varchar LANGUAGE sql STABLE AS $$ SELECT current_setting('xmlbinary')::varchar $$";
    }

    /** Wakes the engine: a resubmitted or requeued change. */
    private String notifyFunction() {
        return "CREATE OR REPLACE FUNCTION " + q("hc_trigger_log_notify") + "() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
                + "BEGIN\n"
                + "  PERFORM pg_notify(" + literal(listenChannel(schema)) + ", 'ping');\n"
                + "  PERFORM pg_notify(" + literal(compatibleChannel(schema)) + ", 'ping');\n"
                + "  RETURN NULL;\n"
                + "END\n"
                + "$fn$";
    }

    /** A mapping's table with its columns and indexes, and its capture triggers. */
    List<Requirement> mappingTable(Mapping m) {
        List<Requirement> needed = new ArrayList<>();
        needed.add(new Requirement.Relation(m.table(), "CREATE TABLE IF NOT EXISTS " + q(m.table()) + " (id serial PRIMARY KEY, " + columns(SYSTEM_COLUMNS) + ")"));
        needed.addAll(mappingColumns(m));
        needed.addAll(mappingIndexes(m));
        needed.addAll(capture.of(m));
        return needed;
    }

    /** Tables created by hand or by an older pgforce get what they lack; existing columns are never changed. */
    private List<Requirement> mappingColumns(Mapping m) {
        List<Requirement> needed = new ArrayList<>(columnsOf(m.table(), SYSTEM_COLUMNS));
        m.fields().forEach(f -> needed.add(new Requirement.Column(schema, m.table(), f.column(), f.type().sql())));
        m.relationships().forEach(r -> needed.add(new Requirement.Column(schema, m.table(), r.column(), r.type().sql())));
        return needed;
    }

    private List<Requirement> mappingIndexes(Mapping m) {
        String table = q(m.table());
        List<Requirement> needed = new ArrayList<>();
        needed.add(index("hcu_idx_" + m.table() + "_sfid", "UNIQUE INDEX", table, "(sfid)"));
        needed.add(index("hc_idx_" + m.table() + "_systemmodstamp", "INDEX", table, "(systemmodstamp)"));
        if (m.uniqueIdentifierColumn() != null) {
            needed.add(index("hcu_idx_" + m.table() + "_" + m.uniqueIdentifierColumn(), "UNIQUE INDEX", table, "(" + quote(m.uniqueIdentifierColumn()) + ")"));
        }
        return needed;
    }

    /** A table that is no longer mapped keeps its data but is no longer captured. */
    List<Requirement> noCapture(String table) {
        return capture.none(table);
    }

    /** A SQL string literal; the names passed here are validated identifiers, the escaping is belt and braces. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
