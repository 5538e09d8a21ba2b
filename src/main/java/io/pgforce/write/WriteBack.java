package io.pgforce.write;

import io.pgforce.config.Backoff;
import io.pgforce.config.RetrySettings;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.WriteActivity;
import io.pgforce.plan.PlanRules;
import io.pgforce.salesforce.Outcome;
import io.pgforce.triggerlog.Settlement;
import io.pgforce.triggerlog.Settler;
import io.pgforce.triggerlog.WriterLeaseLostException;
import io.quarkus.arc.Unremovable;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.jboss.logging.Logger;

/**
 * Records what Salesforce said in the trigger log, off the batches' way: a batch hands its
 * outcomes over and its lane sends the next one while one thread writes them back, everything
 * queued meanwhile in one statement and one commit (a group commit). The outcomes stay here
 * until they are recorded: while the database is away the write-back is retried with back-off
 * (state DB_UNAVAILABLE) and nothing is sent to Salesforce again. At most a few batches wait to
 * be written back; a lane that would add more waits, so a database that is away stops the
 * sending too. A claim round ends only once all of its outcomes are recorded: {@link #awaitIdle()},
 * the round's last step (routes/writer.yaml). The writing thread comes from Camel's executor
 * manager; a group commit of whatever is queued is not an aggregation Camel's aggregator offers
 * (it would need a batch consumer, and a completion that waits for the database to come back).
 */
@ApplicationScoped
@Unremovable
@Named("writeBack")
public class WriteBack {

    private static final Logger LOG = Logger.getLogger(WriteBack.class);
    /**
     * Settlements written back in one statement at most. The engine has one connection: a Bulk
     * job's 10,000 outcomes in one statement would hold it for a second while the next job waits
     * to record its id; in smaller statements the others get their turn in between.
     */
    private static final int MOST_PER_STATEMENT = 2_000;
    /** The waits before outcomes whose mapping row the application holds are tried again. */
    private static final Backoff DEFERRAL = new Backoff(Duration.ofMillis(20), Duration.ofSeconds(1));

    /** One batch's outcomes not recorded yet, and who waits for them to be recorded. */
    private record Entry(List<Outcome> remaining, CompletableFuture<Void> recorded) {
    }

    private final Settler settler;
    private final ConnectionStatus status;
    private final WriteActivity activity;
    private final FailedChanges failedChanges;
    private final Backoff backoff;
    private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private int outstanding;
    /** What kept an outcome from being recorded since the last {@link #awaitIdle()}: the lease lost, or the application stopping. */
    private RuntimeException failure;
    private final CamelContext camel;
    private final ExecutorService writer;
    private volatile boolean stopping;

    @Inject
    WriteBack(Settler settler, ConnectionStatus status, WriteActivity activity, FailedChanges failedChanges, PlanRules rules, CamelContext camel,
              RetrySettings retry) {
        this.settler = settler;
        this.status = status;
        this.activity = activity;
        this.failedChanges = failedChanges;
        this.backoff = retry.backoff();
        // each lane may have one batch waiting while it sends the next, plus one being written
        this.room = new Semaphore(2 * rules.writeConcurrency() + 1);
        this.camel = camel;
        this.writer = camel.getExecutorServiceManager().newSingleThreadExecutor(this, "pgforce-write-back");
        writer.execute(this::run);
    }

    /** Hands outcomes over; returns once they are queued (waiting while the queue is full). */
    public CompletableFuture<Void> submit(List<Outcome> outcomes) {
        CompletableFuture<Void> recorded = new CompletableFuture<>();
        if (outcomes.isEmpty()) {
            recorded.complete(null);
            return recorded;
        }
        try {
            room.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            recorded.completeExceptionally(e);
            return recorded;
        }
        synchronized (this) {
            outstanding++;
        }
        queue.add(new Entry(new ArrayList<>(outcomes), recorded));
        return recorded;
    }

    /**
     * Waits until everything handed over is recorded (or failed): a round that ended, even by a
     * failure, leaves nothing on its way, so the next claim or reclaim finds the log as it is.
     * Throws what kept an outcome from being recorded since the last call (the round fails then).
     */
    public synchronized void awaitIdle() throws InterruptedException {
        while (outstanding > 0) {
            wait();
        }
        RuntimeException failed = failure;
        failure = null;
        if (failed != null) {
            throw failed;
        }
    }

    private synchronized void done(int entries) {
        outstanding -= entries;
        notifyAll();
    }

