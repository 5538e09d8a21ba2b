package io.pgforce.read;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * An end-to-end read test: each test starts with reading paused, its tables and org emptied
 * ({@link ReadTestSupport}); it resumes once its org is set up. After it the org's faults are
 * cleared and reading goes on.
 */
public abstract class EndToEndReads {

    /** How long a read the test waits for may take. */
    protected static final Duration WITHIN = Duration.ofSeconds(60);

    protected ReadTestSupport r;

    @BeforeEach
    protected void paused() throws Exception {
        r = new ReadTestSupport();
    }

    @AfterEach
    protected void closeReadTestSupport() {
        r.close();
    }
}
