package io.pgforce.write;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One plan's batches on the lanes: which are written, and the first unexpected failure, after
 * which no batch starts. Serially each batch depends on the one before it; in parallel on the
 * batches {@code BatchDependencies} names, and it does not start while a batch that locks a record
 * it locks too ({@code ParentLocks}: a parent in common, or the parent itself) is being written:
 * Salesforce would make one wait for the other's lock and fail its records with UNABLE_TO_LOCK_ROW
 * after about 10 s. That is mutual exclusion, not an order: whichever is ready first goes first.
 * A batch waits only for batches being written, which end, so no lane waits for ever.
 */
final class LaneSchedule {

    private final List<Set<Integer>> dependencies;
    private final List<Set<String>> locks;
    private final boolean[] done;
    private final Set<Integer> running = new HashSet<>();
    private Exception failure;

    private LaneSchedule(List<Set<Integer>> dependencies, List<Set<String>> locks, int batches) {
        this.dependencies = dependencies;
        this.locks = locks;
        this.done = new boolean[batches];
    }

    static LaneSchedule serial(int batches) {
        return new LaneSchedule(null, null, batches);
    }

    /** @param locks for each batch, the records it locks in Salesforce (by key) */
    static LaneSchedule of(List<Set<Integer>> dependencies, List<Set<String>> locks) {
        return new LaneSchedule(dependencies, locks, dependencies.size());
    }

    synchronized boolean awaitTurn(int batch) throws InterruptedException {
        while (failure == null && (!dependenciesDone(batch) || locksHeld(batch))) {
            wait();
        }
        if (failure == null) {
            running.add(batch);
        }
        return failure == null;
    }

    synchronized void finished(int batch, Exception failed) {
        done[batch] = true;
        running.remove(batch);
        if (failed != null && failure == null) {
            failure = failed;
        }
        notifyAll();
    }

    synchronized void rethrow() throws Exception {
        if (failure != null) {
            throw failure;
        }
    }

    private boolean dependenciesDone(int batch) {
        if (dependencies == null) {
            return batch == 0 || done[batch - 1];
        }
        for (int d : dependencies.get(batch)) {
            if (!done[d]) {
                return false;
            }
        }
        return true;
    }

    /** Whether a batch being written locks a record this one locks. */
    private boolean locksHeld(int batch) {
        if (locks == null || locks.get(batch).isEmpty()) {
            return false;
        }
        for (int other : running) {
            if (!Collections.disjoint(locks.get(other), locks.get(batch))) {
                return true;
            }
        }
        return false;
    }
}
