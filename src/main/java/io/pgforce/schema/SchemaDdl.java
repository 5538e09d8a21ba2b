package io.pgforce.schema;

import static io.pgforce.config.Identifiers.literal;
import static io.pgforce.config.Identifiers.qualified;
import static io.pgforce.config.Identifiers.quote;

import io.pgforce.config.Mapping;
import io.pgforce.config.SqlTemplates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The DDL of a synced schema, as Heroku Connect lays it out: the trigger log and its archive,
 * the metadata table, one table per mapping with the system columns, and the capture triggers
 * (see {@link CaptureDdl}).
 * Each object comes with the catalog check that tells whether it is there (see {@link Requirement});
 * every statement is idempotent, and nothing here drops a table or a column.
 * <p>
 * The statements are SQL resources under {@code schema/} (see {@link SqlTemplates}); this class
 * chooses them, repeats them per mapping and column, and quotes what it fills in.
 */
final class SchemaDdl {

    /**
     * The trigger log's columns after {@code id}; the archive has the same. Version 2 added sent_at and bulk_job_id.
     * A list here rather than SQL text: each column is also added on its own to a table an older version laid out.
     */
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

    /** The system columns of every mapping table after {@code id}; like the log's, each is also added on its own. */
    private static final List<ColumnDef> SYSTEM_COLUMNS = List.of(
            new ColumnDef("sfid", "varchar(18)"),
            new ColumnDef("systemmodstamp", "timestamp"),
            new ColumnDef("createddate", "timestamp"),
            new ColumnDef("isdeleted", "boolean"),
            new ColumnDef("_hc_lastop", "varchar(32)"),
            new ColumnDef("_hc_err", "text"));

    /**
     * The read state's columns added since its table's first release, each on its own (a state
     * table laid out before has none of them): the calls of the last read and of the load, a reload
     * asked for; the Bulk API query job of a load in progress, the locator of its next results page,
     * and when the read that created the job began (a row written since keeps its values).
     */
    private static final List<ColumnDef> READ_STATE_COLUMNS = List.of(
            new ColumnDef("last_poll_api_calls", "bigint NOT NULL DEFAULT 0"),
            new ColumnDef("load_api_calls", "bigint NOT NULL DEFAULT 0"),
            new ColumnDef("reload_requested", "boolean NOT NULL DEFAULT false"),
            new ColumnDef("bulk_job_id", "varchar(18)"),
            new ColumnDef("bulk_locator", "text"),
            new ColumnDef("bulk_job_started", "timestamptz"));

    private record ColumnDef(String name, String type) {
        String sql() {
            return quote(name) + " " + type;
        }
    }

    private static final SqlTemplates TABLES = SqlTemplates.load("schema/shared-tables.sql");
    private static final SqlTemplates LOG_INDEXES = SqlTemplates.load("schema/trigger-log-indexes.sql");
    /** The trigger log's indexes Heroku Connect lays out, which a log pgforce creates does without. */
    static final List<String> HEROKU_CONNECT_INDEXES = List.of("_trigger_log_idx_created_at", "_trigger_log_idx_state_id", "_trigger_log_idx_state_table_name");
    /** What a log pgforce creates has instead; a log of Heroku Connect's has the original's. */
    private static final List<String> PGFORCE_LOG_INDEXES = List.of("_trigger_log_idx_queued", "_trigger_log_idx_failed", "_trigger_log_idx_created_at_brin");
    private static final SqlTemplates FUNCTIONS = SqlTemplates.load("schema/shared-functions.sql");
    private static final SqlTemplates MAPPING = SqlTemplates.load("schema/mapping-table.sql");

    private final String schema;
    /** What every statement of the schema may use; a mapping's statements add their own. */
    private final Map<String, String> values;
    private final CaptureDdl capture;
    /**
     * Tables Heroku Connect's own triggers capture: a read-only mapping's keeps them (its READONLY
     * rows are the read side's), a read-write mapping's capture is replaced by pgforce's.
     */
    private final Set<String> originalCapture;
    /** The schema holds Heroku Connect's notify function, which pgforce keeps current. */
    private final boolean originalNotify;
    /** The trigger log is Heroku Connect's: it keeps the original's indexes (see trigger-log-indexes.sql). */
    private final boolean originalLog;

