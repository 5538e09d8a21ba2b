package io.pgforce.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.admin.cli.PgforceCli;
import io.pgforce.bench.ChaosRun;
import io.pgforce.simulator.Credentials;
import io.pgforce.testing.Simulators;
import io.pgforce.testing.UserSession;
import io.pgforce.testing.process.ScratchPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The distribution, target/pgforce-VERSION.tar.gz, unpacked as a user unpacks it: its launcher
 * bin/pgforce runs every CLI verb, the simulator and the engine (reading config/ of the
 * distribution, JVM options from JAVA_OPTS), and a change written while it runs reaches the org.
 */
class DistributionIT {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("pgforce.distribution", "target/pgforce-" + version() + ".tar.gz")).toAbsolutePath();
        assertThat(archive).as("the distribution (mvn package builds it)").exists();
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "dist-it");
        Result tar = run(dir, Map.of(), Duration.ofSeconds(120), "tar", "xzf", archive.toString());
        assertThat(tar.code()).as(tar.output()).isZero();
        String top = archive.getFileName().toString().replace(".tar.gz", "");
        home = dir.resolve(top);
    }

    private static String version() {
        return System.getProperty("project.version", "0.1.0-SNAPSHOT");
    }

    @Test
    void itHoldsTheLauncherTheSettingsTheRoutesTheMappingsAndTheManifests() throws IOException {
        assertThat(home.resolve("bin/pgforce")).isExecutable();
        assertThat(home.resolve("quarkus-app/quarkus-run.jar")).isRegularFile();
        // (the engine's test appends its own settings)
        assertThat(Files.readString(home.resolve("config/application.properties"))).startsWith(Files.readString(Path.of("application.properties")));
        assertThat(home.resolve("routes/writer.yaml")).hasSameTextualContentAs(Path.of("routes/writer.yaml"));
        assertThat(home.resolve("mappings/demo.yaml")).isRegularFile();
        assertThat(home.resolve("k8s/pgforce.yaml")).isRegularFile();
        assertThat(home.resolve("k8s/routes-configmap.sh")).isExecutable();
    }

    @Test
    void everyCliVerbRunsThroughTheLauncher() throws Exception {
        List<String> verbs = new ArrayList<>(new CommandLine(new PgforceCli()).getSubcommands().keySet());
        assertThat(verbs).contains("status", "adopt", "release", "diagnose", "import", "export");
        for (String verb : verbs) {
            Result help = pgforce(Map.of(), verb, "--help");
            assertThat(help.code()).as("pgforce %s --help: %s", verb, help.output()).isZero();
            assertThat(help.output()).as("pgforce %s --help", verb).contains("Usage: pgforce " + verb + " ");
        }
        Result none = pgforce(Map.of());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.output().strip()).startsWith("usage: pgforce run | pgforce simulator");
        Result runWithArgs = pgforce(Map.of(), "run", "--port", "1");
        assertThat(runWithArgs.code()).isEqualTo(2);
        assertThat(runWithArgs.output().strip()).startsWith("pgforce: run takes no arguments");
    }

    @Test
    void runReadsTheDistributionsConfigAndJavaOptsAndWritesAChange() throws Exception {
        ScratchPostgres pg = ScratchPostgres.shared();
        String url = pg.newDatabase("dist_it_" + System.currentTimeMillis() % 100_000_000);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process simulator = start(home.resolve("simulator.log"), Map.of(), "simulator", "--port", "0");
        Process engine = null;
        try {
            String loginUrl = awaitLine(simulator, home.resolve("simulator.log"), LISTENING);
            // what an operator writes into the distribution's config/application.properties
            Map<String, String> settings = new HashMap<>(Simulators.loginProperties(loginUrl, Credentials.DEFAULT));
            settings.putAll(ChaosRun.FAST);
            settings.put("pgforce.db.url", url);
            settings.put("pgforce.db.username", pg.user());
            settings.put("pgforce.db.password", pg.password() == null ? "" : pg.password());
            settings.put("pgforce.mapping.file", Files.writeString(home.resolve("mappings/it.yaml"), ChaosRun.MAPPING.formatted("ordered")).toString());
            settings.put("quarkus.http.port", String.valueOf(port));
            Files.writeString(home.resolve("config/application.properties"), settings.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "\n", "\n")), StandardOpenOption.APPEND);

            Map<String, String> env = Map.of("JAVA_OPTS", "-Xmx512m -Dpgforce.instance-id=dist-it", "PGFORCE_ADMIN_TOKEN", "dist-token");
            engine = start(home.resolve("app.log"), env, "run");
            Path appLog = home.resolve("app.log");
            awaitLine(engine, appLog, Pattern.compile("started in .*Listening on"));

            Result status = pgforce(env, "status", "--url", "http://127.0.0.1:" + port);
            assertThat(status.code()).as(status.output()).isZero();
            assertThat(status.output()).startsWith("=== pgforce dist-it").containsPattern("Schema: +salesforce");

            try (UserSession db = UserSession.open(url, pg.user(), pg.password())) {
                await("a writer").atMost(Duration.ofSeconds(60)).until(() -> db.count("SELECT count(*) FROM salesforce._hc_writer") == 1);
                db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Dist', 'DIST-1')");
                await("the change written").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> db.count("SELECT count(*) FROM salesforce.account WHERE external_id__c = 'DIST-1' AND sfid IS NOT NULL") == 1);
            }

            engine.destroy(); // SIGTERM: the launcher exec'd the JVM, so it gets it and stops gracefully
            assertThat(engine.waitFor(60, TimeUnit.SECONDS)).as("the engine stops on SIGTERM").isTrue();
            assertThat(Files.readString(appLog)).contains("stopped in");
        } finally {
            if (engine != null) {
                engine.destroyForcibly();
            }
            simulator.destroy();
            simulator.waitFor(30, TimeUnit.SECONDS);
        }
    }

    record Result(int code, String output) {
    }

    private static Result pgforce(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(linked().toString()));
        command.addAll(List.of(args));
        return run(home, env, Duration.ofSeconds(60), command.toArray(String[]::new));
    }

    private static Result run(Path dir, Map<String, String> env, Duration within, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(within.toSeconds(), TimeUnit.SECONDS)).as("%s ends", List.of(command)).isTrue();
        return new Result(p.exitValue(), output);
    }

    /** bin/pgforce through a symbolic link outside the distribution, as a user puts it on the PATH. */
    private static Path linked() throws IOException {
        Path link = home.getParent().resolve("on-the-path/pgforce");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, home.resolve("bin/pgforce"));
        }
        return link;
    }

    /** bin/pgforce ARGS in the background, its output to {@code log}. */
    private static Process start(Path log, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/pgforce").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String awaitLine(Process p, Path log, Pattern line) {
        String[] found = new String[1];
        await(line.pattern()).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(p.isAlive()).as("%s is running; its output: %s", log.getFileName(), Files.readString(log)).isTrue();
            Matcher m = line.matcher(Files.readString(log));
            if (m.find()) {
                found[0] = m.groupCount() > 0 ? m.group(1) : m.group();
            }
            return found[0] != null;
        });
        return found[0];
    }
}
