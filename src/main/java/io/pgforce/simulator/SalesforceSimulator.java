package io.pgforce.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Salesforce org on loopback that speaks the real protocols: OAuth, the SOAP partner API, Bulk
 * API 2.0 ingest and query jobs, the REST API (queries with their pages, sObjects, sObject collections) and the
 * Streaming API's Change Data Capture channels (CometD at /cometd/{version}), with
 * real data semantics and switchable faults. pgforce talks
 * to it exactly as it would talk to an org; its tests, benchmarks and demo run use it.
 *
 * <pre>
 * try (SalesforceSimulator sf = SalesforceSimulator.builder().build().start()) {
 *     sf.loginUrl();          // http://127.0.0.1:&lt;port&gt;
 *     sf.credentials();       // client id/secret, username/password
 *     sf.org().records("Account");
 *     sf.faults().maintenance(true);
 * }
 * </pre>
 */
public final class SalesforceSimulator implements AutoCloseable, SimulatorContext {

    private static final Pattern SOAP_PATH = Pattern.compile("/services/Soap/u/(\\d+\\.\\d)(/.*)?");

    static {
        // the JDK server leaves Nagle's algorithm on: headers and body then wait on delayed ACKs (~40 ms a call)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final int requestedPort;
    private final Map<String, ObjectDef> schema;
    private final Clock clock;
    private final Faults faults;
    private final CallLog calls = new CallLog();
    private final RowLocks locks = new RowLocks();
    private final QueryCursors cursors;
    /** Null unless the builder asked for recording: then every write API request is kept. */
    private final RequestRecorder recorder;
    private final Duration tokenTtl;
    private volatile Credentials credentials;
    private volatile SimulatedOrg org;
    private Sessions sessions;
    private HttpServer server;
    private ExecutorService workers;
    private ScheduledExecutorService bulkWorkers;
    private BulkJobQueue bulkQueue;
    private BulkEndpoint bulk;
    private BulkQueryEndpoint bulkQuery;
    private SoapEndpoint soap;
    private RestEndpoint rest;
    private OAuthEndpoint oauth;
    private AdminEndpoint admin;
    private BayeuxServer bayeux;
    private StreamingEndpoint streaming;
    private final Duration bulkDelay;

    private SalesforceSimulator(Builder b) {
        this.requestedPort = b.port;
        this.schema = b.schema == null ? OrgSchemaFile.defaults() : OrgSchemaFile.load(b.schema);
        this.clock = b.clock;
        this.credentials = b.credentials;
        this.tokenTtl = b.tokenTtl;
        this.bulkDelay = b.bulkDelay;
        this.faults = new Faults(b.profile, b.clock);
        this.recorder = b.recordRequests ? new RequestRecorder() : null;
        this.org = new SimulatedOrg(schema, clock);
        this.cursors = new QueryCursors(clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a simulator. */
    public static final class Builder {
        private int port;
        private Path schema;
        private Clock clock = Clock.systemUTC();
        private Credentials credentials = Credentials.DEFAULT;
        private Duration tokenTtl = Duration.ofHours(2);
        private Duration bulkDelay = Duration.ofMillis(50);
        private LatencyProfile profile = LatencyProfile.ZERO;
        private boolean recordRequests;

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A YAML schema file instead of the default org. */
        public Builder schema(Path file) {
            this.schema = file;
            return this;
        }

        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder tokenTtl(Duration ttl) {
            this.tokenTtl = ttl;
            return this;
        }

        /** How long a closed Bulk job waits before it is processed, on top of the latency profile's queue wait. */
        public Builder bulkProcessingDelay(Duration delay) {
            this.bulkDelay = delay;
            return this;
        }

        /** How fast the org answers ({@link LatencyProfile#ZERO}, the default, or {@link LatencyProfile#ORG}); DELETE /__sim/faults returns to it. */
        public Builder latencyProfile(LatencyProfile profile) {
            this.profile = profile;
            return this;
        }

        /** Keeps every request made to the write APIs (SOAP calls, Bulk ingest) for {@link #recordedRequests()}. */
        public Builder recordRequests(boolean on) {
            this.recordRequests = on;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public SalesforceSimulator build() {
            return new SalesforceSimulator(this);
        }
    }

    public synchronized SalesforceSimulator start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + requestedPort, e);
        }
        sessions = new Sessions(clock, tokenTtl, org.orgId());
        // a thread per call in flight: under a latency profile most of them sleep, and concurrent calls must
        // each take one call's latency, never queue behind each other for a thread
        workers = Executors.newCachedThreadPool(r -> daemon(r, "sf-simulator-http"));
        // Bulk jobs wait out their queue and processing time as scheduled tasks, not on a thread, and the
        // org serialises writes: two threads keep any number of jobs going
        bulkWorkers = Executors.newScheduledThreadPool(2, r -> daemon(r, "sf-simulator-bulk"));
        bulkQueue = new BulkJobQueue(bulkWorkers, faults, bulkDelay);
        bulk = new BulkEndpoint(this, clock, bulkQueue);
        bulkQuery = new BulkQueryEndpoint(this, clock, bulkQueue);
        soap = new SoapEndpoint(this);
        rest = new RestEndpoint(this, bulk, bulkQuery, cursors);
        oauth = new OAuthEndpoint(this, clock);
        admin = new AdminEndpoint(this);
        bayeux = new BayeuxServer(org, clock, BayeuxServer.CONNECT_TIMEOUT_MILLIS, () -> faults.streamingUnavailable() != Faults.Unavailable.NONE);
        streaming = new StreamingEndpoint(this, bayeux);
        server.createContext("/", this::dispatch);
        server.setExecutor(workers);
        server.start();
        return this;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void dispatch(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Matcher soapPath = SOAP_PATH.matcher(path);
        RequestRecorder.Arrival arrival = recorder != null && RequestRecorder.writeApi(path) ? recorder.arrived(ex) : null;
        try {
            route(ex, path, soapPath.matches() ? soapPath.group(1) : null);
        } finally {
            if (arrival != null) {
                arrival.answered(ex);
            }
        }
    }

    /** @param soapVersion the API version of a SOAP call, null for any other */
    private void route(HttpExchange ex, String path, String soapVersion) throws IOException {
        try {
            if (path.startsWith("/__sim")) {
                admin.handle(ex, path);
                return;
            }
            switch (faults.unavailable()) {
                case HTTP_503 -> {
                    HttpIo.text(ex, 503, "text/html", "<html><body>Service Unavailable</body></html>");
                    return;
                }
                case CONNECTION_RESET -> {
                    ex.close();
                    return;
                }
                default -> {
                }
            }
            LatencyProfile profile = faults.profile();
            SoapEndpoint.pause(faults.latencyPerCallMillis() + (soapVersion != null ? profile.soapCallMillis() : profile.restCallMillis()));
            if (path.startsWith("/services/oauth2/")) {
                oauth.handle(ex, path);
            } else if (soapVersion != null) {
                soap.handle(ex, soapVersion);
            } else if (path.startsWith("/services/data")) {
                rest.handle(ex);
            } else if (StreamingEndpoint.serves(path)) {
                streaming.handle(ex, path);
            } else {
                HttpIo.errors(ex, 404, "NOT_FOUND", "The requested resource does not exist");
            }
        } catch (RuntimeException | IOException e) {
            try {
                HttpIo.errors(ex, 500, "UNKNOWN_EXCEPTION", String.valueOf(e.getMessage()));
            } catch (IOException | RuntimeException ignored) {
                ex.close(); // the response had started: all that is left is to end it
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where to log in: the simulator is its own login server. */
    public String loginUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public String instanceUrl() {
        return loginUrl();
    }

    @Override
    public SimulatedOrg org() {
        return org;
    }

    @Override
    public Sessions sessions() {
        return sessions;
    }

    @Override
    public Faults faults() {
        return faults;
    }

    @Override
    public CallLog calls() {
        return calls;
    }

    @Override
    public RowLocks locks() {
        return locks;
    }

    @Override
    public Credentials credentials() {
        return credentials;
    }

    public void credentials(Credentials credentials) {
        this.credentials = credentials;
    }

    /** The open cursors of REST queries whose results span pages. */
    public QueryCursors queryCursors() {
        return cursors;
    }

    /**
     * Forgets every Streaming API client, as Salesforce does after a network failure: a held
     * /meta/connect, and every later message of those clients, answers {@code 403::Unknown client}
     * with the advice to handshake again. Retained events stay, for the replay.
     */
    public void dropStreamingClients() {
        bayeux.dropClients();
    }

    public void bulkProcessingDelay(Duration delay) {
        bulkQueue.delay(delay);
    }

    /**
     * The write API requests made since the start, the last {@link #clearRecordedRequests()} or
     * {@link #reset()}, in arrival order; {@code RequestReplay} in the benchmarks makes them again.
     *
     * @throws IllegalStateException when the simulator was not built with {@link Builder#recordRequests(boolean)}
     */
    public List<RecordedRequest> recordedRequests() {
        return recorder().requests();
    }

    public void clearRecordedRequests() {
        recorder().clear();
    }

    private RequestRecorder recorder() {
        if (recorder == null) {
            throw new IllegalStateException("This simulator does not record requests: build it with recordRequests(true)");
        }
        return recorder;
    }

    /** A fresh org: no records, Bulk jobs or query cursors, no faults, the starting latency profile, an empty call log and recording (sessions stay valid). */
    public synchronized void reset() {
        org.clear();
        bayeux.dropClients();
        bulk.clear();
        bulkQuery.clear();
        cursors.expireAll();
        faults.clear();
        locks.clear();
        calls.clear();
        if (recorder != null) {
            recorder.clear();
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
            bulkWorkers.shutdownNow();
            try {
                bulkWorkers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }
}
