package io.pgforce.bench;

import io.pgforce.config.MappingSet;
import io.pgforce.database.EmbeddedPostgresServer;
import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.RowLevelCapture;
import io.pgforce.testing.TestMappings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What capture costs the application's statements, on one PostgreSQL server: 1,000-row INSERTs
 * and UPDATEs, and single-row INSERTs and UPDATEs, each run for a fixed time against a plain table
 * with the mapping table's columns and indexes, a mapping table captured by the row triggers of
 * schema version 2 (RowLevelCapture) and one captured by the statement triggers pgforce installs
 * now, and, for reference, a plain table whose statements write the same trigger-log rows
 * themselves. Prints statements per second and each one's cost as a multiple of the plain table's.
 * The tables take turns in short slices, so that a machine whose load changes during the run
 * weighs on all of them alike.
 * <p>
 * {@code bench/run.sh CaptureCost} runs it on an embedded PostgreSQL 17;
 * {@code bench/run.sh CaptureCost jdbc:postgresql://host:port/db user password [seconds]} on
 * another server (it creates four schemas there: capture_plain, capture_rows, capture_statements, capture_log_only).
 */
public final class CaptureCost {

    /** The application's statements. */
    public enum Workload {
        INSERT_1000, UPDATE_1000, INSERT_1, UPDATE_1;

        public String label() {
            return (rows() == 1 ? "single-row " : "1,000-row ") + name().substring(0, name().indexOf('_'));
        }

        int rows() {
            return Integer.parseInt(name().substring(name().indexOf('_') + 1));
        }
    }

    /** The table the statements write to. */
    public enum Table {
        PLAIN("capture_plain", "plain table"),
        ROW_TRIGGERS("capture_rows", "row triggers (v2)"),
        STATEMENT_TRIGGERS("capture_statements", "statement triggers"),
        /**
         * A plain table whose statements write their trigger-log rows themselves (a data-modifying
         * CTE): what writing the log costs without any trigger.
         */
        LOG_WITHOUT_TRIGGERS("capture_log_only", "log rows, no trigger");

        private final String schema;
        private final String label;

        Table(String schema, String label) {
            this.schema = schema;
            this.label = label;
        }
    }

    /** Statements per second of one workload on each table. */
    public record Rates(Workload workload, Map<Table, Double> perSecond) {
        /** The capture's cost as a multiple of the plain table's: 2.0 means each statement takes twice as long. */
        public double cost(Table table) {
            return perSecond.get(Table.PLAIN) / perSecond.get(table);
        }
    }

    public record Result(String server, double secondsEach, List<Rates> rates) {
        public Rates of(Workload workload) {
            return rates.stream().filter(r -> r.workload() == workload).findFirst().orElseThrow();
        }

        public String report() {
            StringBuilder sb = new StringBuilder(String.format("Capture cost on %s, %.0f s per workload and table (in %d turns)%n", server, secondsEach, TURNS));
            sb.append(String.format("%-20s", "statements/s"));
            for (Table t : Table.values()) {
                sb.append(String.format(" %24s", t.label));
            }
            sb.append(String.format("%n"));
            for (Rates r : rates) {
                sb.append(String.format("%-20s %24.1f", r.workload().label(), r.perSecond().get(Table.PLAIN)));
                for (Table t : List.of(Table.ROW_TRIGGERS, Table.STATEMENT_TRIGGERS, Table.LOG_WITHOUT_TRIGGERS)) {
                    sb.append(String.format(" %15.1f (%5.2fx)", r.perSecond().get(t), r.cost(t)));
                }
                sb.append(String.format("%n"));
            }
            return sb.toString();
        }
    }

    private static final String MAPPING = """
            connection: {schema: %s}
            mappings:
              - object: Account
                unique_identifier: External_Id__c
                fields:
                  Name: varchar(255)
                  Phone: varchar(40)
                  Industry: varchar(40)
                  AnnualRevenue: numeric(18,2)
                  NumberOfEmployees: integer
                  IsActive__c: boolean
                  External_Id__c: varchar(64)
            """;
    private static final String COLUMNS = "name, phone, industry, annualrevenue, numberofemployees, isactive__c, external_id__c";
    /** Rows in each table before the UPDATE workloads pick theirs. */
    private static final int ROWS = 100_000;
    private static final int TURNS = 5;

    private CaptureCost() {
    }

    public static void main(String[] args) throws Exception {
        Duration each = Duration.ofSeconds(args.length > 3 ? Integer.parseInt(args[3]) : 10);
        if (args.length >= 3) {
            System.out.print(measure(args[0], args[1], args[2], each).report());
            return;
        }
        Path dir = Files.createTempDirectory("pgforce-capture-cost");
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("pgdata"), 0, false)) {
            System.out.print(measure(pg.jdbcUrl(), EmbeddedPostgresServer.USER, "", each).report());
        }
    }

    /** Lays out the tables (dropping what an earlier run left) and runs every workload for {@code each} on each table. */
    public static Result measure(String jdbcUrl, String user, String password, Duration each) throws SQLException, IOException {
        Path dir = Files.createTempDirectory("pgforce-capture-cost");
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            layOut(c, jdbcUrl, user, password, dir);
            String server;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 'PostgreSQL ' || current_setting('server_version')")) {
                rs.next();
                server = rs.getString(1);
            }
            List<Rates> rates = new ArrayList<>();
            for (Workload w : Workload.values()) {
                rates.add(run(c, w, each));
            }
            return new Result(server, each.toMillis() / 1000.0, rates);
        }
    }

    private static void layOut(Connection c, String jdbcUrl, String user, String password, Path dir) throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        ds.setUser(user);
        ds.setPassword(password);
        try (Statement st = c.createStatement()) {
            for (Table t : Table.values()) {
                st.execute("DROP SCHEMA IF EXISTS " + t.schema + " CASCADE");
                MappingSet set = TestMappings.fromYaml(dir, MAPPING.formatted(t.schema));
                SchemaInstaller.install(ds, set, Duration.ofSeconds(1));
                switch (t) {
                    case PLAIN, LOG_WITHOUT_TRIGGERS -> {
                        for (String trigger : triggers(c, t)) {
                            st.execute("DROP TRIGGER " + trigger + " ON " + t.schema + ".account");
                        }
                    }
                    case ROW_TRIGGERS -> RowLevelCapture.install(c, t.schema, set.mappings());
                    case STATEMENT_TRIGGERS -> { } // as installed
                }
            }
        }
    }

    private static List<String> triggers(Connection c, Table t) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT tgname FROM pg_trigger WHERE tgrelid = '"
                + t.schema + ".account'::regclass AND NOT tgisinternal")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** The tables start alike: the same rows, an empty trigger log, fresh statistics. */
    private static Rates run(Connection c, Workload w, Duration each) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (Table t : Table.values()) {
                st.execute("TRUNCATE " + t.schema + ".account, " + t.schema + "._trigger_log RESTART IDENTITY");
                st.execute("SET xmlbinary = 'hex'"); // loaded as pgforce's engine would write: not captured
                st.execute("INSERT INTO " + t.schema + ".account (" + COLUMNS + ") SELECT 'Account ' || g, '+1 555 ' || g, 'Technology', g * 10.5, g,"
                        + " g % 2 = 0, 'L-' || g FROM generate_series(1, " + ROWS + ") g");
                st.execute("RESET xmlbinary");
                st.execute("VACUUM ANALYZE " + t.schema + ".account");
                st.execute("VACUUM ANALYZE " + t.schema + "._trigger_log");
            }
        }
        Map<Table, long[]> done = new EnumMap<>(Table.class); // statements, nanoseconds
        for (Table t : Table.values()) {
            done.put(t, new long[2]);
            statements(c, w, t, Duration.ofMillis(300)); // compiles the triggers' functions and plans
        }
        Duration turn = each.dividedBy(TURNS);
        for (int i = 0; i < TURNS; i++) {
            for (Table t : Table.values()) {
                long start = System.nanoTime();
                done.get(t)[0] += statements(c, w, t, turn);
                done.get(t)[1] += System.nanoTime() - start;
            }
        }
        Map<Table, Double> perSecond = new EnumMap<>(Table.class);
        done.forEach((t, d) -> perSecond.put(t, d[0] / (d[1] / 1e9)));
        return new Rates(w, perSecond);
    }

    /** The workload's statement; {@code returning} is added to it. */
    private static String sql(Workload w, String account, String returning) {
        return switch (w) {
            case INSERT_1000 -> "INSERT INTO " + account + " AS a (" + COLUMNS + ") SELECT 'Account ' || g, '+1 555 ' || g, 'Technology', g * 10.5, g,"
                    + " g % 2 = 0, ? || g FROM generate_series(1, 1000) g" + returning;
            case UPDATE_1000 -> "UPDATE " + account + " a SET phone = ?, annualrevenue = a.annualrevenue + 1 WHERE a.id BETWEEN ? AND ? + 999" + returning;
            case INSERT_1 -> "INSERT INTO " + account + " AS a (" + COLUMNS + ") VALUES ('Account', '+1 555 0100', 'Technology', 10.5, 1, true, ?)" + returning;
            case UPDATE_1 -> "UPDATE " + account + " a SET phone = ?, annualrevenue = a.annualrevenue + 1 WHERE a.id = ?" + returning;
        };
    }

    /**
     * The workload's statement writing its own trigger-log rows, as the capture would (the old
     * values of an UPDATE come from a self-join, as RETURNING has only the new ones).
     */
    private static String withLog(Workload w, String schema) {
        String values = "jsonb_build_object(" + Stream.of(COLUMNS.split(", ")).map(c -> "'" + c + "', %1$s." + c).collect(Collectors.joining(", ")) + ")";
        boolean update = w == Workload.UPDATE_1000 || w == Workload.UPDATE_1;
        String statement = sql(w, schema + ".account", update
                ? " RETURNING a.id, a.sfid, " + values.formatted("a") + " AS new, " + values.formatted("o") + " AS old"
                : " RETURNING a.id, a.sfid, " + values.formatted("a") + " AS new, NULL::jsonb AS old");
        if (update) {
            statement = statement.replace(" WHERE a.id", " FROM " + schema + ".account o WHERE o.id = a.id AND a.id");
        }
        return "WITH r AS (" + statement + ") INSERT INTO " + schema + "._trigger_log (txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, \"values\")"
                + " SELECT txid_current(), clock_timestamp(), clock_timestamp(), 'NEW', '" + (update ? "UPDATE" : "INSERT") + "', 'account', r.id, r.sfid, r.old, r.new FROM r";
    }

    /** Runs the workload's statement on the table, each in its own transaction, for {@code time}; returns how many ran. */
    private static long statements(Connection c, Workload w, Table t, Duration time) throws SQLException {
        String sql = t == Table.LOG_WITHOUT_TRIGGERS ? withLog(w, t.schema) : sql(w, t.schema + ".account", "");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long deadline = System.nanoTime() + time.toNanos();
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            while (System.nanoTime() < deadline) {
                String unique = w.name() + "-" + System.nanoTime() + "-";
                switch (w) {
                    case INSERT_1000, INSERT_1 -> ps.setString(1, unique);
                    case UPDATE_1000 -> {
                        int first = random.nextInt(1, ROWS - 999);
                        ps.setString(1, unique);
                        ps.setInt(2, first);
                        ps.setInt(3, first);
                    }
                    case UPDATE_1 -> {
                        ps.setString(1, unique);
                        ps.setInt(2, random.nextInt(1, ROWS + 1));
                    }
                }
                ps.executeUpdate();
                n++;
            }
        }
        return n;
    }
}
