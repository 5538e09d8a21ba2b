package io.pgforce.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.bench.ChaosRun;
import io.pgforce.testing.UserSession;
import io.pgforce.testing.process.PackagedApp;
import io.pgforce.testing.process.ScratchPostgres;
import io.pgforce.testing.process.SimulatorProcess;
import io.quarkus.runtime.configuration.DurationConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two pgforce processes on one database with the same mapping and different instance ids: exactly
 * one leads (Camel's leadership, asked through each process's readiness check); the leader is
 * SIGKILLed in the middle of draining 3,000 inserts, and the other leads within the lease lifetime
 * (pgforce.writer.lease-lifetime, 6 s here) and finishes: every row SUCCESS once, as many records in
 * Salesforce as rows, no duplicate.
 */
class WriterTakeoverIT {

    private static final int ROWS = 3000;

    @Test
    void theOtherInstanceFinishesWhenTheWriterIsKilledMidDrain() throws Exception {
        Path dir = Path.of("target", "takeover-it").toAbsolutePath();
        Path mapping = orderedMapping(dir);
        ScratchPostgres pg = ScratchPostgres.shared();
        String url = pg.newDatabase("takeover_" + System.currentTimeMillis() % 100_000_000);
        try (SimulatorProcess sf = SimulatorProcess.start(dir.resolve("simulator.log"));
             PackagedApp a = app("takeover-a", url, pg, sf, mapping, dir);
             PackagedApp b = app("takeover-b", url, pg, sf, mapping, dir)) {
            a.start();
            b.start();
            a.awaitStarted(Duration.ofSeconds(120));
            b.awaitStarted(Duration.ofSeconds(120));
            try (UserSession db = UserSession.open(url, pg.user(), pg.password())) {
                await(() -> count(db, "SELECT count(*) FROM salesforce._hc_writer") == 1, Duration.ofSeconds(60), "a writer");
                await(() -> leads(a) != leads(b), Duration.ofSeconds(30), "exactly one leader");
                assertThat(leads(a) ? a.instanceId() : b.instanceId()).as("the leader holds the lease")
                        .isEqualTo(db.scalar("SELECT owner FROM salesforce._hc_writer"));
                // slow Salesforce down so that the drain takes seconds and the kill lands in its middle
                sf.faults("{\"latencyPerCallMillis\": 400}");
                db.update("INSERT INTO salesforce.account (name, numberofemployees, external_id__c) "
                        + "SELECT 'Takeover ' || g, g % 100, 'T-' || g FROM generate_series(1, ?) g", ROWS);
                // the kill lands once the writer has created the Bulk job for the 3,000 inserts, before it settled them
                await(() -> count(db, "SELECT count(*) FROM salesforce._trigger_log WHERE bulk_job_id IS NOT NULL") > 0, Duration.ofSeconds(60),
                        "the writer to create its Bulk job");
                String owner = (String) db.scalar("SELECT owner FROM salesforce._hc_writer");
                PackagedApp writer = owner.equals(a.instanceId()) ? a : b;
                PackagedApp other = writer == a ? b : a;
                long doneAtKill = count(db, "SELECT count(*) FROM salesforce._trigger_log WHERE state = 'SUCCESS'");
                assertThat(leads(writer)).as("the lease holder leads").isTrue();
                assertThat(leads(other)).as("the other stands by").isFalse();
                writer.kill();
                long killed = System.nanoTime();
                sf.clearFaults();
                System.out.printf("takeover: killed the writer %s with %d of %d rows SUCCESS; %s must take over%n", owner, doneAtKill, ROWS, other.instanceId());
                assertThat(doneAtKill).as("the kill must land mid-drain").isLessThan(ROWS);

                long leaseSeconds = DurationConverter.parseDuration(ChaosRun.FAST.get("pgforce.writer.lease-lifetime")).toSeconds();
                await(() -> leads(other), Duration.ofSeconds(leaseSeconds + 30), other.instanceId() + " to lead");
                double ledAfter = (System.nanoTime() - killed) / 1e9;
                System.out.printf("takeover: %s leads %.1f s after the kill (lease %d s)%n", other.instanceId(), ledAfter, leaseSeconds);
                assertThat(ledAfter).as("leads within the lease lifetime (+2 s for the checks)").isLessThan(leaseSeconds + 2.0);

                String why = "every row SUCCESS after the take-over; " + other.instanceId() + " log: " + other.log();
                boolean drained = awaitQuietly(() -> count(db, "SELECT count(*) FROM salesforce._trigger_log WHERE state = 'SUCCESS'") == ROWS
                        && count(db, "SELECT count(*) FROM salesforce._trigger_log WHERE state IN ('NEW', 'PENDING')") == 0, Duration.ofSeconds(120));
                assertThat(drained).as("%s; states now %s; last lines of %s: %s", why,
                        db.query("SELECT state, count(*) FROM salesforce._trigger_log GROUP BY state"), other.instanceId(),
                        other.logLines(8, " WARN ", " ERROR ", "Bulk job", "writer", "Reclaimed")).isTrue();

                assertThat(db.scalar("SELECT owner FROM salesforce._hc_writer")).isEqualTo(other.instanceId());
                assertThat(db.query("SELECT state, count(*) AS n FROM salesforce._trigger_log GROUP BY state"))
                        .as("every change SUCCESS, nothing else").containsExactly(Map.of("state", "SUCCESS", "n", (long) ROWS));
                assertThat(count(db, "SELECT count(DISTINCT record_id) FROM salesforce._trigger_log WHERE state = 'SUCCESS'")).as("each row once").isEqualTo(ROWS);

                List<Map<String, Object>> records = sf.records("Account");
                Map<String, String> extById = new HashMap<>();
                Set<String> externalIds = new HashSet<>();
                for (Map<String, Object> r : records) {
                    extById.put((String) r.get("Id"), (String) r.get("External_Id__c"));
                    externalIds.add(((String) r.get("External_Id__c")).toLowerCase());
                }
                assertThat(records).as("records in Salesforce").hasSize(ROWS);
                assertThat(externalIds).as("no duplicate External_Id__c").hasSize(ROWS);
                List<Map<String, Object>> rows = db.query("SELECT sfid, external_id__c FROM salesforce.account");
                for (Map<String, Object> row : rows) {
                    assertThat(extById.get((String) row.get("sfid"))).as("the record of %s", row).isEqualTo(row.get("external_id__c"));
                }
            }
        }
    }

