package io.pgforce.config;

import java.time.Duration;

/**
 * Exponential back-off: the first delay, doubling with each further attempt, never above the
 * maximum. One value for every place that waits longer after each failure (a failed cycle, a
 * waiting write-back, a record Salesforce could not lock, a Bulk job's status polls, the lease's
 * beat), so each only says which numbers it uses.
 *
 * @param initial the delay after the first failure (attempt 0), at least a millisecond
 * @param max     the longest delay (below {@code initial}, every delay is {@code max}, as the hand-written ones were)
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.toMillis() < 1 || max.toMillis() < 1) {
            throw new IllegalArgumentException("A back-off's delays are at least 1 ms, not " + initial + " and " + max);
        }
    }

    /** The delay after the given number of failures in a row less one (0: the first delay); any attempt number is safe. */
    public Duration delay(int attempt) {
        return Duration.ofMillis(delayMillis(attempt));
    }

    /** {@link #delay(int)} in milliseconds, for schedulers and sleeps that take them. */
    public long delayMillis(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt " + attempt);
        }
        long first = initial.toMillis();
        long most = max.toMillis();
        // shifting by as many places as the first delay has leading zeros, or more, would overflow the long
        if (attempt >= Long.numberOfLeadingZeros(first)) {
            return most;
        }
        return Math.min(most, first << attempt);
    }
}
