package io.pgforce.config;

import java.util.Locale;
import java.util.Optional;

/**
 * What a TRUNCATE of a read-write mapping's table does in Salesforce (mapping key {@code truncate}).
 * The capture records every TRUNCATE in the trigger log either way.
 */
public enum TruncatePolicy {
    /** Nothing: the records stay in Salesforce (the original's behaviour, and the default). */
    IGNORE,
    /** Every record the table's rows had written (or whose insert is queued) is deleted, as a DELETE of each row would. */
    DELETE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<TruncatePolicy> parse(String text) {
        for (TruncatePolicy p : values()) {
            if (p.label().equals(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
