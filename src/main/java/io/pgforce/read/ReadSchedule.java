package io.pgforce.read;

import io.pgforce.config.Backoff;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.config.RetrySettings;
import io.pgforce.connection.PauseSwitch;
import io.pgforce.route.PgforceConstants;
import io.pgforce.salesforce.ApiAllocation;
import io.pgforce.salesforce.SalesforceFailures;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

/**
 * When each mapping is read, and what the end of a read means. A mapping is due once its interval
 * (its mapping's {@code poll_interval}, else {@code pgforce.read.interval}) has passed since its
 * last read ended, counted from the state table after a restart; a mapping never read is due at
 * once. Nothing is read while an operator has paused the connection, nor once the org's API usage reached
 * pgforce.api.max-share ({@link ApiAllocation}): reads wait for the allocation as writes do. A read that Salesforce or
 * the database cut short waits with back-off ({@code pgforce.retry.*}) and goes on from the
 * watermark; any other failure puts the mapping in ERROR, with one line, until its next read
 * succeeds. One read of a mapping at a time.
 */
@ApplicationScoped
@Unremovable
@Named("readSchedule")
public class ReadSchedule {

    private static final Logger LOG = Logger.getLogger("io.pgforce.read");

    private final MappingSet mappings;
    private final ReadStates states;
    private final PauseSwitch pauseSwitch;
    private final Duration interval;
    private final Backoff backoff;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Instant> nextDue = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** Tables an operator asked to read at the next tick (a reload), whatever their interval says. */
    private final Set<String> soon = ConcurrentHashMap.newKeySet();
    /** Per table, the waits in a row for Salesforce or the database. */
    private final Map<String, Integer> waits = new ConcurrentHashMap<>();
    /** Per table in ERROR, its error: logged once while it repeats. */
    private final Map<String, String> errors = new ConcurrentHashMap<>();
    private volatile boolean scheduled;
    private volatile boolean paused;
    private final ApiAllocation allocation;

    @Inject
    ReadSchedule(MappingSet mappings, ReadStates states, PauseSwitch pauseSwitch, ReadSettings settings, RetrySettings retry, ApiAllocation allocation) {
        this.allocation = allocation;
        this.mappings = mappings;
        this.states = states;
        this.pauseSwitch = pauseSwitch;
        this.interval = settings.interval();
        this.backoff = retry.backoff();
    }

    /**
     * The reads due now, each marked running until it ends. While the database cannot be asked
     * (the connection's state says so) none is.
     */
    public List<ReadRun> due() {
        try {
            return dueNow();
        } catch (SQLException e) {
            LOG.debugf("No read now, the database does not answer: %s", e.getMessage());
            return List.of();
        }
    }

    private List<ReadRun> dueNow() throws SQLException {
        Instant now = clock.instant();
        if (!scheduled) {
            states.lastPolls().forEach((table, ended) -> mappings.byTable(table).ifPresent(m -> nextDue.put(table, ended.plus(intervalOf(m)))));
            scheduled = true;
        }
        List<Mapping> due = mappings.mappings().stream()
                .filter(m -> !running.contains(m.table()) && (soon.contains(m.table()) || !nextDue.getOrDefault(m.table(), Instant.MIN).isAfter(now)))
                .toList();
        if (due.isEmpty()) {
            return List.of();
        }
        Optional<PauseSwitch.Pause> pause = pauseSwitch.current();
        if (pause.isPresent()) {
            if (!paused) {
                states.paused();
                paused = true;
                LOG.infof("Reading is paused by %s: no mapping is read until the connection resumes", pause.get().by());
            }
            return List.of();
        }
        paused = false;
        if (!allocation.allowsCalls()) {
            LOG.debugf("No read now: %s", allocation.waiting());
            return List.of();
        }
        due.forEach(m -> {
            running.add(m.table());
            soon.remove(m.table());
        });
        return due.stream().map(ReadRun::new).toList();
    }

    /** The mapping is read at the next tick, not at the end of its interval (a read running now ends first). */
    void readSoon(Mapping m) {
        soon.add(m.table());
    }

    /** The read got to the end of its query. */
    public void done(@ExchangeProperty(PgforceConstants.READ) ReadRun run) throws SQLException {
        Mapping m = run.mapping();
        states.done(m);
        if (errors.remove(m.table()) != null) {
            LOG.infof("Read of %s goes on: its last read succeeded", m.object());
        }
        if (waits.remove(m.table()) != null) {
            LOG.infof("Read of %s goes on: Salesforce and the database answer again", m.object());
        }
        if (run.loading()) {
            LOG.infof("Loaded %s into %s: %d row(s) written, %d record(s) failed, %d page(s)", m.object(), m.table(), run.applied(), run.failed(), run.pages());
        } else if (run.applied() > 0 || run.failed() > 0) {
            LOG.infof("Read %s: %d row(s) written, %d record(s) failed, %d page(s)", m.object(), run.applied(), run.failed(), run.pages());
        }
        ended(m, intervalOf(m));
    }

    /** The read failed: it waits for Salesforce or the database, or the mapping is in ERROR until its next read. */
    public void failed(@ExchangeProperty(PgforceConstants.READ) ReadRun run, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        Mapping m = run.mapping();
        String line = SalesforceFailures.quotaExceeded(failure)
                ? "the org's Bulk API 2.0 query jobs of the last 24 hours are used up (ExceededQuota)" : oneLine(failure);
        if (ReadFailures.notTheWriter(failure)) {
            LOG.debug(line);
            ended(m, Duration.ZERO);
        } else if (ReadFailures.waits(failure)) {
            if (SalesforceFailures.allocationSpent(failure)) {
                allocation.refused(); // no read goes, and no write is claimed, until /limits shows room
            }
            int attempt = waits.merge(m.table(), 1, Integer::sum) - 1;
            Duration delay = backoff.delay(attempt);
            if (attempt == 0) {
                LOG.warnf("Read of %s waits: %s; it goes on from its watermark, tried again with back-off", m.object(), line);
            }
            record(() -> states.waiting(m, "waiting: " + line));
            ended(m, delay);
        } else {
            waits.remove(m.table());
            if (!line.equals(errors.put(m.table(), line))) {
                LOG.warnf("Read of %s (table %s) failed: %s; tried again every %s", m.object(), m.table(), line, shortly(intervalOf(m)));
            }
            record(() -> states.failed(m, line));
            ended(m, intervalOf(m));
        }
    }

    private void ended(Mapping m, Duration untilNext) {
        nextDue.put(m.table(), clock.instant().plus(untilNext));
        running.remove(m.table());
    }

    private Duration intervalOf(Mapping m) {
        return m.pollInterval() != null ? m.pollInterval() : interval;
    }

    private interface Update {
        void run() throws SQLException;
    }

    /** The state table says what happened when it can; when the database is away the log has said it. */
    private static void record(Update update) {
        try {
            update.run();
        } catch (SQLException e) {
            LOG.debugf("The read state could not be recorded: %s", e.getMessage());
        }
    }

    /** 10m, 1h30m, 45s. */
    private static String shortly(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static String oneLine(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage().lines().findFirst().orElse("").strip();
            }
        }
        return failure.getClass().getSimpleName();
    }
}
