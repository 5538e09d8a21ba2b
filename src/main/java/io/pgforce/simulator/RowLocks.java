package io.pgforce.simulator;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The org's record locks. A write transaction locks the records it writes and the parents its
 * lookups reference, and holds them until it ends; another transaction that needs one of them
 * waits, at most the lock wait ({@link Faults#lockWait}, 10 s as Salesforce), and then fails the
 * records that needed it with UNABLE_TO_LOCK_ROW. An owner is any object standing for one
 * transaction (a write call, a Bulk job's slice of rows).
 */
public final class RowLocks {

    private final Map<String, Object> holders = new HashMap<>();
    private long contended;
    private long refused;

    /**
     * Takes every lock of {@code ids} for {@code owner}, waiting up to {@code wait} while any is held by another
     * owner; taken all at once, so two waiting owners never hold one lock each of what the other needs. At the
     * end of the wait the free ones are taken and the held ones returned (empty: all taken).
     */
    synchronized Set<String> acquire(Object owner, Collection<String> ids, Duration wait) {
        Set<String> held = heldByOthers(owner, ids);
        if (!held.isEmpty()) {
            contended++;
            long deadline = System.nanoTime() + wait.toNanos();
            for (long left = wait.toNanos(); !held.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                held = heldByOthers(owner, ids);
            }
        }
        return take(owner, ids);
    }

    /**
     * Takes the locks of {@code ids} for {@code owner} if none is held by another owner, and returns the held
     * ones; with {@code last}, the waiting is over: the free ones are taken all the same. For a Bulk job, whose
     * rows are processed on a scheduler that must not block: it asks again until its wait is over.
     */
    synchronized Set<String> tryAcquire(Object owner, Collection<String> ids, boolean first, boolean last) {
        Set<String> held = heldByOthers(owner, ids);
        if (!held.isEmpty() && first) {
            contended++;
        }
        return held.isEmpty() || last ? take(owner, ids) : held;
    }

    private Set<String> take(Object owner, Collection<String> ids) {
        Set<String> held = heldByOthers(owner, ids);
        for (String id : ids) {
            if (!held.contains(id)) {
                holders.put(id, owner);
            }
        }
        return held;
    }

    private Set<String> heldByOthers(Object owner, Collection<String> ids) {
        Set<String> held = new LinkedHashSet<>();
        for (String id : ids) {
            Object holder = holders.get(id);
            if (holder != null && holder != owner) {
                held.add(id);
            }
        }
        return held;
    }

    /** The owner's transaction ended: its locks are free for those waiting. */
    synchronized void release(Object owner) {
        if (holders.values().removeIf(h -> h == owner)) {
            notifyAll();
        }
    }

    /** Records failed with UNABLE_TO_LOCK_ROW because a lock stayed held past the wait. */
    synchronized void refused(int records) {
        refused += records;
    }

    /** Locks held now. */
    public synchronized int held() {
        return holders.size();
    }

    /** Transactions that found a lock they needed held and waited for it. */
    public synchronized long contended() {
        return contended;
    }

    /** Records that failed with UNABLE_TO_LOCK_ROW because another transaction held a lock past the wait (not the random fault). */
    public synchronized long refused() {
        return refused;
    }

    synchronized void clear() {
        holders.clear();
        contended = 0;
        refused = 0;
        notifyAll();
    }
}
