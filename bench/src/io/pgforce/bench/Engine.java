package io.pgforce.bench;

import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.testing.process.PackagedApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * pgforce under test: the packaged application in a JVM of its own, as in production, on one
 * database and one simulator, with the mapping of {@link BenchSchema}. Its admin API (opened
 * without a token) pauses and resumes it; its heap comes from {@code /q/metrics} and its peak RSS
 * from {@code /proc/<pid>/status}.
 */
final class Engine implements AutoCloseable {

    private final PackagedApp app;
    private final URI http;

    private Engine(PackagedApp app, URI http) {
        this.app = app;
        this.http = http;
    }

    /**
     * Starts pgforce and waits until it holds the writer lease.
     *
     * @param maxHeap e.g. {@code 1g}, {@code 256m}
     * @param reads   the read rows' pgforce: {@link BenchSchema#readMapping()}, reading on, the read tick at 200 ms;
     *                else the write workloads' mapping with reading off
     * @param together started at once beside every other pgforce ({@link BenchSizes#startAllAtOnce()}, the smoke run, whose
     *                figures mean nothing): with C1 only and the serial collector, so that the JVMs starting together do not
     *                spend the two cores on C2 compilations and parallel collections that the tiny workloads never repay
     */
    static Engine start(Path dir, String name, String jdbcUrl, SalesforceSimulator sf, String algorithm, int concurrency, String maxHeap,
                        boolean reads, boolean together) throws Exception {
        Files.createDirectories(dir);
        Path mapping = dir.resolve(name + ".yaml");
        Files.writeString(mapping, reads ? BenchSchema.readMapping() : BenchSchema.mapping(algorithm, concurrency));
        PackagedApp.Builder builder = PackagedApp.builder()
                .database(jdbcUrl, "postgres", "")
                .salesforce(sf.loginUrl(), sf.credentials())
                .mapping(mapping)
                .instanceId("bench-" + name)
                // a cycle as soon as a change is notified: the latency workload measures pgforce, not a pacing setting
                .property("pgforce.poll.min-interval", "0")
                .property("pgforce.admin.open-without-token", "true")
                // the write workloads' figures without reads; the read rows (ReadRows) have a pgforce of their own
                .property("pgforce.read.enabled", String.valueOf(reads))
                // as the tests do: the first status poll of a Bulk job after 100 ms, not 500 ms (then the usual back-off)
                .property("pgforce.bulk.poll.initial-delay", "100ms")
                .property("quarkus.http.host", "127.0.0.1")
                .jvmOption("-Xmx" + maxHeap)
                .log(dir.resolve(name + ".log"));
        if (together) {
            builder.shortRun();
        }
        // a profile or a log level for one look at where a drain's time goes, e.g.
        // -Dbench.engineJvmOptions="-XX:StartFlightRecording=filename=/tmp/x.jfr -Dquarkus.log.category.\"io.pgforce\".level=DEBUG"
        // ({name} in an option becomes the pgforce's name, so that each process writes its own file)
        for (String option : System.getProperty("bench.engineJvmOptions", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                builder.jvmOption(option.replace("{name}", name));
            }
        }
        if (reads) {
            // a mapping is due when a tick finds its interval up: a 200 ms tick, so that READ-LAG's 1 s interval is what bounds it
            builder.property("pgforce.read.tick", "200ms");
        }
        PackagedApp app = builder.build();
        app.start().awaitStarted(Duration.ofSeconds(120));
        Engine engine = new Engine(app, app.httpUrl());
        engine.awaitWriter(jdbcUrl);
        return engine;
    }

    private void awaitWriter(String jdbcUrl) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            while (System.nanoTime() < deadline) {
                try (Statement st = db.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM salesforce._hc_writer WHERE expires_at > now()")) {
                    rs.next();
                    if (rs.getInt(1) == 1) {
                        return;
                    }
                } catch (SQLException notYet) {
                    // the schema is being installed
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("pgforce did not take the writer lease within 60 s; see " + app.log());
    }

    void pause() throws Exception {
        post("/api/pause");
    }

    void resume() throws Exception {
        post("/api/resume");
    }

    /** Loads a mapping again from nothing at the writer's next read tick (POST /api/mappings/{mapping}/reload). */
    void reload(String mapping) throws Exception {
        post("/api/mappings/" + mapping + "/reload");
    }

    private void post(String path) throws Exception {
        HttpResponse<String> r = BenchHttp.HTTP.send(HttpRequest.newBuilder(http.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"by\": \"bench\"}")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** Heap in use now, in bytes: the sum of {@code jvm_memory_used_bytes{area="heap"}} over the pools, from /q/metrics. */
    long heapUsed() throws Exception {
        HttpResponse<String> r = BenchHttp.HTTP.send(HttpRequest.newBuilder(http.resolve("/q/metrics")).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        long sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Resets the kernel's peak RSS of the process (VmHWM), so that the next reading is this workload's peak. */
    void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/" + app.pid() + "/clear_refs"), "5");
        } catch (IOException e) {
            // an older kernel or no permission: the peak is then since the start, which docs/benchmarks.md says
        }
    }

    /** Peak RSS (VmHWM) in bytes since the start or the last {@link #resetPeakRss()}. */
    long peakRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + app.pid() + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    boolean isAlive() {
        return app.isAlive();
    }

    Path log() {
        return app.log();
    }

    @Override
    public void close() {
        app.stop();
    }
}
