package io.pgforce.schema;

import static io.pgforce.config.Identifiers.qualified;
import static io.pgforce.config.Identifiers.quote;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingField;
import io.pgforce.config.Relationship;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The DDL of a synced schema, as Heroku Connect lays it out: the trigger log and its archive,
 * the metadata table, one table per mapping with the system columns, and the capture triggers.
 * Every statement is idempotent; nothing here drops a table or a column.
 */
final class SchemaDdl {

    private final String schema;

    SchemaDdl(String schema) {
        this.schema = schema;
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

    List<String> base() {
        String log = q("_trigger_log");
        String archive = q("_trigger_log_archive");
        String columns = """
                txid bigint,
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
                sf_message text""";
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + quote(schema),
                "CREATE TABLE IF NOT EXISTS " + q("_hcmeta") + " (id serial PRIMARY KEY, hcver integer, org_id varchar(50), details text)",
                "CREATE SEQUENCE IF NOT EXISTS " + q("_trigger_log_id_seq"),
                "CREATE TABLE IF NOT EXISTS " + log + " (id bigint PRIMARY KEY DEFAULT nextval('" + q("_trigger_log_id_seq").replace("'", "''") + "'), " + columns + ")",
                "ALTER SEQUENCE " + q("_trigger_log_id_seq") + " OWNED BY " + log + ".id",
                // the archive keeps each row's original id, so a requeued row goes back to its place in the order
                "CREATE TABLE IF NOT EXISTS " + archive + " (id bigint PRIMARY KEY, " + columns + ")",
                "ALTER TABLE " + log + " ADD COLUMN IF NOT EXISTS sent_at timestamptz",
                "ALTER TABLE " + log + " ADD COLUMN IF NOT EXISTS bulk_job_id varchar(18)",
                "ALTER TABLE " + archive + " ADD COLUMN IF NOT EXISTS sent_at timestamptz",
                "ALTER TABLE " + archive + " ADD COLUMN IF NOT EXISTS bulk_job_id varchar(18)",
                "CREATE INDEX IF NOT EXISTS _trigger_log_idx_created_at ON " + log + " (created_at)",
                "CREATE INDEX IF NOT EXISTS _trigger_log_idx_state_id ON " + log + " (state, id)",
                "CREATE INDEX IF NOT EXISTS _trigger_log_idx_state_table_name ON " + log + " (state, table_name) WHERE state IN ('NEW', 'PENDING')",
                // pgforce: per-record lookups (held changes behind a failed insert, deletes of unsent inserts)
                "CREATE INDEX IF NOT EXISTS _trigger_log_idx_table_record ON " + log + " (table_name, record_id)",
                "CREATE INDEX IF NOT EXISTS _trigger_log_archive_idx_created_at ON " + archive + " (created_at)",
                "CREATE INDEX IF NOT EXISTS _trigger_log_archive_idx_record_id ON " + archive + " (record_id)",
                "CREATE INDEX IF NOT EXISTS _trigger_log_archive_idx_state_table_name ON " + archive + " (state, table_name) WHERE state = 'FAILED'",
                // one active writer per schema; see capture.WriterLease
                "CREATE TABLE IF NOT EXISTS " + q("_hc_writer") + " (id integer PRIMARY KEY CHECK (id = 1), owner text NOT NULL, expires_at timestamptz NOT NULL, acquired_at timestamptz NOT NULL DEFAULT now())",
                getXmlbinary(),
                captureFunction(),
                statusFunction(),
                resubmitFunction(),
                "DROP TRIGGER IF EXISTS hc_trigger_log_resubmit ON " + log,
                // a row a user sets back to NEW (a resubmitted failure) wakes the engine like a new change
                "CREATE TRIGGER hc_trigger_log_resubmit AFTER UPDATE OF state ON " + log + " FOR EACH ROW "
                        + "WHEN (NEW.state = 'NEW' AND OLD.state NOT IN ('NEW', 'PENDING')) EXECUTE FUNCTION " + q("hc_trigger_log_notify") + "()");
    }

    /** Heroku Connect's bypass test: engine sessions set xmlbinary to hex, user sessions keep base64. */
    private String getXmlbinary() {
        return "CREATE OR REPLACE FUNCTION " + q("get_xmlbinary") + "() RETURNS varchar LANGUAGE sql STABLE AS $$ SELECT current_setting('xmlbinary')::varchar $$";
    }

