package io.pgforce.config;

import java.util.Locale;
import java.util.Optional;

/** Whether Postgres changes to a mapping are written to Salesforce. */
public enum Access {
    READ_WRITE,
    READ_ONLY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Access> parse(String text) {
        for (Access a : values()) {
            if (a.label().equals(text)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
