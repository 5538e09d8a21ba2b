package io.pgforce.plan;

/** The order Ordered Writes sends a cycle's changes in (connection setting {@code ordering}). */
public enum Ordering {
    /** Strict trigger-log order, as the original: a new call wherever the object or the action changes (the default). */
    LOG,
    /**
     * Each record's changes in their order, a child after the parent it names, and a delete after
     * what went before it; unrelated records' changes share calls.
     */
    RECORD
}
