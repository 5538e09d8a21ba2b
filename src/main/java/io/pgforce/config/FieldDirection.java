package io.pgforce.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Which way a field of a read-write mapping is synced (field key {@code direction}). Heroku Connect
 * knows only the mapping's access; a field one side owns needs the other side never to overwrite it
 * with a stale copy.
 */
public enum FieldDirection {
    /** Both ways: the default, and every field of the original's export. */
    READ_WRITE,
    /** Salesforce to Postgres only (a formula, a field another system owns): never sent, its changes in Postgres not captured. */
    READ_ONLY,
    /** Postgres to Salesforce only: never queried, and a read never writes its column. */
    WRITE_ONLY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Postgres changes of the field are captured and sent to Salesforce. */
    public boolean sent() {
        return this != READ_ONLY;
    }

    /** A read writes Salesforce's value into the field's column. */
    public boolean read() {
        return this != WRITE_ONLY;
    }

    static Optional<FieldDirection> parse(String text) {
        for (FieldDirection d : values()) {
            if (d.label().equals(text)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
