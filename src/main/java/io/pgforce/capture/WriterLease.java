package io.pgforce.capture;

import static io.pgforce.config.Identifiers.qualified;

import io.pgforce.config.MappingSet;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One pgforce writes a schema at a time. Trigger-log order only holds with a single writer, and
 * a second instance must not reclaim rows the first is still sending. The writer holds a lease
 * row in {@code _hc_writer}, renewed every cycle and by a heartbeat; another instance takes over
 * only after the lease expires. Cycles never overlap and only the holder runs them, so a PENDING
 * row at the start of a cycle was left by a writer that crashed (or a cycle that failed): taking
 * the lease for a cycle puts such rows back to NEW. That is also the start-up reclaim.
 */
@ApplicationScoped
@Unremovable
@Named("writerLease")
public class WriterLease {

    private static final Logger LOG = Logger.getLogger(WriterLease.class);

    private final DataSource dataSource;
    private final String schema;
    private final String owner;
    private final long ttlSeconds;
    private volatile boolean held;

    @Inject
    WriterLease(@Named("pgforceDataSource") DataSource dataSource, MappingSet mappings,
                @ConfigProperty(name = "pgforce.instance-id") String owner,
                @ConfigProperty(name = "pgforce.writer.lease-seconds") long ttlSeconds) {
        this(dataSource, mappings.connection().schema(), owner, ttlSeconds);
    }

    public WriterLease(DataSource dataSource, String schema, String owner, long ttlSeconds) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.owner = owner;
        this.ttlSeconds = ttlSeconds;
    }

    /**
     * Takes or renews the lease for a cycle and reclaims PENDING rows. Returns whether this
     * instance is the writer; a database error counts as not holding it (the next cycle retries).
     */
    public boolean acquire() {
        return take(true);
    }

    /** Heartbeat: keeps a held lease alive through long cycles (Bulk jobs can take minutes). */
    public void renew() {
        if (held) {
            take(false);
        }
    }

    private boolean take(boolean forCycle) {
        try (Connection c = dataSource.getConnection()) {
            boolean wasHeld = held;
            held = upsertLease(c);
            if (held && !wasHeld) {
                LOG.infof("This instance (%s) is now the writer for schema '%s'", owner, schema);
            } else if (!held && wasHeld) {
                LOG.warnf("This instance (%s) lost the writer lease for schema '%s'", owner, schema);
            }
            if (held && forCycle) {
                int reclaimed = reclaimPending(c);
                if (reclaimed > 0) {
                    LOG.infof("Reclaimed %d PENDING change(s) left by an earlier writer or a failed cycle", reclaimed);
                }
            }
            return held;
        } catch (SQLException e) {
            LOG.warnf("Cannot reach the database to renew the writer lease: %s", e.getMessage());
            held = false;
            return false;
        }
    }

    public boolean isHeld() {
        return held;
    }

    public String owner() {
        return owner;
    }

    /** Gives the lease up on shutdown so that a successor need not wait for it to expire. */
    public void release() {
        if (!held) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM " + qualified(schema, "_hc_writer") + " WHERE id = 1 AND owner = ?")) {
            ps.setString(1, owner);
            ps.executeUpdate();
            held = false;
        } catch (SQLException e) {
            LOG.debugf("Could not release the writer lease: %s", e.getMessage());
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

    private int reclaimPending(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + qualified(schema, "_trigger_log")
                + " SET state = 'NEW', updated_at = now() WHERE state = 'PENDING'")) {
            return ps.executeUpdate();
        }
    }
}