    SchemaDdl(String schema, Set<String> originalCapture, boolean originalNotify, boolean originalLog) {
        this.schema = schema;
        this.originalCapture = Set.copyOf(originalCapture);
        this.originalNotify = originalNotify;
        this.originalLog = originalLog;
        this.values = Map.of(
                "schema", quote(schema),
                "sequenceName", literal(qualified(schema, "_trigger_log_id_seq")),
                "logColumns", columns(LOG_COLUMNS),
                "systemColumns", columns(SYSTEM_COLUMNS),
                // a channel camel-pgevent can LISTEN to (it accepts no dots), and the original's
                "listenChannel", literal(schema + "_hc_trigger_log"),
                "compatibleChannel", literal(schema + ".hc_trigger_log"));
        this.capture = new CaptureDdl(schema, values);
    }

    /** What the schema the catalog shows needs, as it was laid out: by Heroku Connect or by pgforce. */
    static SchemaDdl of(String schema, Catalog catalog) {
        return new SchemaDdl(schema, catalog.originalCaptureTables(), catalog.function(HerokuConnectSchema.NOTIFY_FUNCTION).isPresent(),
                HerokuConnectSchema.laidOut(catalog));
    }

    /** The objects every mapping shares: the trigger log and its archive, the metadata and writer tables, the functions. */
    List<Requirement> shared() {
        List<Requirement> needed = new ArrayList<>();
        needed.add(new Requirement.Schema(schema));
        needed.add(table("_hcmeta"));
        needed.add(table("_pgforce_schema"));
        needed.addAll(logTables());
        // an interrupted concurrent build leaves an invalid index, which the catalog does not count: it is dropped and built again
        LOG_INDEXES.names().stream().filter(index -> !(originalLog ? PGFORCE_LOG_INDEXES : HEROKU_CONNECT_INDEXES).contains(index))
                .forEach(index -> needed.add(new Requirement.Relation(index, dropIndex(index), LOG_INDEXES.fill(index, values))));
        if (!originalLog) {
            // after the indexes replacing them are built: an index a captured row no longer pays for
            HEROKU_CONNECT_INDEXES.forEach(index -> needed.add(new Requirement.NoIndex(index, dropIndex(index))));
        }
        needed.add(table("_hc_writer"));
        needed.add(table("_hc_connection"));
        needed.add(table("_pgforce_read_state"));
        needed.addAll(columnsOf("_pgforce_read_state", READ_STATE_COLUMNS));
        needed.add(function("get_xmlbinary"));
        // version 2's hc_capture() and hc_status() are left where they are (see shared-functions.sql)
        needed.add(function("hc_trigger_log_notify"));
        if (originalNotify) {
            // its channel keeps working, and a change the original's resubmit functions enqueue wakes pgforce at once
            needed.add(function(HerokuConnectSchema.NOTIFY_FUNCTION));
        }
        // a user's resubmit or requeue wakes the engine at once
        needed.add(wakeUpTrigger("_trigger_log", "hc_trigger_log_resubmit"));
        needed.add(wakeUpTrigger("_trigger_log_archive", "hc_trigger_log_archive_requeue"));
        return needed;
    }

