package io.pgforce.capture;

import static io.pgforce.config.Identifiers.qualified;

import io.pgforce.config.MappingSet;
import io.pgforce.triggerlog.InstanceId;
import io.pgforce.triggerlog.TriggerLog;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One pgforce writes a schema at a time. Trigger-log order only holds with a single writer, and
 * a second instance must not reclaim rows the first is still sending. The writer holds a lease
 * row in {@code _hc_writer}, renewed every cycle and, during long cycles, whenever a third of its
 * lifetime has passed; another instance takes over only after it expires, and every trigger-log
 * transition is fenced on it (see {@link TriggerLog}), so a writer that lost it changes nothing.
 * Taking the lease for a cycle puts PENDING rows back to NEW: cycles never overlap, so those were
 * left by a writer that crashed or a cycle that failed. A graceful stop gives the lease up, so a
 * successor (a rolling deploy's new pod) writes at once.
 */
@ApplicationScoped
@Unremovable
@Named("writerLease")
public class WriterLease {

    private static final Logger LOG = Logger.getLogger(WriterLease.class);

    private final DataSource dataSource;
    private final TriggerLog triggerLog;
    private final String schema;
    private final String owner;
    private final long ttlSeconds;
    private final Clock clock;
    private volatile boolean held;
    private volatile long renewedAt;

    @Inject
    WriterLease(@Named("pgforceDataSource") DataSource dataSource, TriggerLog triggerLog, MappingSet mappings, InstanceId instance,
                @ConfigProperty(name = "pgforce.writer.lease-seconds") long ttlSeconds) {
        this(dataSource, triggerLog, mappings.connection().schema(), instance.value(), ttlSeconds, Clock.systemUTC());
    }

    public WriterLease(DataSource dataSource, TriggerLog triggerLog, String schema, String owner, long ttlSeconds, Clock clock) {
        this.dataSource = dataSource;
        this.triggerLog = triggerLog;
        this.schema = schema;
        this.owner = owner;
        this.ttlSeconds = ttlSeconds;
        this.clock = clock;
    }

    /**
     * Takes or renews the lease for a cycle and reclaims PENDING rows. Returns whether this
     * instance is the writer; throws while the database cannot be reached, so that the cycle
     * fails and is retried (see CycleRunner).
     */
    public boolean acquire() throws SQLException {
        if (!take()) {
            return false;
        }
        int reclaimed = triggerLog.reclaim();
        if (reclaimed > 0) {
            LOG.infof("Reclaimed %d PENDING change(s) left by an earlier writer or a failed cycle", reclaimed);
        }
        return true;
    }

    /** Heartbeat, checked often: renews a held lease once a third of its lifetime has passed. */
    public void renew() {
        if (held && clock.millis() - renewedAt >= ttlSeconds * 1000 / 3) {
            try {
                take();
            } catch (SQLException e) {
                LOG.debugf("Cannot reach the database to renew the writer lease: %s", e.getMessage());
            }
        }
    }

    private boolean take() throws SQLException {
        boolean wasHeld = held;
        try (Connection c = dataSource.getConnection()) {
            held = upsertLease(c);
        } catch (SQLException e) {
            held = false; // unknown: the fenced statements will not act on it until it is taken again
            throw e;
        } finally {
            if (held) {
                renewedAt = clock.millis();
            }
            if (held && !wasHeld) {
                LOG.infof("This instance (%s) is now the writer for schema '%s'", owner, schema);
            } else if (!held && wasHeld) {
                LOG.warnf("This instance (%s) lost the writer lease for schema '%s'", owner, schema);
            }
        }
        return held;
    }

    public boolean isHeld() {
        return held;
    }

    void releaseOnStop(@Observes CamelEvent.CamelContextStoppedEvent event) {
        release();
    }

    /** Gives the lease up, so that a successor need not wait for it to expire. */
    public void release() {
        if (!held) {
            return;
        }
        held = false;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM " + qualified(schema, "_hc_writer") + " WHERE id = 1 AND owner = ?")) {
            ps.setString(1, owner);
            if (ps.executeUpdate() > 0) {
                LOG.infof("This instance (%s) released the writer lease for schema '%s'", owner, schema);
            }
        } catch (SQLException e) {
            LOG.warnf("Could not release the writer lease (a successor waits for it to expire): %s", e.getMessage());
        }
    }

    private boolean upsertLease(Connection c) throws SQLException {
        String table = qualified(schema, "_hc_writer");
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + table + " AS w (id, owner, expires_at) VALUES (1, ?, now() + make_interval(secs => ?)) "
                        + "ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at, "
                        + "acquired_at = CASE WHEN w.owner = EXCLUDED.owner THEN w.acquired_at ELSE now() END "
                        + "WHERE w.owner = EXCLUDED.owner OR w.expires_at < now() RETURNING owner")) {
            ps.setString(1, owner);
            ps.setLong(2, ttlSeconds);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
