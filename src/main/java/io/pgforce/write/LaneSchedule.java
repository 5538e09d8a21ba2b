package io.pgforce.write;

import java.util.List;
import java.util.Set;

/**
 * One plan's batches on the lanes: which are written, and the first unexpected failure, after
 * which no batch starts. Serially each batch depends on the one before it; in parallel on the
 * batches {@code BatchDependencies} names.
 */
final class LaneSchedule {

    private final List<Set<Integer>> dependencies;
    private final boolean[] done;
    private Exception failure;

    private LaneSchedule(List<Set<Integer>> dependencies, int batches) {
        this.dependencies = dependencies;
        this.done = new boolean[batches];
    }

    static LaneSchedule serial(int batches) {
        return new LaneSchedule(null, batches);
    }

    static LaneSchedule of(List<Set<Integer>> dependencies) {
        return new LaneSchedule(dependencies, dependencies.size());
    }

    synchronized boolean awaitTurn(int batch) throws InterruptedException {
        while (failure == null && !dependenciesDone(batch)) {
            wait();
        }
        return failure == null;
    }

    synchronized void finished(int batch, Exception failed) {
        done[batch] = true;
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
}
