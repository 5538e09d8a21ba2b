package io.pgforce.write;

import io.pgforce.config.MappingSet;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.WriteActivity;
import io.pgforce.salesforce.Outcome;
import io.pgforce.triggerlog.TriggerLog;
import io.pgforce.triggerlog.WriterLeaseLostException;
import io.quarkus.arc.Unremovable;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Records what Salesforce said in the trigger log, off the batches' way: a batch hands its
 * outcomes over and its lane sends the next one while one thread writes them back, everything
 * queued meanwhile in one statement and one commit (a group commit). The outcomes stay here
 * until they are recorded: while the database is away the write-back is retried with back-off
 * (state DB_UNAVAILABLE) and nothing is sent to Salesforce again. At most a few batches wait to
 * be written back; a lane that would add more waits, so a database that is away stops the
 * sending too. A cycle ends only once all of its outcomes are recorded (see {@link CycleState}).
 */
@ApplicationScoped
@Unremovable
public class WriteBack {

    private static final Logger LOG = Logger.getLogger(WriteBack.class);
    /** Settlements written back in one statement at most: a statement of millions of array elements helps nobody. */
    private static final int MOST_PER_STATEMENT = 50_000;

    /** One batch's outcomes, and who waits for them to be recorded. */
    private record Entry(List<Outcome> outcomes, CompletableFuture<Void> recorded) {
    }

    private final TriggerLog triggerLog;
    private final ConnectionStatus status;
    private final WriteActivity activity;
    private final FailedChanges failedChanges;
    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private int outstanding;
    private final Thread writer;
    private volatile boolean stopping;

    @Inject
    WriteBack(TriggerLog triggerLog, ConnectionStatus status, WriteActivity activity, FailedChanges failedChanges, MappingSet mappings,
              @ConfigProperty(name = "pgforce.retry.initial-delay-ms") long initialDelayMillis,
              @ConfigProperty(name = "pgforce.retry.max-delay-ms") long maxDelayMillis) {
        this.triggerLog = triggerLog;
        this.status = status;
        this.activity = activity;
        this.failedChanges = failedChanges;
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        // each lane may have one batch waiting while it sends the next, plus one being written
        this.room = new Semaphore(2 * mappings.connection().writeConcurrency() + 1);
        this.writer = new Thread(this::run, "pgforce-write-back");
        writer.setDaemon(true);
        writer.start();
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
        queue.add(new Entry(List.copyOf(outcomes), recorded));
        return recorded;
    }

    /**
     * Waits until everything handed over is recorded (or failed): a cycle that ended, even by a
     * failure, leaves nothing on its way, so the next cycle's reclaim finds the log as it is.
     */
    public synchronized void awaitIdle() throws InterruptedException {
        while (outstanding > 0) {
            wait();
        }
    }

    private synchronized void done(int entries) {
        outstanding -= entries;
        notifyAll();
    }

    private void run() {
        List<Entry> taken = new ArrayList<>();
        while (!stopping) {
            try {
                Entry first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                int settlements = first.outcomes().size();
                for (Entry next; settlements < MOST_PER_STATEMENT && (next = queue.poll()) != null; ) {
                    taken.add(next);
                    settlements += next.outcomes().size();
                }
                record(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Write-back failed unexpectedly", e);
                taken.forEach(entry -> entry.recorded().completeExceptionally(e));
            } finally {
                room.release(taken.size());
                done(taken.size());
                taken.clear();
            }
        }
    }

    /** Writes the entries back, retrying while the database is away; they end recorded or failed (lease lost). */
    private void record(List<Entry> entries) throws InterruptedException {
        List<Outcome> all = new ArrayList<>();
        entries.forEach(e -> all.addAll(e.outcomes()));
        for (int attempt = 0; ; attempt++) {
            try {
                activity.acknowledged(triggerLog.settle(all.stream().map(Outcome::settlement).toList()));
                break;
            } catch (WriterLeaseLostException e) {
                // another instance writes now and sends these again: nothing here may change the log
                entries.forEach(entry -> entry.recorded().completeExceptionally(e));
                return;
            } catch (SQLException e) {
                if (stopping) {
                    entries.forEach(entry -> entry.recorded().completeExceptionally(e));
                    return;
                }
                status.failed(e);
                Thread.sleep(Math.min(maxDelayMillis, initialDelayMillis << Math.min(attempt, 20)));
            }
        }
        count(all);
        entries.forEach(entry -> entry.recorded().complete(null));
        failedChanges.announce(all);
    }

    private void count(List<Outcome> outcomes) {
        java.util.Map<List<String>, Long> counts = new java.util.HashMap<>();
        for (Outcome o : outcomes) {
            String action = o.item().operation().isInsert() ? "INSERT" : o.item().operation().name();
            counts.merge(List.of(o.item().object(), action, o.kind().name().toUpperCase(Locale.ROOT)), 1L, Long::sum);
        }
        counts.forEach((key, n) -> activity.settled(key.get(0), key.get(1), key.get(2), n));
    }

    @PreDestroy
    void stop() {
        stopping = true;
        writer.interrupt();
    }
}