    /**
     * A rolling deploy: the writer is stopped gracefully while its successor runs. The lease lives
     * a minute here, yet the successor writes within seconds, because a graceful stop releases it.
     */
    @Test
    void aGracefulStopHandsTheLeaseToTheSuccessorAtOnce() throws Exception {
        Path dir = Path.of("target", "handover-it").toAbsolutePath();
        Path mapping = orderedMapping(dir);
        ScratchPostgres pg = ScratchPostgres.shared();
        String url = pg.newDatabase("handover_" + System.currentTimeMillis() % 100_000_000);
        try (SimulatorProcess sf = SimulatorProcess.start(dir.resolve("simulator.log"));
             PackagedApp old = app("handover-old", url, pg, sf, mapping, dir, "60s");
             PackagedApp successor = app("handover-new", url, pg, sf, mapping, dir, "60s");
             UserSession db = UserSession.open(url, pg.user(), pg.password())) {
            old.start().awaitStarted(Duration.ofSeconds(120));
            await(() -> old.instanceId().equals(db.scalar("SELECT owner FROM salesforce._hc_writer")), Duration.ofSeconds(60), "the first writer");
            successor.start().awaitStarted(Duration.ofSeconds(120));

            old.stop();
            long stopped = System.nanoTime();
            db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Handover ' || g, 'H-' || g FROM generate_series(1, 10) g");
            await(() -> count(db, "SELECT count(*) FROM salesforce._trigger_log WHERE state = 'SUCCESS'") == 10, Duration.ofSeconds(20),
                    "the successor to write (the lease lives 60 s)");
            System.out.printf("handover: the successor wrote %.1f s after the graceful stop%n", (System.nanoTime() - stopped) / 1e9);
            assertThat(db.scalar("SELECT owner FROM salesforce._hc_writer")).isEqualTo(successor.instanceId());
            assertThat(old.logLines(3, "released the writer lease")).isNotEmpty();
        }
    }

