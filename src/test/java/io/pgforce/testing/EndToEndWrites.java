package io.pgforce.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * An {@link EndToEnd} test that writes through the running application: each test gets a fresh
 * {@link WriteTestSupport} (an empty trigger log and tables, a reset org), and after it the org's
 * faults are cleared and the session closed. A subclass's own {@code @AfterEach} runs first, while
 * the session is still open.
 */
public abstract class EndToEndWrites {

    protected WriteTestSupport t;

    @BeforeEach
    protected void openWriteTestSupport() {
        t = new WriteTestSupport();
    }

    @AfterEach
    protected void closeWriteTestSupport() {
        t.sf.faults().clear();
        t.close();
    }
}
