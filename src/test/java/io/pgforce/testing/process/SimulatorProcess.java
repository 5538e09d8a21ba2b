package io.pgforce.testing.process;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.simulator.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.awaitility.core.ConditionTimeoutException;
import java.util.regex.Pattern;

/**
 * The Salesforce simulator as its own process on a free port, with a client for its admin API: the
 * packaged application's launcher ({@code java -jar quarkus-run.jar simulator}) when it is built,
 * else {@code io.pgforce.simulator.SimulatorMain} on this JVM's classpath.
 *
 * <pre>
 * try (SimulatorProcess sf = SimulatorProcess.start(Path.of("target/sim.log"))) {
 *     sf.faults("{\"maintenance\": true}");
 *     sf.records("Account");
 * }
 * </pre>
 */
public final class SimulatorProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String loginUrl;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SimulatorProcess(Process process, String loginUrl, Path log) {
        this.process = process;
        this.loginUrl = loginUrl;
        this.log = log;
    }

    /** Starts the simulator with its default org; its output goes to {@code log}. Extra arguments: --bulk-delay MS, --schema FILE, --profile zero|org. */
    public static SimulatorProcess start(Path log, String... extraArgs) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            List<String> command = new ArrayList<>(List.of(PackagedApp.java(), "-Xmx512m"));
            command.addAll(launcher());
            command.addAll(List.of("--port", "0"));
            command.addAll(List.of(extraArgs));
            long offset = Files.exists(log) ? Files.size(log) : 0; // the log may hold earlier runs: read only this one's output
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            java.util.concurrent.atomic.AtomicReference<String> url = new java.util.concurrent.atomic.AtomicReference<>();
            try {
                await("the simulator to listen").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("The simulator exited with " + p.exitValue() + "; see " + log);
                    }
                    byte[] bytes = Files.readAllBytes(log);
                    Matcher m = LISTENING.matcher(new String(bytes, (int) Math.min(offset, bytes.length), (int) Math.max(0, bytes.length - offset), StandardCharsets.UTF_8));
                    if (m.find()) {
                        url.set(m.group(1));
                    }
                    return url.get() != null;
                });
            } catch (ConditionTimeoutException e) {
                p.destroyForcibly();
                throw new IllegalStateException("The simulator did not start within 60 s; see " + log);
            }
            return new SimulatorProcess(p, url.get(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The packaged application's launcher ({@code quarkus-run.jar simulator}) when it is built, else SimulatorMain on this JVM's classpath. */
    static List<String> launcher() {
        Path jar = PackagedApp.defaultJar();
        if (Files.isRegularFile(jar)) {
            return List.of("-jar", jar.toString(), "simulator");
        }
        return List.of("-cp", System.getProperty("java.class.path"), "io.pgforce.simulator.SimulatorMain");
    }

    public String loginUrl() {
        return loginUrl;
    }

    /** The simulator's default connected app and user. */
    public Credentials credentials() {
        return Credentials.DEFAULT;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** POST /__sim/faults, e.g. {@code {"unavailable": "HTTP_503"}}; returns the faults now in force. */
    public JsonNode faults(String json) {
        return send("POST", "/__sim/faults", json);
    }

    /** DELETE /__sim/faults: no fault left. */
    public JsonNode clearFaults() {
        return send("DELETE", "/__sim/faults", null);
    }

    /** POST /__sim/sessions/expire: every token stops working. */
    public void expireSessions() {
        send("POST", "/__sim/sessions/expire", "");
    }

    /** POST /__sim/reset: empty org, no faults, empty call log. */
    public void reset() {
        send("POST", "/__sim/reset", "");
    }

    /** The object's live records, field name to value (JSON types: strings, numbers, booleans). */
    public List<Map<String, Object>> records(String object) {
        return JSON.convertValue(send("GET", "/__sim/records/" + object, null), new TypeReference<>() {
        });
    }

    public JsonNode counters() {
        return send("GET", "/__sim/counters", null);
    }

    public JsonNode calls() {
        return send("GET", "/__sim/calls", null);
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(loginUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