    /**
     * The same on the embedded PostgreSQL, which the application itself stops: it must stop only
     * after the lease is released, or a restarted pgforce waits a whole lease lifetime to write.
     */
    @Test
    void aRestartOnTheEmbeddedDatabaseWritesAtOnce() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "embedded-restart-it");
        Path mapping = orderedMapping(dir);
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + io.pgforce.database.EmbeddedPostgresServer.DATABASE;
        try (SimulatorProcess sf = SimulatorProcess.start(dir.resolve("simulator.log"));
             PackagedApp first = embeddedApp("embedded-first", sf, mapping, dir, port);
             PackagedApp second = embeddedApp("embedded-second", sf, mapping, dir, port)) {
            first.start().awaitStarted(Duration.ofSeconds(120));
            try (UserSession db = UserSession.open(url, io.pgforce.database.EmbeddedPostgresServer.USER, "")) {
                await(() -> first.instanceId().equals(db.scalar("SELECT owner FROM salesforce._hc_writer")), Duration.ofSeconds(60), "the first writer");
            }
            first.stop();
            assertThat(first.logLines(3, "released the writer lease")).as("released before the database stopped").isNotEmpty();

            second.start().awaitStarted(Duration.ofSeconds(120));
            try (UserSession db = UserSession.open(url, io.pgforce.database.EmbeddedPostgresServer.USER, "")) {
                db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Restart ' || g, 'E-' || g FROM generate_series(1, 10) g");
                await(() -> count(db, "SELECT count(*) FROM salesforce._trigger_log WHERE state = 'SUCCESS'") == 10, Duration.ofSeconds(20),
                        "the restarted pgforce to write (the lease lives 60 s)");
            }
        }
    }

    /** The chaos suite's mapping under Ordered Writes, written into the test's directory. */
    private static Path orderedMapping(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("mapping.yaml"), ChaosRun.MAPPING.formatted("ordered"));
    }

    private static PackagedApp embeddedApp(String id, SimulatorProcess sf, Path mapping, Path dir, int port) {
        return PackagedApp.builder().salesforce(sf).mapping(mapping).instanceId(id).properties(ChaosRun.FAST)
                .property("pgforce.writer.lease-lifetime", "60s")
                .property("pgforce.embedded.data-dir", dir.resolve("pgdata").toString())
                .property("pgforce.embedded.port", String.valueOf(port))
                .log(dir.resolve("app-" + id + ".log")).build();
    }

    private static PackagedApp app(String id, String url, ScratchPostgres pg, SimulatorProcess sf, Path mapping, Path dir) {
        return app(id, url, pg, sf, mapping, dir, ChaosRun.FAST.get("pgforce.writer.lease-lifetime"));
    }

    private static PackagedApp app(String id, String url, ScratchPostgres pg, SimulatorProcess sf, Path mapping, Path dir, String leaseLifetime) {
        return PackagedApp.builder().database(url, pg.user(), pg.password()).salesforce(sf).mapping(mapping).instanceId(id)
                .properties(ChaosRun.FAST)
                .property("pgforce.writer.lease-lifetime", leaseLifetime)
                .property("pgforce.poll.interval", "2s") // the survivor gets no notify after the kill: its timer finds the work
                .log(dir.resolve("app-" + id + ".log")).build();
    }

    /** Whether Camel leads the writer namespace in this process, as its readiness check says. */
    private static boolean leads(PackagedApp app) throws Exception {
        java.net.http.HttpResponse<String> response;
        try {
            response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(app.httpUrl().resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            // seen once right after the other writer's SIGKILL on the loaded machine: asked again;
            // the take-over's own deadline (lease + 2 s) still bounds how late it may answer
            System.out.printf("takeover: %s readiness did not answer within 5 s%n", app.instanceId());
            return false;
        }
        String body = response.body().replaceAll("\\s", "");
        assertThat(body).as("%s readiness", app.instanceId()).contains("\"name\":\"pgforce-writer\",\"status\":\"UP\"");
        return body.contains("\"leader\":true");
    }

    private static long count(UserSession db, String sql) {
        return ((Number) db.scalar(sql)).longValue();
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    private static void await(Condition c, Duration within, String what) {
        org.awaitility.Awaitility.await(what).atMost(within).pollInterval(Duration.ofMillis(200)).until(c::met);
    }

    private static boolean awaitQuietly(Condition c, Duration within) {
        try {
            await(c, within, "a condition");
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