    /** Entries that cannot be recorded fail; the round that handed them over learns why when it ends. */
    private void fail(List<Entry> entries, Exception e) {
        entries.forEach(entry -> entry.recorded().completeExceptionally(e));
        synchronized (this) {
            if (failure == null) {
                failure = e instanceof RuntimeException r ? r : new IllegalStateException("The write-back failed", e);
            }
        }
    }

    private void run() {
        List<Entry> waiting = new ArrayList<>();
        int deferrals = 0;
        while (!stopping) {
            try {
                if (waiting.isEmpty()) {
                    Entry first = queue.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        if (writer.isShutdown()) {
                            return; // Camel stops its thread pools after the routes: nothing is on its way any more
                        }
                        continue;
                    }
                    waiting.add(first);
                }
                int settlements = waiting.stream().mapToInt(e -> e.remaining().size()).sum();
                for (Entry next; settlements < MOST_PER_STATEMENT && (next = queue.poll()) != null; ) {
                    waiting.add(next);
                    settlements += next.remaining().size();
                }
                boolean deferred = record(waiting);
                finish(waiting);
                if (!deferred) {
                    deferrals = 0;
                } else {
                    // the application holds the lock of a mapping row some outcome needs: try again soon, with what came meanwhile
                    Thread.sleep(DEFERRAL.delayMillis(deferrals++));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Write-back failed unexpectedly", e);
                fail(waiting, e);
                finish(waiting);
            }
        }
    }

    /** Entries whose every outcome is recorded (or that failed) leave; the others wait for another round. */
    private void finish(List<Entry> waiting) {
        int finished = 0;
        for (var it = waiting.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.recorded().isDone()) {
                it.remove();
                finished++;
            }
        }
        room.release(finished);
        done(finished);
    }

    /**
     * Writes back the entries' outcomes (as many as one statement takes), retrying while the
     * database is away. An outcome whose mapping row the application holds stays for another
     * round; an entry with none left is recorded. They fail only when the lease is lost. Returns
     * whether an outcome was left for the application.
     */
    private boolean record(List<Entry> entries) throws InterruptedException {
        Map<Settlement, Outcome> bySettlement = new IdentityHashMap<>();
        for (Entry e : entries) {
            for (Outcome o : e.remaining()) {
                if (bySettlement.size() == MOST_PER_STATEMENT) {
                    break;
                }
                bySettlement.put(OutcomeSettlement.of(o), o);
            }
        }
        Settler.Settled settled;
        for (int attempt = 0; ; attempt++) {
            try {
                settled = settler.settle(List.copyOf(bySettlement.keySet()));
                break;
            } catch (WriterLeaseLostException e) {
                // another instance writes now and sends these again: nothing here may change the log
                fail(entries, e);
                return false;
            } catch (SQLException e) {
                if (stopping) {
                    fail(entries, e);
                    return false;
                }
                status.failed(e);
                Thread.sleep(backoff.delayMillis(attempt));
            }
        }
        activity.acknowledged(settled.captureToAck());
        Set<Outcome> deferred = Collections.newSetFromMap(new IdentityHashMap<>());
        settled.deferred().forEach(st -> deferred.add(bySettlement.get(st)));
        Set<Outcome> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        taken.addAll(bySettlement.values());
        List<Outcome> recorded = new ArrayList<>();
        for (Entry entry : entries) {
            for (var it = entry.remaining().iterator(); it.hasNext(); ) {
                Outcome o = it.next();
                if (taken.contains(o) && !deferred.contains(o)) {
                    recorded.add(o);
                    it.remove();
                }
            }
            if (entry.remaining().isEmpty()) {
                entry.recorded().complete(null);
            }
        }
        count(recorded);
        failedChanges.announce(recorded);
        return !deferred.isEmpty();
    }

    private void count(List<Outcome> outcomes) {
        Map<List<String>, Long> counts = new java.util.HashMap<>();
        for (Outcome o : outcomes) {
            String action = o.item().operation().isInsert() ? "INSERT" : o.item().operation().name();
            counts.merge(List.of(o.item().object(), action, o.kind().name().toUpperCase(Locale.ROOT)), 1L, Long::sum);
        }
        counts.forEach((key, n) -> activity.settled(key.get(0), key.get(1), key.get(2), n));
    }

    @PreDestroy
    void stop() {
        stopping = true;
        camel.getExecutorServiceManager().shutdownNow(writer);
    }
}
