package io.pgforce.schema;

/**
 * Something a synced schema needs that the catalog does not hold as pgforce would install it.
 *
 * @param name     the object's name; a column's is {@code table.column}
 * @param outdated the object is there, but not as pgforce writes it (a function or trigger)
 */
public record SchemaGap(Kind kind, String name, boolean outdated) {

    /** What installing it does, as a dry run lists it: {@code add index _trigger_log_idx_state_id}, {@code replace trigger hc_account_status_trigger}. */
    public String describe() {
        String what = kind.name().toLowerCase(java.util.Locale.ROOT);
        return switch (kind) {
            case UNWANTED_TRIGGER -> "drop trigger " + name;
            case RETIRED_TRIGGER -> "drop trigger " + name + " (replaced by the statement triggers)";
            case RETIRED_INDEX -> "drop index " + name + " (replaced by indexes a captured row costs less)";
            case COLUMN -> (outdated ? "widen column " : "add column ") + name;
            default -> (outdated ? "replace " : "add ") + what + " " + name;
        };
    }

    public enum Kind {
        SCHEMA,
        TABLE,
        SEQUENCE,
        INDEX,
        COLUMN,
        FUNCTION,
        TRIGGER,
        /** a trigger that must not be there: a read-only mapping's status trigger */
        UNWANTED_TRIGGER,
        /** a trigger of an older layout that start-up replaces: version 2's row-level capture trigger */
        RETIRED_TRIGGER,
        /** an index of the trigger log pgforce created that a newer layout replaced: Heroku Connect's own three */
        RETIRED_INDEX
    }
}
