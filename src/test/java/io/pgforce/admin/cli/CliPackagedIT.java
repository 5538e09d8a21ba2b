package io.pgforce.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.bench.ChaosRun;
import io.pgforce.testing.process.PackagedApp;
import io.pgforce.testing.process.ScratchPostgres;
import io.pgforce.testing.process.SimulatorProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar's {@code status} command against a running packaged application, both as
 * their own processes: the CLI answers without starting an engine of its own, and the
 * application (production profile) refuses a call without its token.
 */
class CliPackagedIT {

    @Test
    void theJarsStatusCommandCallsTheRunningApplication() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cli-it");
        ScratchPostgres pg = ScratchPostgres.shared();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String url = pg.newDatabase("cli_it_" + System.currentTimeMillis() % 100_000_000);
        try (SimulatorProcess sf = SimulatorProcess.start(dir.resolve("simulator.log"));
             PackagedApp app = PackagedApp.builder().shortRun().workingDirectory(dir).database(url, pg.user(), pg.password()).salesforce(sf)
                     .mapping(Files.writeString(dir.resolve("mapping.yaml"), ChaosRun.MAPPING.formatted("ordered"))).instanceId("cli-it")
                     .properties(ChaosRun.FAST).property("quarkus.http.port", String.valueOf(port)).property("pgforce.admin.token", "it-token")
                     .log(dir.resolve("app.log")).build()) {
            app.start().awaitStarted(Duration.ofSeconds(120));
            String base = "http://127.0.0.1:" + port;

            Result ok = cli(dir, "status", "--url", base, "--token", "it-token");
            assertThat(ok.code()).as(ok.output()).isZero();
            assertThat(ok.output()).startsWith("=== pgforce cli-it").containsPattern("Schema: +salesforce").doesNotContain("Quarkus", "started in");

            Result json = cli(dir, "status", "--json", "--url", base, "--token", "it-token");
            assertThat(json.output()).startsWith("{\"state\":");

            Result refused = cli(dir, "status", "--url", base);
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.output().strip()).isEqualTo("pgforce: missing Authorization: Bearer <pgforce.admin.token> (set --token or PGFORCE_ADMIN_TOKEN)");
        }
    }

    record Result(int code, String output) {
    }

    /** {@code java -jar quarkus-run.jar ARGS}, stdout and stderr together. */
    private static Result cli(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                PackagedApp.defaultJar().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the CLI ends").isTrue();
        return new Result(p.exitValue(), output);
    }
}
