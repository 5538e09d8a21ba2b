package io.pgforce.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What the writer did, as Micrometer meters (the one record of it, which /q/metrics, JMX and the
 * cycle log line all read): cycles and their duration, API calls by API, operation and outcome,
 * records per call, changes settled by mapping, action and outcome, and how long a change took
 * from capture to Salesforce's acknowledgement. Cycles never overlap, so the running cycle's
 * tally is one set of fields; it ends as the cycle's one log line.
 */
@ApplicationScoped
public class WriteActivity {

    public static final String CYCLES = "pgforce.cycle.duration";
    public static final String API_CALLS = "pgforce.api.calls";
    public static final String RECORDS_PER_CALL = "pgforce.api.call.records";
    public static final String CHANGES = "pgforce.changes";
    public static final String LATENCY = "pgforce.commit.to.salesforce";
    public static final String CLAIMS_PAST_OPEN_TRANSACTIONS = "pgforce.claims.past.open.transactions";

    private static final Logger LOG = Logger.getLogger("io.pgforce.cycle");

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer cycles;
    private final Timer latency;
    private final Counter pastOpenTransactions;
    private volatile Instant lastCycleStart;
    private volatile Duration lastCycleDuration;
    // the running cycle's tally
    private long claimed;
    private long written;
    private long failed;
    private long held;
    private final Map<String, long[]> callsAndRecordsByApi = new TreeMap<>();

    @Inject
    WriteActivity(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    WriteActivity(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.cycles = Timer.builder(CYCLES).description("Write cycles: claim, plan, write, settle").register(registry);
        this.latency = Timer.builder(LATENCY).description("From the change's capture to Salesforce's acknowledgement")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        this.pastOpenTransactions = Counter.builder(CLAIMS_PAST_OPEN_TRANSACTIONS)
                .description("Changes claimed while an older transaction was still open, after waiting pgforce.claim.max-wait").register(registry);
    }

    public synchronized void cycleStarted() {
        lastCycleStart = clock.instant();
        claimed = written = failed = held = 0;
        callsAndRecordsByApi.clear();
    }

    public synchronized void claimed(int rows) {
        claimed += rows;
    }

    /** Changes claimed although an older transaction was still open: it had kept them waiting the longest allowed. */
    public void claimedPastOpenTransaction(int rows, Duration maxWait) {
        pastOpenTransactions.increment(rows);
        LOG.warnf("Claimed %d change(s) although an older transaction is still open: they waited the longest allowed "
                + "(pgforce.claim.max-wait %s) and may overtake that transaction's changes", rows, maxWait);
    }

    /** One Salesforce call (a SOAP message or a Bulk job) and what became of its records. */
    public synchronized void call(String api, String operation, int succeeded, int refused) {
        String outcome = refused == 0 ? "success" : succeeded == 0 ? "failed" : "partial";
        Counter.builder(API_CALLS).description("Salesforce API calls (SOAP messages, Bulk jobs)")
                .tags("api", api, "operation", operation, "outcome", outcome).register(registry).increment();
        DistributionSummary.builder(RECORDS_PER_CALL).description("Records per Salesforce API call").tags("api", api)
                .register(registry).record(succeeded + refused);
        long[] n = callsAndRecordsByApi.computeIfAbsent(api, a -> new long[2]);
        n[0]++;
        n[1] += succeeded + refused;
    }

    /** Changes settled: their mapping (object), action and outcome, and how many. */
    public synchronized void settled(String mapping, String action, String outcome, long changes) {
        Counter.builder(CHANGES).description("Changes settled").tags("mapping", mapping, "action", action, "outcome", outcome)
                .register(registry).increment(changes);
        switch (outcome) {
            case "SUCCESS" -> written += changes;
            case "FAILED" -> failed += changes;
            case "HELD" -> held += changes;
            default -> { }
        }
    }

    public void acknowledged(Collection<Duration> captureToAck) {
        captureToAck.forEach(latency::record);
    }

    /** Ends the cycle: its duration, and one log line when it did anything. */
    public synchronized void cycleEnded() {
        Duration took = Duration.between(lastCycleStart, clock.instant());
        lastCycleDuration = took;
        cycles.record(took.toNanos(), TimeUnit.NANOSECONDS);
        StringBuilder apis = new StringBuilder();
        callsAndRecordsByApi.forEach((api, n) -> apis.append(apis.isEmpty() ? "" : ", ").append(api).append(' ')
                .append(n[0]).append(n[0] == 1 ? " call/" : " calls/").append(n[1]).append(" records"));
        String line = String.format("Cycle: claimed %d, written %d%s, failed %d, held %d in %.2f s", claimed, written,
                apis.isEmpty() ? "" : " (" + apis + ")", failed, held, took.toNanos() / 1e9);
        if (claimed > 0 || written > 0 || failed > 0) {
            LOG.info(line);
        } else {
            LOG.debug(line); // the timer's empty cycles would be noise
        }
    }

    public Optional<Instant> lastCycleStart() {
        return Optional.ofNullable(lastCycleStart);
    }

    public Optional<Duration> lastCycleDuration() {
        return Optional.ofNullable(lastCycleDuration);
    }

    /** API calls so far by "API/outcome" (e.g. "SOAP/success"). */
    public Map<String, Long> apiCalls() {
        Map<String, Long> calls = new TreeMap<>();
        registry.find(API_CALLS).counters().forEach(c -> calls.merge(c.getId().getTag("api") + "/" + c.getId().getTag("outcome"),
                (long) c.count(), Long::sum));
        return calls;
    }

    /** Mean records per API call so far, 0 before the first. */
    public double recordsPerCall() {
        double records = 0;
        long calls = 0;
        for (DistributionSummary s : registry.find(RECORDS_PER_CALL).summaries()) {
            records += s.totalAmount();
            calls += s.count();
        }
        return calls == 0 ? 0 : records / calls;
    }
}
