package io.pgforce.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.bench.ChaosRun;
import io.pgforce.testing.UserSession;
import io.pgforce.testing.process.PackagedApp;
import io.pgforce.testing.process.ScratchPostgres;
import io.pgforce.testing.process.SimulatorProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged application reads its routes from routes/ in its working directory (or
 * pgforce.routes.dir), so an operator edits a route without a rebuild; without that directory the
 * packaged copy runs. Each test runs the application as its own process in a directory of its own.
 */
class RoutesFromFileSystemIT {

    private static final Path ROUTES = Path.of("routes").toAbsolutePath();
    private static final String MARKER = "OPERATOR-STEP-7f3a";

    private static ScratchPostgres pg;
    private static SimulatorProcess sf;
    private static Path base;

    @BeforeAll
    static void startServers() throws IOException {
        base = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "routes-it");
        pg = ScratchPostgres.shared();
        sf = SimulatorProcess.start(base.resolve("simulator.log"));
    }

    @AfterAll
    static void stopServers() {
        if (sf != null) {
            sf.close();
        }
    }

    @Test
    void anEditedErrorChannelInTheWorkingDirectoryRuns() throws Exception {
        Path dir = Files.createDirectories(base.resolve("edited"));
        copyRoutesWithMarkerStep(dir.resolve("routes"));
        String url = pg.newDatabase("routes_edited_" + System.currentTimeMillis() % 100_000_000);
        try (PackagedApp app = app("routes-edited", dir, url).build();
             UserSession db = UserSession.open(url, pg.user(), pg.password())) {
            app.start().awaitStarted(Duration.ofSeconds(120));
            assertThat(app.logLines(1, "Routes from")).singleElement().asString()
                    .endsWith("Routes from file:" + dir.resolve("routes").toRealPath() + "/*.yaml (the directory routes/ in the working directory)");

            failAnInsert(db, app);
        }
    }

    @Test
    void withoutARoutesDirectoryThePackagedRoutesRun() throws Exception {
        Path dir = Files.createDirectories(base.resolve("packaged"));
        try (PackagedApp app = PackagedApp.builder().shortRun().workingDirectory(dir).mapping(mapping(dir)).instanceId("routes-packaged")
                .property("pgforce.db.url", "jdbc:postgresql://127.0.0.1:1/none")
                .log(dir.resolve("app.log")).build()) {
            app.start().awaitStarted(Duration.ofSeconds(120));
            assertThat(app.logLines(1, "Routes from")).singleElement().asString()
                    .endsWith("Routes from classpath:routes/*.yaml (the packaged copy: no directory routes/ in " + dir.toRealPath() + ")");
            assertThat(app.countLogLines("Started pgforce-insert-failed (direct://pgforce-insert-failed)")).as("the packaged error channel started").isPositive();
        }
    }

    @Test
    void aRoutesDirectoryThatDoesNotExistStopsStartUpWithOneLine() throws Exception {
        Path dir = Files.createDirectories(base.resolve("missing"));
        Path missing = dir.resolve("no-such-routes");
        try (PackagedApp app = PackagedApp.builder().shortRun().workingDirectory(dir).mapping(mapping(dir)).instanceId("routes-missing")
                .property("pgforce.db.url", "jdbc:postgresql://127.0.0.1:1/none")
                .property("pgforce.routes.dir", missing.toString())
                .log(dir.resolve("app.log")).build()) {
            app.start();
            await("the application to stop").atMost(Duration.ofSeconds(60)).until(() -> !app.isAlive());
            List<String> lines = Files.readAllLines(app.log(), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("====")).toList();
            assertThat(app.exitCode()).as("exit code; output %s", lines).isEqualTo(1);
            assertThat(lines).as("output").singleElement().asString()
                    .contains("pgforce.routes.dir").contains(missing.toString()).doesNotContain("Exception");
        }
    }

    /** The route files of the project with one step of the operator's own in the error channel. */
    static void copyRoutesWithMarkerStep(Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(ROUTES)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        Path errors = target.resolve("errors.yaml");
        String text = Files.readString(errors);
        Files.writeString(errors, withMarkerStep(text));
    }

    static String withMarkerStep(String errorsYaml) {
        String anchor = "\n            logName: io.pgforce.errors\n"; // the insert channel's log step, 12 spaces in
        assertThat(errorsYaml).contains(anchor);
        return errorsYaml.replace(anchor, anchor + """
                        - log:
                            message: "%s ${body.item.table} ${body.item.recordId}"
                            loggingLevel: WARN
                            logName: io.pgforce.errors
                """.formatted(MARKER));
    }

    /** An account without a Name: Salesforce refuses it, and the insert goes through the error channel. */
    static void failAnInsert(UserSession db, PackagedApp app) {
        await("a writer").atMost(Duration.ofSeconds(60)).until(() -> ((Number) db.scalar("SELECT count(*) FROM salesforce._hc_writer")).intValue() == 1);
        db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES (NULL, 'ROUTES-' || txid_current())");
        await("the operator's step in the error channel").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> app.countLogLines(MARKER + " account") == 1);
    }

    static PackagedApp.Builder app(String id, Path dir, String url) throws IOException {
        return PackagedApp.builder().shortRun().workingDirectory(dir).database(url, pg.user(), pg.password()).salesforce(sf)
                .mapping(mapping(dir)).instanceId(id).properties(ChaosRun.FAST).log(dir.resolve("app.log"));
    }

    static Path mapping(Path dir) throws IOException {
        return Files.writeString(dir.resolve("mapping.yaml"), ChaosRun.MAPPING.formatted("ordered"));
    }

    static SimulatorProcess simulator() {
        return sf;
    }
}
