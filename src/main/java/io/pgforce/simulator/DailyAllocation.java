package io.pgforce.simulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One of the org's daily allocations (API requests, Bulk API 2.0 query jobs): its maximum, which a
 * test can lower, and how much of it is used. Salesforce counts over a rolling 24 hours; the
 * simulator counts from its start or its last reset.
 */
final class DailyAllocation {

    private final long defaultMax;
    private volatile long max;
    private final AtomicLong used = new AtomicLong();

    DailyAllocation(long max) {
        this.defaultMax = max;
        this.max = max;
    }

    void max(long max) {
        this.max = max;
    }

    long max() {
        return max;
    }

    long used() {
        return used.get();
    }

    long remaining() {
        return Math.max(0, max - used.get());
    }

    /** Counts one; false when that one is over the maximum (it is counted all the same). */
    boolean take() {
        return used.incrementAndGet() <= max;
    }

    void resetUsed() {
        used.set(0);
    }

    /** The default maximum, nothing used. */
    void clear() {
        max = defaultMax;
        used.set(0);
    }
}
