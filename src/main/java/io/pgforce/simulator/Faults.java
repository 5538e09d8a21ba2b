package io.pgforce.simulator;

import java.time.Duration;
import java.util.Random;

/**
 * Faults that can be switched on and off while the simulator runs, from Java or through the
 * admin API: the latency profile, maintenance, unavailability, latency, the daily API request
 * and Bulk query job limits, row locks, responses lost after the write was committed, query pages lost on the way,
 * writes that commit late, failures of one step of a Bulk job, and the Streaming API down.
 */
public final class Faults {

    /** How an unavailable org answers. */
    public enum Unavailable {
        NONE,
        /** HTTP 503 Service Unavailable. */
        HTTP_503,
        /** The connection is closed without a response. */
        CONNECTION_RESET
    }

    /** The steps of a Bulk API 2.0 ingest or query job a fault can hit. */
    public enum BulkStep {
        /** POST jobs/ingest. */
        CREATE(false),
        /** PUT jobs/ingest/{id}/batches. */
        UPLOAD(false),
        /** PATCH jobs/ingest/{id} to UploadComplete. */
        CLOSE(false),
        /** GET jobs/ingest/{id}. */
        POLL(true),
        /** GET jobs/ingest/{id}/successfulResults, failedResults, unprocessedrecords. */
        RESULTS(true),
        /** POST jobs/query. */
        QUERY_CREATE(false),
        /** GET jobs/query/{id}. */
        QUERY_POLL(true),
        /** GET jobs/query/{id}/results. */
        QUERY_RESULTS(true);

        private final boolean read;

        BulkStep(boolean read) {
            this.read = read;
        }

        /** A read changes nothing: a lost response is a connection dropped before anything is answered. */
        boolean read() {
            return read;
        }
    }

    /** How a faulty Bulk step fails. */
    public enum BulkFailure {
        /** HTTP 503 before the step is applied. */
        HTTP_503,
        /** The step is applied, then the connection is dropped: the client never hears of it. */
        LOST_RESPONSE,
        /** HTTP 400 ExceededQuota before the step is applied: the org's Bulk jobs of the last 24 hours are used up. */
        EXCEEDED_QUOTA
    }

    /** How long Salesforce lets a transaction wait for a record lock before it fails the record: about 10 s. */
    static final Duration SALESFORCE_LOCK_WAIT = Duration.ofSeconds(10);

    private final LatencyProfile startProfile;
    private volatile LatencyProfile profile;
    private volatile boolean maintenance;
    private volatile Unavailable unavailable = Unavailable.NONE;
    private volatile Unavailable streamingUnavailable = Unavailable.NONE;
    private volatile long latencyPerCallMillis;
    private volatile long latencyPerRecordMillis;
    private final DailyAllocation apiRequests;
    /** Bulk API 2.0 query jobs: 10,000 a day (Salesforce's DailyBulkV2QueryJobs). */
    private final DailyAllocation bulkQueryJobs;
    private volatile double lockRowRate;
    private volatile Duration lockWait = SALESFORCE_LOCK_WAIT;
    private volatile Random random = new Random(42);
    private final Countdown loseResponses = new Countdown();
    private final Countdown dropQueryResponses = new Countdown();
    private volatile String dropQueryObject;
    private final Countdown lateWrites = new Countdown();
    private volatile Duration lateBy = Duration.ZERO;
    private final Countdown callFaults = new Countdown();
    private volatile String callFaultCode;
    private volatile boolean refuseLogins;
    private final LoginGate loginGate = new LoginGate();
    private BulkStep bulkFaultStep;
    private BulkFailure bulkFailure = BulkFailure.HTTP_503;
    private int bulkFaults;

    /**
     * @param startProfile the latency profile the simulator was started with, and returns to on {@link #clear()}
     * @param clock the org's clock, over whose rolling 24 hours the daily allocations count
     */
    Faults(LatencyProfile startProfile, java.time.Clock clock) {
        this.startProfile = startProfile;
        this.profile = startProfile;
        this.apiRequests = new DailyAllocation(15_000_000, clock);
        this.bulkQueryJobs = new DailyAllocation(10_000, clock);
    }

    /** How fast the org answers from now on: calls that arrive and Bulk jobs that are closed or start processing after the switch. */
    public Faults profile(LatencyProfile profile) {
        this.profile = profile;
        return this;
    }

