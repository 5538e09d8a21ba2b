package io.pgforce.bench;

import io.pgforce.database.EmbeddedPostgresServer;
import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.Credentials;
import io.pgforce.simulator.SalesforceSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * pgforce end to end, as it runs in production: the packaged application (a separate JVM) on an
 * embedded PostgreSQL, writing to the simulator over HTTP. Each scenario inserts rows in one
 * statement and times the drain: from the commit until every trigger-log row is SUCCESS.
 * The simulator's own rates (SimulatorBench) show how far it is from being the bottleneck.
 */
public final class WriteBench {

    private static final String MAPPING = """
            connection: {schema: salesforce, write_algorithm: %s, api_version: "62.0", bulk_writes: true}
            mappings:
              - object: Account
                unique_identifier: External_Id__c
                fields: {Name: varchar(255), NumberOfEmployees: double precision, External_Id__c: varchar(255)}
              - object: Contact
                unique_identifier: External_Id__c
                fields: {LastName: varchar(80), External_Id__c: varchar(255)}
            """;

    private WriteBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("pgforce-bench");
        try (SalesforceSimulator sf = SalesforceSimulator.builder().bulkProcessingDelay(Duration.ZERO).build().start();
             EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(work.resolve("pgdata"), 0, false)) {
            String token = BenchHttp.token(sf);
            double simulatorSoap = SimulatorBench.soap(sf, token, 50, 1);
            sf.reset();
            List<String[]> rows = new ArrayList<>();
            for (String algorithm : new String[] {"ordered", "merged"}) {
                Process app = start(work, algorithm, pg, sf);
                try (Connection db = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresServer.USER, "")) {
                    awaitWriter(db);
                    rows.add(scenario(db, sf, algorithm, "1,999 inserts", "INSERT INTO salesforce.account (name, numberofemployees, external_id__c) "
                            + "SELECT 'Account ' || g, g % 1000, '" + algorithm + "-s-' || g FROM generate_series(1, 1999) g", 1999));
                    rows.add(scenario(db, sf, algorithm, "10,000 inserts", "INSERT INTO salesforce.account (name, numberofemployees, external_id__c) "
                            + "SELECT 'Account ' || g, g % 1000, '" + algorithm + "-b-' || g FROM generate_series(1, 10000) g", 10_000));
                    rows.add(scenario(db, sf, algorithm, "2,000 updates", "UPDATE salesforce.account SET numberofemployees = numberofemployees + 1 "
                            + "WHERE id IN (SELECT id FROM salesforce.account ORDER BY id LIMIT 2000)", 2000));
                } finally {
                    app.destroy();
                    app.waitFor(30, TimeUnit.SECONDS);
                }
                try (Connection db = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresServer.USER, "");
                     Statement st = db.createStatement()) {
                    st.execute("DROP SCHEMA salesforce CASCADE");
                }
                sf.reset();
            }
            System.out.printf("Simulator alone, SOAP create: %,.0f records/s%n", simulatorSoap);
            System.out.printf("%-9s %-32s %10s %14s %12s %s%n", "algorithm", "scenario", "seconds", "records/s", "API calls", "simulator share of the time");
            for (String[] r : rows) {
                System.out.printf("%-9s %-32s %10s %14s %12s %s%n", (Object[]) r);
            }
        }
    }

    private static Process start(Path work, String algorithm, EmbeddedPostgresServer pg, SalesforceSimulator sf) throws IOException {
        Path mapping = work.resolve("mapping-" + algorithm + ".yaml");
        Files.writeString(mapping, MAPPING.formatted(algorithm));
        Credentials c = sf.credentials();
        List<String> command = List.of("java", "-Xmx1g",
                "-Dpgforce.db.url=" + pg.jdbcUrl(), "-Dpgforce.db.username=" + EmbeddedPostgresServer.USER, "-Dpgforce.db.password=",
                "-Dpgforce.mapping.file=" + mapping, "-Dpgforce.poll.min-interval=100ms", "-Dquarkus.http.port=0",
                "-Dpgforce.instance-id=bench-" + algorithm, "-Dpgforce.bulk.poll-initial-ms=100",
                "-Dcamel.component.salesforce.login-url=" + sf.loginUrl(), "-Dcamel.component.salesforce.client-id=" + c.clientId(),
                "-Dcamel.component.salesforce.client-secret=" + c.clientSecret(), "-Dcamel.component.salesforce.user-name=" + c.username(),
                "-Dcamel.component.salesforce.password=" + c.password(),
                "-jar", Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("app-" + algorithm + ".log").toFile()).start();
    }

    private static void awaitWriter(Connection db) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM salesforce._hc_writer")) {
                rs.next();
                if (rs.getInt(1) == 1) {
                    return;
                }
            } catch (SQLException notYet) {
                // the schema is not installed yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("pgforce did not start within 90 s");
    }

    private static String[] scenario(Connection db, SalesforceSimulator sf, String algorithm, String name, String sql, int records) throws Exception {
        sf.calls().clear();
        long start;
        try (Statement st = db.createStatement()) {
            st.execute("TRUNCATE salesforce._trigger_log");
            start = System.nanoTime();
            st.executeUpdate(sql);
        }
        long deadline = start + Duration.ofMinutes(5).toNanos();
        while (true) {
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT count(*) FILTER (WHERE state = 'SUCCESS'), count(*) FILTER (WHERE state = 'FAILED') FROM salesforce._trigger_log")) {
                rs.next();
                if (rs.getInt(2) > 0) {
                    throw new IllegalStateException(name + ": " + rs.getInt(2) + " change(s) failed");
                }
                if (rs.getInt(1) == records) {
                    break;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": not drained within 5 minutes");
            }
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long calls = sf.calls().calls().stream().filter(c -> c.api().equals("SOAP") || c.operation().equals("createJob")).count();
        String kind = sf.calls().calls().stream().anyMatch(c -> c.operation().equals("createJob")) ? "Bulk" : "SOAP";
        long simMillis = sf.calls().calls().stream().mapToLong(CallLog.Call::durationMillis).sum();
        return new String[] {algorithm, name + " [" + kind + "]", String.format("%.2f", seconds), String.format("%,.0f", records / seconds),
                Long.toString(calls), String.format("simulator busy %.0f%%", 100.0 * simMillis / 1000 / seconds)};
    }
}
