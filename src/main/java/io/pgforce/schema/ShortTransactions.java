package io.pgforce.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Runs the installer's work in short transactions that never make the application wait long:
 * each one gives up on a lock after {@code lock_timeout} (so application sessions queued behind
 * its lock request wait no longer than that) and is tried again after a growing pause. Each one
 * also takes the advisory lock that serialises pgforce installers of the same schema.
 */
final class ShortTransactions {

    /** SQLSTATEs of a lock not granted in time: lock_not_available, deadlock_detected. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final long FIRST_PAUSE_MILLIS = 5;
    private static final long LONGEST_PAUSE_MILLIS = 1000;
    private static final Logger LOG = Logger.getLogger(ShortTransactions.class);

    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private final Connection connection;
    private final String schema;
    private final Duration lockTimeout;
    private final Duration giveUpAfter;

    /** The connection must not be in auto-commit mode. */
    ShortTransactions(Connection connection, String schema, Duration lockTimeout, Duration giveUpAfter) {
        this.connection = connection;
        this.schema = schema;
        this.lockTimeout = lockTimeout;
        this.giveUpAfter = giveUpAfter;
    }

    /** Runs the work in a transaction of its own, again and again while it cannot get its locks in time. */
    <T> T run(String what, Work<T> work) throws SQLException {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            try {
                return once(work);
            } catch (SQLException e) {
                SQLException conflict = lockConflict(e).orElseThrow(() -> e);
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Cannot install schema '" + schema + "': " + what + " did not get its locks within "
                            + giveUpAfter.toSeconds() + " s of retries (pgforce.schema.lock-timeout " + lockTimeout.toMillis()
                            + " ms each); last error: " + conflict.getMessage().lines().findFirst().orElse(""), e);
                }
                LOG.debugf("Schema '%s': %s waits for the application's locks (%s); trying again in about %d ms", schema, what, conflict.getSQLState(), pause);
                sleep(pause);
                pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
            }
        }
    }

    private <T> T once(Work<T> work) throws SQLException {
        try {
            begin();
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /**
     * lock_timeout bounds every lock wait, the advisory lock's too. The fixed search_path makes
     * Postgres render definitions the same way at every start (see {@link Requirement.Stamped}).
     */
    private void begin() throws SQLException {
        try (PreparedStatement settings = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true), set_config('search_path', 'pg_catalog', true)");
             PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            settings.setString(1, lockTimeout.toMillis() + "ms");
            settings.execute();
            lock.setString(1, "pgforce-schema:" + schema);
            lock.execute();
        }
    }

    /** The innermost lock error in the chain, if any: a batch reports its failed statement as the next exception. */
    private static Optional<SQLException> lockConflict(SQLException e) {
        SQLException found = null;
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (LOCK_NOT_AVAILABLE.equals(x.getSQLState()) || DEADLOCK_DETECTED.equals(x.getSQLState())) {
                found = x;
            }
        }
        return Optional.ofNullable(found);
    }

    /** A random part keeps two waiting installers, or an installer and a steady application, out of step. */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while installing the schema", e);
        }
    }
}