    public LatencyProfile profile() {
        return profile;
    }

    public Faults maintenance(boolean on) {
        this.maintenance = on;
        return this;
    }

    public boolean maintenance() {
        return maintenance;
    }

    public Faults unavailable(Unavailable mode) {
        this.unavailable = mode;
        return this;
    }

    public Unavailable unavailable() {
        return unavailable;
    }

    /** The Streaming API alone is down (the rest of the org answers): every /cometd request fails this way, so a client's fallback to polling can be seen. */
    public Faults streamingUnavailable(Unavailable mode) {
        this.streamingUnavailable = mode;
        return this;
    }

    public Unavailable streamingUnavailable() {
        return streamingUnavailable;
    }

    /**
     * Latency on top of the profile's: {@code perCallMillis} before every call, and again before a
     * SOAP write's records are written and before each 10,000-record batch of a Bulk job;
     * {@code perRecordMillis} for each record of a SOAP write or a Bulk batch.
     */
    public Faults latency(long perCallMillis, long perRecordMillis) {
        this.latencyPerCallMillis = perCallMillis;
        this.latencyPerRecordMillis = perRecordMillis;
        return this;
    }

    public long latencyPerCallMillis() {
        return latencyPerCallMillis;
    }

    public long latencyPerRecordMillis() {
        return latencyPerRecordMillis;
    }

    /** Requests allowed per rolling 24 hours; the count so far is kept (set it with {@link #apiRequestsUsed(long)}). */
    public Faults dailyApiLimit(long limit) {
        apiRequests.max(limit);
        return this;
    }

    public long dailyApiLimit() {
        return apiRequests.max();
    }

    /** Requests counted in the last 24 hours, refused ones included. */
    public long apiRequests() {
        return apiRequests.used();
    }

    /** As if the org's other integrations had just made {@code used} requests, and nothing else counted: where a test starts from, or how it lets the allocation recover. */
    public Faults apiRequestsUsed(long used) {
        apiRequests.used(used);
        return this;
    }

    /** Counts one API request; false when it is over the limit. */
    boolean countRequest() {
        return apiRequests.take();
    }

    /** Bulk API 2.0 query jobs allowed per day (10,000 unless lowered); the count so far is kept. */
    public Faults dailyBulkQueryJobLimit(long limit) {
        bulkQueryJobs.max(limit);
        return this;
    }

    public long dailyBulkQueryJobLimit() {
        return bulkQueryJobs.max();
    }

    public long bulkQueryJobs() {
        return bulkQueryJobs.used();
    }

    /** Query jobs that can still be created today, as /limits reports DailyBulkV2QueryJobs. */
    long bulkQueryJobsRemaining() {
        return bulkQueryJobs.remaining();
    }

    /** Counts one query job; false when it is over the limit and must not be created. */
    boolean countBulkQueryJob() {
        return bulkQueryJobs.take();
    }

    /** The share of records (0..1) that fail with UNABLE_TO_LOCK_ROW; the seed makes runs repeatable. */
    public Faults lockRows(double rate, long seed) {
        this.random = new Random(seed);
        this.lockRowRate = rate;
        return this;
    }

    public double lockRowRate() {
        return lockRowRate;
    }

    synchronized boolean rowLocked() {
        return lockRowRate > 0 && random.nextDouble() < lockRowRate;
    }

    /**
     * How long a write waits for a record lock another transaction holds before it fails the record with
     * UNABLE_TO_LOCK_ROW ({@link RowLocks}); 10 s as Salesforce unless a test shortens it.
     */
    public Faults lockWait(Duration wait) {
        this.lockWait = wait;
        return this;
    }

    public Duration lockWait() {
        return lockWait;
    }

    /** The next {@code calls} write calls (SOAP, REST sObject, sObject collections) are committed, then their connection is dropped without a response. */
    public Faults loseResponses(int calls) {
        loseResponses.set(calls);
        return this;
    }

    public int responsesToLose() {
        return loseResponses.left();
    }

    boolean takeLostResponse() {
        return loseResponses.take();
    }

    /**
     * The next {@code calls} query, queryAll or queryMore calls are answered by dropping the connection: the
     * query runs (a cursor it opens stays open), the client hears nothing and must ask again.
     */
    public Faults dropQueryResponses(int calls) {
        return dropQueryResponses(calls, null);
    }

