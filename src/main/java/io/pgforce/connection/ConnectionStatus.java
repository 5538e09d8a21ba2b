package io.pgforce.connection;

import io.pgforce.config.InvalidConfigurationException;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The one owner of the connection's state. Every change is logged once; a problem state (the
 * database or Salesforce unavailable, credentials refused, an unexpected failure) is logged again
 * at most once a minute while it lasts, however often the writer retries.
 */
@ApplicationScoped
@Unremovable
@Named("connectionStatus")
public class ConnectionStatus {

    private static final Logger LOG = Logger.getLogger("io.pgforce.connection");
    static final long REMIND_EVERY_MILLIS = 60_000;
    private static final Set<ConnectionState> ROUTINE = EnumSet.of(ConnectionState.IDLE, ConnectionState.POLLING_DB_CHANGES, ConnectionState.WRITING);

    private final Clock clock;
    private ConnectionState state = ConnectionState.IDLE;
    private String reason;
    private long loggedAt;
    private Instant since;

    ConnectionStatus() {
        this(Clock.systemUTC());
    }

    ConnectionStatus(Clock clock) {
        this.clock = clock;
        this.since = clock.instant();
    }

    public synchronized ConnectionState state() {
        return state;
    }

    public synchronized String reason() {
        return reason;
    }

    /** When the connection entered its current state. */
    public synchronized Instant since() {
        return since;
    }

    public void enter(ConnectionState next, String why) {
        enter(next, why, null);
    }

    /** A step of a cycle's routine work; a problem state stands until a cycle gets through. */
    public synchronized void working(ConnectionState next, String why) {
        if (!state.problem()) {
            enter(next, why, null);
        }
    }

    /** {@code detail}, if given, is logged with the change (not with the reminders). */
    private synchronized void enter(ConnectionState next, String why, Throwable detail) {
        long now = clock.millis();
        ConnectionState previous = state;
        state = next;
        reason = why;
        if (next != previous) {
            loggedAt = now;
            since = clock.instant();
            if (next.problem()) {
                LOG.warnf(detail, "Connection state %s: %s", next, why);
            } else if (ROUTINE.contains(next) && ROUTINE.contains(previous)) {
                LOG.debugf("Connection state %s", next); // every cycle passes through these; its own line says what it did
            } else {
                LOG.infof("Connection state %s (was %s): %s", next, previous, why);
            }
        } else if (next.problem() && now - loggedAt >= REMIND_EVERY_MILLIS) {
            loggedAt = now;
            LOG.warnf("Connection state still %s: %s", next, why);
        }
    }

    /** The state a failure puts the connection in: a mistake to fix is SYSTEM_ERROR, whatever it was found by (a statement the database refused). */
    public static ConnectionState stateFor(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectionProblem problem) {
                return problem.state();
            }
            if (t instanceof InvalidConfigurationException) {
                return ConnectionState.SYSTEM_ERROR;
            }
            if (t instanceof SQLException) {
                return ConnectionState.DB_UNAVAILABLE;
            }
        }
        return ConnectionState.SYSTEM_ERROR;
    }

    /**
     * Records what a failure means for the connection. An unexpected failure is logged with its
     * stack trace, once; every other failure, configuration mistakes included, says it all in its message.
     */
    public void failed(Throwable failure) {
        ConnectionState next = stateFor(failure);
        boolean unexpected = next == ConnectionState.SYSTEM_ERROR && InvalidConfigurationException.in(failure).isEmpty();
        enter(next, failure.getMessage(), unexpected ? failure : null);
    }
}