    /**
     * One row per change. Arguments: access ({@code read_write}/{@code read_only}), then the captured
     * columns. INSERT logs every captured column; UPDATE only those that changed (IGNORE when none
     * did); DELETE logs the row's sfid (IGNORE when the row never reached Salesforce and no insert of
     * it is still queued). Read-only mappings log READONLY. NEW rows wake the engine.
     */
    private String captureFunction() {
        String log = q("_trigger_log");
        return "CREATE OR REPLACE FUNCTION " + q("hc_capture") + "() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
                + "DECLARE\n"
                + "  cols text[] := TG_ARGV[1:array_upper(TG_ARGV, 1)];\n"
                + "  new_row jsonb;\n"
                + "  old_row jsonb;\n"
                + "  vals jsonb;\n"
                + "  old_vals jsonb;\n"
                + "  rec_id integer;\n"
                + "  rec_sfid varchar(18);\n"
                + "  st varchar(8) := 'NEW';\n"
                + "BEGIN\n"
                + "  IF TG_OP = 'INSERT' THEN\n"
                + "    new_row := to_jsonb(NEW);\n"
                + "    SELECT jsonb_object_agg(k, new_row -> k) INTO vals FROM unnest(cols) AS k;\n"
                + "    rec_id := NEW.id;\n"
                + "    rec_sfid := NEW.sfid;\n"
                + "  ELSIF TG_OP = 'UPDATE' THEN\n"
                + "    new_row := to_jsonb(NEW);\n"
                + "    old_row := to_jsonb(OLD);\n"
                + "    SELECT jsonb_object_agg(k, new_row -> k) INTO vals FROM unnest(cols) AS k WHERE (new_row -> k) IS DISTINCT FROM (old_row -> k);\n"
                + "    SELECT jsonb_object_agg(k, old_row -> k) INTO old_vals FROM unnest(cols) AS k;\n"
                + "    rec_id := NEW.id;\n"
                + "    rec_sfid := COALESCE(OLD.sfid, NEW.sfid);\n"
                + "    IF vals IS NULL THEN\n"
                + "      st := 'IGNORE';\n"
                + "    END IF;\n"
                + "  ELSE\n"
                + "    old_row := to_jsonb(OLD);\n"
                + "    SELECT jsonb_object_agg(k, old_row -> k) INTO old_vals FROM unnest(cols) AS k;\n"
                + "    rec_id := OLD.id;\n"
                + "    rec_sfid := OLD.sfid;\n"
                + "    IF OLD.sfid IS NULL AND NOT EXISTS (SELECT 1 FROM " + log + " l WHERE l.table_name = TG_TABLE_NAME\n"
                + "        AND l.record_id = OLD.id AND l.action = 'INSERT' AND l.state IN ('NEW', 'PENDING', 'FAILED')) THEN\n"
                + "      st := 'IGNORE';\n"
                + "    END IF;\n"
                + "  END IF;\n"
                + "  IF TG_ARGV[0] = 'read_only' THEN\n"
                + "    st := 'READONLY';\n"
                + "  END IF;\n"
                + "  INSERT INTO " + log + " (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, \"values\")\n"
                + "    VALUES (txid_current(), clock_timestamp(), clock_timestamp(), st, TG_OP, TG_TABLE_NAME, rec_id, rec_sfid, old_vals, vals);\n"
                + "  IF st = 'NEW' THEN\n"
                + "    -- Postgres folds identical notifications of one transaction into one\n"
                + "    PERFORM pg_notify(" + literal(listenChannel(schema)) + ", 'ping');\n"
                + "    PERFORM pg_notify(" + literal(compatibleChannel(schema)) + ", 'ping');\n"
                + "  END IF;\n"
                + "  RETURN NULL;\n"
                + "END\n"
                + "$fn$";
    }

    private String resubmitFunction() {
        return "CREATE OR REPLACE FUNCTION " + q("hc_trigger_log_notify") + "() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
                + "BEGIN\n"
                + "  PERFORM pg_notify(" + literal(listenChannel(schema)) + ", 'ping');\n"
                + "  PERFORM pg_notify(" + literal(compatibleChannel(schema)) + ", 'ping');\n"
                + "  RETURN NULL;\n"
                + "END\n"
                + "$fn$";
    }