    /** The same, for queries of {@code object} alone (null: any), as when another client's queries run beside them. */
    public Faults dropQueryResponses(int calls, String object) {
        dropQueryObject = object;
        dropQueryResponses.set(calls);
        return this;
    }

    public int queryResponsesToDrop() {
        return dropQueryResponses.left();
    }

    boolean takeDroppedQueryResponse(String object) {
        String only = dropQueryObject;
        return (only == null || only.equalsIgnoreCase(object)) && dropQueryResponses.take();
    }

    /**
     * The next {@code writes} write transactions (a SOAP or REST write call, an sObject collections request,
     * 200 rows of a Bulk job) stamp their records {@code by} earlier than the time they are saved, as a
     * transaction that committed {@code by} after it stamped them: a reader that polls SystemModstamp can
     * already have read later stamps when these records appear.
     */
    public Faults lateWrites(Duration by, int writes) {
        this.lateBy = by;
        lateWrites.set(writes);
        return this;
    }

    public Duration lateBy() {
        return lateBy;
    }

    public int lateWritesLeft() {
        return lateWrites.left();
    }

    /** How much earlier than now the next write transaction stamps its records (zero for most). */
    Duration takeLateness() {
        return lateWrites.take() ? lateBy : Duration.ZERO;
    }

    /** The next {@code calls} write calls (SOAP, REST sObject, sObject collections) fail as a whole with this exception code (e.g. UNKNOWN_EXCEPTION). */
    public Faults faultCalls(String exceptionCode, int calls) {
        this.callFaultCode = exceptionCode;
        callFaults.set(calls);
        return this;
    }

    /** The fault code the next write call must fail with, or null. */
    String takeCallFault() {
        return callFaults.take() ? callFaultCode : null;
    }

    /** The next {@code times} calls of this Bulk step fail with HTTP 503. */
    public Faults bulkFault(BulkStep step, int times) {
        return bulkFault(step, times, BulkFailure.HTTP_503);
    }

    /** The next {@code times} calls of this Bulk step fail this way. */
    public synchronized Faults bulkFault(BulkStep step, int times, BulkFailure failure) {
        this.bulkFaultStep = step;
        this.bulkFailure = failure;
        this.bulkFaults = times;
        return this;
    }

    /** The Bulk step faults are set for, while some are left; null otherwise. */
    public synchronized BulkStep bulkFaultStep() {
        return bulkFaults > 0 ? bulkFaultStep : null;
    }

    public synchronized int bulkFaultsLeft() {
        return bulkFaults;
    }

    public synchronized BulkFailure bulkFailure() {
        return bulkFailure;
    }

    /** How this call of the Bulk step fails, or null when it does not (a failure is counted). */
    synchronized BulkFailure takeBulkFault(BulkStep step) {
        if (step != bulkFaultStep || bulkFaults == 0) {
            return null;
        }
        bulkFaults--;
        return bulkFailure;
    }

    /** Every login is refused with invalid_grant, as when the password changed or the app was revoked. */
    public Faults refuseLogins(boolean on) {
        this.refuseLogins = on;
        return this;
    }

    public boolean refusingLogins() {
        return refuseLogins;
    }

    /**
     * Token requests wait until {@code together} of them are in flight and are answered at once (one
     * that waited {@code atMost} is answered alone); {@code together} of 1 or less: no waiting.
     */
    public Faults holdLogins(int together, Duration atMost) {
        loginGate.hold(together, atMost);
        return this;
    }

    /** Token requests held now, waiting for others. */
    public int loginsHeld() {
        return loginGate.waiting();
    }

    LoginGate loginGate() {
        return loginGate;
    }

    /** Everything off, and the latency profile the simulator was started with. */
    public void clear() {
        profile = startProfile;
        maintenance = false;
        unavailable = Unavailable.NONE;
        streamingUnavailable = Unavailable.NONE;
        latencyPerCallMillis = 0;
        latencyPerRecordMillis = 0;
        apiRequests.clear();
        bulkQueryJobs.clear();
        lockRowRate = 0;
        lockWait = SALESFORCE_LOCK_WAIT;
        loseResponses.set(0);
        dropQueryResponses.set(0);
        dropQueryObject = null;
        lateWrites.set(0);
        lateBy = Duration.ZERO;
        callFaults.set(0);
        refuseLogins = false;
        loginGate.clear();
        bulkFault(null, 0, BulkFailure.HTTP_503);
    }
}
