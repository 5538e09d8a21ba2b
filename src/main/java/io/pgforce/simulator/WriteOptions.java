package io.pgforce.simulator;

/**
 * The per-call options that change how records are saved.
 *
 * @param assignmentRule "default", an assignment rule Id, or null (no rule runs)
 */
public record WriteOptions(boolean allowFieldTruncation, String assignmentRule) {

    public static final WriteOptions DEFAULT = new WriteOptions(false, null);
}
