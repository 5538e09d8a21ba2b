package io.pgforce.plan;

/** The connection-wide write algorithm, as Heroku Connect names it. */
public enum WriteAlgorithm {
    /** Every change is its own operation, in trigger-log order (the default). */
    ORDERED,
    /** Changes are folded per record and reordered to fill messages. */
    MERGED
}