    /** Marks a user's write PENDING and clears the last error; arguments are the captured columns. */
    private String statusFunction() {
        return "CREATE OR REPLACE FUNCTION " + q("hc_status") + "() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
                + "DECLARE\n"
                + "  new_row jsonb;\n"
                + "  old_row jsonb;\n"
                + "BEGIN\n"
                + "  IF TG_OP = 'UPDATE' THEN\n"
                + "    new_row := to_jsonb(NEW);\n"
                + "    old_row := to_jsonb(OLD);\n"
                + "    IF NOT EXISTS (SELECT 1 FROM unnest(TG_ARGV) AS k WHERE (new_row -> k) IS DISTINCT FROM (old_row -> k)) THEN\n"
                + "      RETURN NEW;\n"
                + "    END IF;\n"
                + "  END IF;\n"
                + "  NEW._hc_lastop := 'PENDING';\n"
                + "  NEW._hc_err := NULL;\n"
                + "  RETURN NEW;\n"
                + "END\n"
                + "$fn$";
    }

    List<String> mappingTable(Mapping m) {
        String table = q(m.table());
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TABLE IF NOT EXISTS " + table + " (id serial PRIMARY KEY, sfid varchar(18), systemmodstamp timestamp, "
                + "createddate timestamp, isdeleted boolean, _hc_lastop varchar(32), _hc_err text)");
        // tables created by hand or by an older pgforce get what they lack; existing columns are never changed
        for (String system : List.of("sfid varchar(18)", "systemmodstamp timestamp", "createddate timestamp", "isdeleted boolean",
                "_hc_lastop varchar(32)", "_hc_err text")) {
            String[] parts = system.split(" ", 2);
            sql.add("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + quote(parts[0]) + " " + parts[1]);
        }
        for (MappingField f : m.fields()) {
            sql.add("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + quote(f.column()) + " " + f.type().sql());
        }
        for (Relationship r : m.relationships()) {
            sql.add("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + quote(r.column()) + " " + r.type().sql());
        }
        sql.add("CREATE UNIQUE INDEX IF NOT EXISTS " + quote("hcu_idx_" + m.table() + "_sfid") + " ON " + table + " (sfid)");
        sql.add("CREATE INDEX IF NOT EXISTS " + quote("hc_idx_" + m.table() + "_systemmodstamp") + " ON " + table + " (systemmodstamp)");
        if (m.uniqueIdentifierColumn() != null) {
            sql.add("CREATE UNIQUE INDEX IF NOT EXISTS " + quote("hcu_idx_" + m.table() + "_" + m.uniqueIdentifierColumn())
                    + " ON " + table + " (" + quote(m.uniqueIdentifierColumn()) + ")");
        }
        sql.addAll(triggers(m));
        return sql;
    }

    /** Triggers are recreated on every install so that their column lists follow the mapping. */
    private List<String> triggers(Mapping m) {
        String table = q(m.table());
        String columns = m.capturedColumns().stream().map(SchemaDdl::literal).collect(Collectors.joining(", "));
        String when = " WHEN (" + q("get_xmlbinary") + "() = 'base64') ";
        List<String> sql = new ArrayList<>(dropTriggers(m.table()));
        sql.add("CREATE TRIGGER " + quote(logTrigger(m.table())) + " AFTER INSERT OR UPDATE OR DELETE ON " + table
                + " FOR EACH ROW" + when + "EXECUTE FUNCTION " + q("hc_capture") + "(" + literal(m.access().label()) + ", " + columns + ")");
        if (m.readWrite()) {
            sql.add("CREATE TRIGGER " + quote(statusTrigger(m.table())) + " BEFORE INSERT OR UPDATE ON " + table
                    + " FOR EACH ROW" + when + "EXECUTE FUNCTION " + q("hc_status") + "(" + columns + ")");
        }
        return sql;
    }

    List<String> dropTriggers(String table) {
        return List.of(
                "DROP TRIGGER IF EXISTS " + quote(logTrigger(table)) + " ON " + q(table),
                "DROP TRIGGER IF EXISTS " + quote(statusTrigger(table)) + " ON " + q(table));
    }

    static String logTrigger(String table) {
        return "hc_" + table + "_logtrigger";
    }

    static String statusTrigger(String table) {
        return "hc_" + table + "_status_trigger";
    }

    /** A SQL string literal; the names passed here are validated identifiers, the escaping is belt and braces. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
