package io.pgforce.testing;

import java.time.Duration;

/** What tests install schemas with: the default of pgforce.schema.lock-timeout. */
public final class TestSchema {

    public static final Duration LOCK_TIMEOUT = Duration.ofMillis(50);

    private TestSchema() {
    }
}
