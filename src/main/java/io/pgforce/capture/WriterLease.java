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
 * only after the lease expires. Whoever takes the lease first puts PENDING rows left by a
 * crashed writer back to NEW: that is the start-up reclaim.
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
     * Takes or renews the lease. On taking it, reclaims PENDING rows. Returns whether this
     * instance is the writer; a database error counts as not holding it (the next cycle retries).
     */
    public boolean acquire() {
        try (Connection c = dataSource.getConnection()) {
            boolean wasHeld = held;
            held = upsertLease(c);
            if (held && !wasHeld) {
                int reclaimed = reclaimPending(c);
                LOG.infof("This instance (%s) is now the writer for schema '%s'%s", owner, schema,
                        reclaimed > 0 ? "; reclaimed " + reclaimed + " PENDING change(s) left by an earlier writer" : "");
            } else if (!held && wasHeld) {
                LOG.warnf("This instance (%s) lost the writer lease for schema '%s'", owner, schema);
            }
            return held;
        } catch (SQLException e) {
            LOG.warnf("Cannot reach the database to renew the writer lease: %s", e.getMessage());
            held = false;
            return false;
        }
    }

    /** Heartbeat: keeps a held lease alive through long cycles (Bulk jobs can take minutes). */
    public void renew() {
        if (held) {
            acquire();
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
