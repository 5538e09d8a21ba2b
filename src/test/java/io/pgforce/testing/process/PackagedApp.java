package io.pgforce.testing.process;

import static org.awaitility.Awaitility.await;

import io.pgforce.simulator.Credentials;
import io.pgforce.testing.Simulators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}, built by {@code mvn
 * package}) as its own process, as it runs in production: start it, SIGKILL it, start it again
 * with the same settings. Every start appends to one log file, after a marker line
 * ({@code ==== pgforce start #n ...}), so that what each run printed can be found again.
 *
 * <pre>
 * PackagedApp app = PackagedApp.builder()
 *         .database(url, "postgres", "")
 *         .salesforce(simulator)
 *         .mapping(Path.of("mapping.yaml"))
 *         .instanceId("a")
 *         .property("pgforce.writer.lease-lifetime", "6s")
 *         .log(Path.of("target/app-a.log"))
 *         .build();
 * app.start();
 * app.kill();      // SIGKILL
 * app.start();     // same settings, same instance id
 * </pre>
 */
public final class PackagedApp implements AutoCloseable {

    private static final String MARKER = "==== pgforce start #";
    /**
     * JVM options for a process whose run is mostly its start (a test's, the smoke benchmark's):
     * C1 only and the serial collector, since C2's compilations and parallel GC threads only take
     * the two cores from what starts beside it. Not for a run that measures pgforce's speed.
     */
    public static final List<String> SHORT_RUN = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Path jar;
    private final Map<String, String> properties;
    private final List<String> jvmOptions;
    private final Path log;
    private final Path workingDirectory;
    private final String name;
    private Process process;
    private int starts;
    private int kills;
    private long startOffset;
    private final List<Instant> startTimes = new ArrayList<>();

    private PackagedApp(Builder b) {
        this.jar = b.jar;
        this.properties = new LinkedHashMap<>(b.properties);
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.log = b.log;
        this.workingDirectory = b.workingDirectory;
        this.name = b.properties.getOrDefault("pgforce.instance-id", "pgforce");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The packaged application: {@code -Dpgforce.app.jar} (the failsafe run sets it) or target/quarkus-app/quarkus-run.jar. */
    public static Path defaultJar() {
        return Path.of(System.getProperty("pgforce.app.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
    }

    /** The java launcher of the running JVM. */
    public static String java() {
        Path bin = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(bin) ? bin.toString() : "java";
    }

    /** Settings of one application process. */
    public static final class Builder {
        private Path jar = defaultJar();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx512m"));
        private Path log;
        private Path workingDirectory;

        private Builder() {
            properties.put("quarkus.http.port", "0"); // several instances and other developers share the machine
        }

        public Builder jar(Path jar) {
            this.jar = jar.toAbsolutePath();
            return this;
        }

        public Builder database(String url, String user, String password) {
            properties.put("pgforce.db.url", url);
            properties.put("pgforce.db.username", user);
            properties.put("pgforce.db.password", password == null ? "" : password);
            return this;
        }

        public Builder salesforce(String loginUrl, Credentials c) {
            properties.putAll(Simulators.loginProperties(loginUrl, c));
            return this;
        }

        public Builder salesforce(SimulatorProcess simulator) {
            return salesforce(simulator.loginUrl(), simulator.credentials());
        }

        public Builder mapping(Path file) {
            properties.put("pgforce.mapping.file", file.toAbsolutePath().toString());
            return this;
        }

        public Builder instanceId(String id) {
            properties.put("pgforce.instance-id", id);
            return this;
        }

        /** Any application property, passed as {@code -Dname=value}. */
        public Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        public Builder properties(Map<String, String> more) {
            properties.putAll(more);
            return this;
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** The process's working directory (default: this JVM's); relative paths such as routes/ resolve there. */
        public Builder workingDirectory(Path dir) {
            this.workingDirectory = dir.toAbsolutePath();
            return this;
        }

        /** A run of seconds, mostly its start: {@link #SHORT_RUN}. */
        public Builder shortRun() {
            jvmOptions.addAll(SHORT_RUN);
            return this;
        }

        public Builder log(Path file) {
            this.log = file.toAbsolutePath();
            return this;
        }

        public PackagedApp build() {
            if (log == null) {
                throw new IllegalStateException("log file not set");
            }
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " does not exist: run mvn package first");
            }
            return new PackagedApp(this);
        }
    }

    /** Starts the application (again); the previous process must be gone. */
    public synchronized PackagedApp start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(log.getParent());
            starts++;
            startTimes.add(Instant.now());
            Files.writeString(log, "\n" + MARKER + starts + " (" + name + ") at " + Instant.now() + " ====\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            startOffset = Files.size(log);
            ProcessBuilder builder = new ProcessBuilder(command);
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + jar, e);
        }
    }

    /** Waits until this start's log says Quarkus started ({@code ... started in N s. Listening on ...}). */
    public PackagedApp awaitStarted(Duration within) {
        try {
            await(name + " to start").atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!isAlive()) {
                    throw new IllegalStateException(name + " exited with " + exitCode() + " while starting; see " + log + ": " + logLines(5, "ERROR", "Exception"));
                }
                String text = outputOfThisStart();
                return text.contains("[io.quarkus]") && text.contains(" started in ");
            });
            return this;
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " did not start within " + within.toSeconds() + " s; see " + log);
        }
    }

    /** The HTTP address this start listens on (its port is a free one), from its start-up line. */
    public java.net.URI httpUrl() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Listening on: (http://[^\\s]+)").matcher(outputOfThisStart());
        if (!m.find()) {
            throw new IllegalStateException(name + " has not said where it listens (not started?); see " + log);
        }
        return java.net.URI.create(m.group(1).replace("0.0.0.0", "127.0.0.1"));
    }

    private String outputOfThisStart() {
        try (var channel = Files.newByteChannel(log)) {
            channel.position(startOffset);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, channel.size() - startOffset)));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read this start's output
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // not written yet
        }
    }

    /** SIGKILL, and wait until the process is gone. Returns false when it was not running. */
    public synchronized boolean kill() {
        if (process == null || !process.isAlive()) {
            return false;
        }
        process.destroyForcibly();
        awaitExit(30);
        kills++;
        note("SIGKILLed by the test");
        return true;
    }

    /** SIGTERM (a graceful shutdown, which releases the writer lease), then SIGKILL after 30 s. */
    public synchronized void stop() {
        if (!terminate()) {
            return;
        }
        if (!awaitExit(30)) {
            process.destroyForcibly();
            awaitExit(10);
        }
    }

    /** SIGTERM without waiting: the caller bounds the graceful shutdown itself. Returns false when it was not running. */
    public synchronized boolean terminate() {
        if (process == null || !process.isAlive()) {
            return false;
        }
        process.destroy();
        return true;
    }

    private boolean awaitExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The exit code of a process that ended, or null while it runs (or never ran). */
    public synchronized Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public String instanceId() {
        return name;
    }

    public int starts() {
        return starts;
    }

    /** When each start began, oldest first. */
    public synchronized List<Instant> startTimes() {
        return List.copyOf(startTimes);
    }

    public int kills() {
        return kills;
    }

    public Path log() {
        return log;
    }

    /** Appends a line of the test's own to the log, between the application's lines. */
    public void note(String text) {
        try {
            Files.writeString(log, "==== " + Instant.now() + " " + text + " ====\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // only a marker
        }
    }

    /** Log lines of every start that contain one of the words (case-sensitive), at most {@code max}, the last ones. */
    public List<String> logLines(int max, String... words) {
        List<String> all;
        try {
            all = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
        List<String> hits = new ArrayList<>();
        for (String line : all) {
            for (String w : words) {
                if (line.contains(w)) {
                    hits.add(line);
                    break;
                }
            }
        }
        return hits.subList(Math.max(0, hits.size() - max), hits.size());
    }

    /** How many log lines contain the text. */
    public long countLogLines(String text) {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
