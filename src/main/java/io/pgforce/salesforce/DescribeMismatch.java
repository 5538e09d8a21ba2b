package io.pgforce.salesforce;

/**
 * One way a read_write mapping does not fit the org's describe. Start-up stops at the first one;
 * diagnose lists them all.
 *
 * @param field the mapping's field (a relationship's column) the mismatch is about
 */
public record DescribeMismatch(Kind kind, String mapping, String field, String problem) {

    public enum Kind {
        UNKNOWN_FIELD,
        READ_ONLY_FIELD,
        UNIQUE_IDENTIFIER,
        RELATIONSHIP
    }
}
