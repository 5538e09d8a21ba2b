package io.pgforce.bench;

import io.pgforce.simulator.RecordedRequest;
import io.pgforce.simulator.SalesforceSimulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Makes the write API requests a simulator recorded ({@link SalesforceSimulator#recordedRequests()})
 * again, over plain HTTP, and times them: the reference measurement "the simulator alone for the
 * same calls". Restore the org's snapshot first so that the calls meet the same data.
 *
 * <p>Each SOAP call is a unit of work, and so is each Bulk job: its requests in their recorded
 * order, with the id of the job the replay created, the recorded polls replaced by polling until
 * the job is finished (the recorded client's pacing is not the simulator's work). With K threads,
 * K units run at once, taken in recorded order; the session token in SOAP {@code sessionId}
 * elements and {@code Authorization} headers is a fresh one.
 *
 * <pre>
 * SimulatedOrg.Snapshot before = sf.org().snapshot();
 * ... pgforce runs against sf, built with recordRequests(true) ...
 * sf.org().restore(before);
 * RequestReplay.Result r = RequestReplay.loggedInTo(sf).replay(sf.recordedRequests(), 8);
 * </pre>
 */
public final class RequestReplay {

    private static final Pattern SESSION_ID = Pattern.compile("(<(?:[\\w.-]+:)?sessionId>)[^<]*(</(?:[\\w.-]+:)?sessionId>)");
    private static final Pattern JOB_PATH = Pattern.compile(".*/jobs/ingest/[^/]+");
    private static final Set<String> FINISHED = Set.of("JobComplete", "Failed", "Aborted");

    /**
     * @param wallTime         from the first request sent to the last answer, preparation excluded
     * @param requests         requests sent, polls included
     * @param statusMismatches answers whose status differs from the recorded one (polls are not compared):
     *                         anything but 0 means the replay did not make the same calls on the same data
     */
    public record Result(Duration wallTime, int requests, int statusMismatches) {
    }

    private final String instanceUrl;
    private final String token;
    private Duration pollInterval = Duration.ofMillis(10);

    public RequestReplay(String instanceUrl, String accessToken) {
        this.instanceUrl = instanceUrl;
        this.token = accessToken;
    }

    /** A replay against this simulator with a token of its own (OAuth password grant). */
    public static RequestReplay loggedInTo(SalesforceSimulator sf) throws Exception {
        return new RequestReplay(sf.instanceUrl(), BenchHttp.token(sf));
    }

    /** How long to wait between two polls of a Bulk job (default 10 ms). */
    public RequestReplay pollInterval(Duration interval) {
        this.pollInterval = interval;
        return this;
    }

    /** Makes the requests again with {@code threads} units of work at once; returns once every unit is done. */
    public Result replay(List<RecordedRequest> recorded, int threads) throws InterruptedException {
        List<Unit> units = units(recorded);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<Tally>> done = new ArrayList<>();
            for (Unit unit : units) {
                done.add(pool.submit(unit::run));
            }
            int requests = 0;
            int mismatches = 0;
            for (Future<Tally> f : done) {
                Tally t = f.get();
                requests += t.requests;
                mismatches += t.mismatches;
            }
            return new Result(Duration.ofNanos(System.nanoTime() - start), requests, mismatches);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A replayed request failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The units of work in the order their first request was recorded, bodies already carrying the fresh token. */
    private List<Unit> units(List<RecordedRequest> recorded) {
        Map<Object, Unit> units = new LinkedHashMap<>();
        for (RecordedRequest r : recorded) {
            Object key = r.soap() || r.bulkJobId() == null ? new Object() : r.bulkJobId();
            units.computeIfAbsent(key, k -> new Unit(r.soap() ? null : r.bulkJobId())).requests.add(new Prepared(r, r.soap() ? withToken(r) : r.body()));
        }
        return List.copyOf(units.values());
    }

    private static final class Tally {
        int requests;
        int mismatches;

        void count(RecordedRequest r, int status) {
            requests++;
            if (r.status() > 0 && r.status() != status) {
                mismatches++;
            }
        }
    }

    /** A recorded request and the body to send again. */
    private record Prepared(RecordedRequest request, byte[] body) {
    }

    /** One SOAP call, or the requests of one Bulk job ({@code oldJobId} set) in their recorded order. */
    private final class Unit {
        private final String oldJobId;
        private final List<Prepared> requests = new ArrayList<>();

        Unit(String oldJobId) {
            this.oldJobId = oldJobId;
        }

        Tally run() throws IOException, InterruptedException {
            Tally tally = new Tally();
            String newJobId = null;
            boolean closed = false;
            boolean finished = false;
            for (Prepared p : requests) {
                RecordedRequest r = p.request();
                boolean jobInfo = oldJobId != null && r.method().equals("GET") && JOB_PATH.matcher(pathOnly(r)).matches();
                if (jobInfo && closed) {
                    if (!finished) {
                        poll(r, newJobId, tally);
                        finished = true;
                    }
                    continue; // the recorded client's further polls
                }
                String path = newJobId == null ? r.path() : r.path().replace(oldJobId, newJobId);
                HttpResponse<String> answer = send(r, path, p.body());
                tally.count(r, answer.statusCode());
                if (oldJobId != null && newJobId == null && r.method().equals("POST") && answer.statusCode() == 200) {
                    newJobId = BenchHttp.JSON.readTree(answer.body()).path("id").asText(null);
                }
                if (r.method().equals("PATCH")) {
                    String state = BenchHttp.JSON.readTree(text(r)).path("state").asText("");
                    closed |= state.equals("UploadComplete");
                    finished |= state.equals("Aborted");
                }
            }
            if (closed && !finished && newJobId != null) {
                poll(requests.get(0).request(), newJobId, tally); // the job's processing is part of the calls' work even when nobody waited for it
            }
            return tally;
        }

        /** Asks for the job's state until it is finished, at the API version of the recorded request {@code r}. */
        private void poll(RecordedRequest r, String jobId, Tally tally) throws IOException, InterruptedException {
            String jobs = pathOnly(r).replaceFirst("(/jobs/ingest).*", "$1");
            while (true) {
                HttpResponse<String> info = BenchHttp.HTTP.send(HttpRequest.newBuilder(URI.create(instanceUrl + jobs + "/" + jobId))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
                tally.requests++;
                if (info.statusCode() != 200) {
                    throw new IllegalStateException("Polling job " + jobId + ": HTTP " + info.statusCode() + " " + info.body());
                }
                if (FINISHED.contains(BenchHttp.JSON.readTree(info.body()).path("state").asText())) {
                    return;
                }
                Thread.sleep(pollInterval.toMillis());
            }
        }
    }

    private HttpResponse<String> send(RecordedRequest r, String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(instanceUrl + path)).timeout(Duration.ofSeconds(60));
        r.headers().forEach((name, value) -> b.header(name, name.equalsIgnoreCase("Authorization") ? value.split(" ", 2)[0] + " " + token : value));
        b.method(r.method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return BenchHttp.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String pathOnly(RecordedRequest r) {
        int q = r.path().indexOf('?');
        return q < 0 ? r.path() : r.path().substring(0, q);
    }

    private static boolean gzipped(RecordedRequest r) {
        String encoding = r.headers().get("Content-Encoding");
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip");
    }

    /** The body as text, inflated when the client had compressed it. */
    private static String text(RecordedRequest r) {
        if (!gzipped(r)) {
            return new String(r.body(), StandardCharsets.UTF_8);
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A SOAP body with the fresh token in its SessionHeader, compressed again as the client had it. */
    private byte[] withToken(RecordedRequest r) {
        Matcher m = SESSION_ID.matcher(text(r));
        if (!m.find()) {
            return r.body(); // login: no session yet
        }
        byte[] xml = m.replaceAll("$1" + Matcher.quoteReplacement(token) + "$2").getBytes(StandardCharsets.UTF_8);
        if (!gzipped(r)) {
            return xml;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(xml.length / 4);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
