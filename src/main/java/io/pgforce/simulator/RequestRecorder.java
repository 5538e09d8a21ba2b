package io.pgforce.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the raw requests made to the write APIs, in arrival order with the status they were
 * answered, so that a benchmark can repeat exactly the calls pgforce made against the simulator
 * alone. Bodies are kept as they arrived (no copy is inflated or parsed): SOAP XML is some 300
 * bytes a record, a Bulk CSV row under 100, so 100,000 records' worth is a few tens of MB.
 */
final class RequestRecorder {

    private static final List<String> HEADERS = List.of("Content-Type", "SOAPAction", "Content-Encoding", "Accept", "Authorization");
    /** A Bulk ingest request: group 1 is the job it addresses, none for a create or a list. */
    private static final Pattern BULK = Pattern.compile("/services/data/v[^/]+/jobs/ingest(?:/([^/]+))?.*");

    /** A request that arrived; its status is known once it has been answered. */
    final class Arrival {
        private final String method;
        private final String path;
        private final Map<String, String> headers;
        private final byte[] body;
        /** What a Bulk create answered, to read the new job's id from; null for any other request. */
        private final ByteArrayOutputStream createAnswer;
        private volatile int status = -1;
        private volatile String bulkJobId;

        private Arrival(String method, String path, Map<String, String> headers, byte[] body, String bulkJobId, ByteArrayOutputStream createAnswer) {
            this.method = method;
            this.path = path;
            this.headers = headers;
            this.body = body;
            this.bulkJobId = bulkJobId;
            this.createAnswer = createAnswer;
        }

        /** Takes the answer's status (none when the connection was dropped) and the id of a job it created. */
        void answered(HttpExchange ex) {
            status = ex.getResponseCode();
            if (createAnswer != null && status == 200) {
                try {
                    bulkJobId = HttpIo.JSON.readTree(createAnswer.toByteArray()).path("id").asText(null);
                } catch (IOException e) {
                    bulkJobId = null; // not a job: nothing to tie later requests to
                }
            }
        }

        private RecordedRequest request() {
            return new RecordedRequest(method, path, headers, body, status, bulkJobId);
        }
    }

    private final List<Arrival> arrivals = new ArrayList<>();

    /** Whether requests to this path are kept: SOAP partner calls and Bulk ingest requests. */
    static boolean writeApi(String path) {
        return path.startsWith("/services/Soap/u/") || BULK.matcher(path).matches();
    }

    /** Reads the request's body, keeps it, and hands the endpoint a fresh stream over the same bytes. */
    Arrival arrived(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : HEADERS) {
            String value = ex.getRequestHeaders().getFirst(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        String path = ex.getRequestURI().getRawPath();
        Matcher bulk = BULK.matcher(path);
        String jobId = bulk.matches() ? bulk.group(1) : null;
        ByteArrayOutputStream createAnswer = bulk.matches() && jobId == null && ex.getRequestMethod().equals("POST") ? new ByteArrayOutputStream() : null;
        ex.setStreams(new ByteArrayInputStream(body), createAnswer == null ? null : copying(ex.getResponseBody(), createAnswer));
        String query = ex.getRequestURI().getRawQuery();
        Arrival arrival = new Arrival(ex.getRequestMethod(), path + (query == null ? "" : "?" + query), headers, body, jobId, createAnswer);
        synchronized (this) {
            arrivals.add(arrival);
        }
        return arrival;
    }

    /** The response stream, also writing what it sends into {@code copy}. */
    private static OutputStream copying(OutputStream response, ByteArrayOutputStream copy) {
        return new FilterOutputStream(response) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                copy.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                copy.write(b);
            }
        };
    }

    synchronized List<RecordedRequest> requests() {
        return arrivals.stream().map(Arrival::request).toList();
    }

    synchronized void clear() {
        arrivals.clear();
    }
}
