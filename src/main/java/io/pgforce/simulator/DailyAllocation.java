package io.pgforce.simulator;

import java.time.Clock;
import java.util.ArrayDeque;

/**
 * One of the org's daily allocations (API requests, Bulk API 2.0 query jobs): its maximum, which a
 * test can lower, and how much of it is used. As Salesforce does, it counts over a rolling 24
 * hours of the simulator's clock: what was used leaves the count a day later (to the minute), so a
 * spent allocation recovers by itself.
 */
final class DailyAllocation {

    private static final long MINUTES_KEPT = 24 * 60;

    private final Clock clock;
    private final long defaultMax;
    private volatile long max;
    /** What was used in each minute, oldest first: {minute since the epoch, count}. */
    private final ArrayDeque<long[]> minutes = new ArrayDeque<>();
    private long used;

    DailyAllocation(long max, Clock clock) {
        this.defaultMax = max;
        this.max = max;
        this.clock = clock;
    }

    void max(long max) {
        this.max = max;
    }

    long max() {
        return max;
    }

    synchronized long used() {
        expire();
        return used;
    }

    long remaining() {
        return Math.max(0, max - used());
    }

    /** Counts one; false when that one is over the maximum (it is counted all the same). */
    synchronized boolean take() {
        expire();
        add(1);
        return used <= max;
    }

    /** As if {@code used} had been used just now and nothing before (other integrations of the org, a test's starting point). */
    synchronized void used(long used) {
        minutes.clear();
        this.used = 0;
        add(used);
    }

    /** The default maximum, nothing used. */
    synchronized void clear() {
        max = defaultMax;
        used(0);
    }

    private void add(long n) {
        long minute = clock.millis() / 60_000;
        long[] last = minutes.peekLast();
        if (last != null && last[0] == minute) {
            last[1] += n;
        } else {
            minutes.addLast(new long[] {minute, n});
        }
        used += n;
    }

    private void expire() {
        long gone = clock.millis() / 60_000 - MINUTES_KEPT;
        while (!minutes.isEmpty() && minutes.peekFirst()[0] <= gone) {
            used -= minutes.pollFirst()[1];
        }
    }
}
