package io.pgforce.triggerlog;

import java.time.Duration;
import javax.sql.DataSource;

/** Claims on a test database's log, for tests outside this package (the writer lease's): Ordered Writes, commit-consistent. */
public final class TestClaims {

    private TestClaims() {
    }

    public static Claims of(DataSource dataSource, String schema, String owner) {
        return new Claims(new FencedLog(dataSource, schema, owner), true, Duration.ofSeconds(30));
    }
}