    private String dropIndex(String index) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + quote(schema) + "." + quote(index);
    }

    private List<Requirement> logTables() {
        List<Requirement> needed = new ArrayList<>();
        needed.add(table("_trigger_log_id_seq"));
        needed.add(new Requirement.Relation("_trigger_log", TABLES.fill("_trigger_log", values), TABLES.fill("_trigger_log-owns-sequence", values)));
        needed.add(table("_trigger_log_archive"));
        needed.add(new Requirement.VarcharLength(schema, "_trigger_log", "action", 8));
        needed.add(new Requirement.VarcharLength(schema, "_trigger_log_archive", "action", 8));
        return needed;
    }

    /**
     * The columns added since to a trigger log an older version or Heroku Connect laid out. Added
     * last, once no read-write table's capture is the original's: Heroku Connect's loggers insert
     * a row of the log's type, and a session that ran one often fails its next write ("attribute
     * number N exceeds number of columns") once the log has columns more; writing the function
     * again does not spare it. Widening a column's type does not do that.
     */
    List<Requirement> logColumns() {
        List<Requirement> needed = new ArrayList<>(columnsOf("_trigger_log", LOG_COLUMNS));
        needed.addAll(columnsOf("_trigger_log_archive", LOG_COLUMNS));
        return needed;
    }

    /** The shared files name each statement after the object it creates, which the requirement looks up. */
    private Requirement table(String name) {
        return new Requirement.Relation(name, TABLES.fill(name, values));
    }

    private Requirement function(String name) {
        return Requirement.function(schema, name, FUNCTIONS.fill(name, values));
    }

    private Requirement wakeUpTrigger(String table, String name) {
        return Requirement.trigger(schema, table, name, FUNCTIONS.fill(name, values));
    }

    private static String columns(List<ColumnDef> columns) {
        return columns.stream().map(ColumnDef::sql).collect(Collectors.joining(", "));
    }

    private List<Requirement> columnsOf(String table, List<ColumnDef> columns) {
        return columns.stream().<Requirement>map(c -> new Requirement.Column(schema, table, c.name(), c.type())).toList();
    }

    /** A mapping's table with its columns and indexes, and its capture triggers. */
    List<Requirement> mappingTable(Mapping m) {
        Map<String, String> mapping = new HashMap<>(values);
        mapping.put("table", qualified(schema, m.table()));
        List<Requirement> needed = new ArrayList<>();
        needed.add(new Requirement.Relation(m.table(), MAPPING.fill("mapping-table", mapping)));
        needed.addAll(mappingColumns(m));
        needed.add(index("sfid-index", "hcu_idx_" + m.table() + "_sfid", mapping));
        needed.add(index("systemmodstamp-index", "hc_idx_" + m.table() + "_systemmodstamp", mapping));
        if (m.uniqueIdentifierColumn() != null) {
            mapping.put("column", quote(m.uniqueIdentifierColumn()));
            needed.add(index("unique-identifier-index", "hcu_idx_" + m.table() + "_" + m.uniqueIdentifierColumn(), mapping));
        }
        if (m.readWrite() || !originalCapture.contains(m.table())) {
            needed.addAll(capture.of(m));
        }
        return needed;
    }

    /** Tables created by hand or by an older pgforce get what they lack; existing columns are never changed. */
    private List<Requirement> mappingColumns(Mapping m) {
        List<Requirement> needed = new ArrayList<>(columnsOf(m.table(), SYSTEM_COLUMNS));
        m.fields().forEach(f -> needed.add(new Requirement.Column(schema, m.table(), f.column(), f.type().sql())));
        m.relationships().forEach(r -> needed.add(new Requirement.Column(schema, m.table(), r.column(), r.type().sql())));
        return needed;
    }

    /** Postgres cuts longer names to 63 bytes (names here are ASCII); the catalog check must look for the cut name. */
    private static Requirement index(String statement, String name, Map<String, String> mapping) {
        String stored = name.length() > 63 ? name.substring(0, 63) : name;
        Map<String, String> values = new HashMap<>(mapping);
        values.put("index", quote(stored));
        return new Requirement.Relation(stored, MAPPING.fill(statement, values));
    }

    /** Drops every capture trigger pgforce puts on the table (release puts the original's back in the same transaction). */
    List<String> pgforceTriggersGone(String table) {
        return capture.none(table).stream().filter(r -> r instanceof Requirement.NoTrigger t && t.kind() == SchemaGap.Kind.UNWANTED_TRIGGER)
                .flatMap(r -> r.ddl().stream()).toList();
    }

    /** A table that is no longer mapped keeps its data but is no longer captured. */
    List<Requirement> noCapture(String table) {
        return capture.none(table);
    }

}
