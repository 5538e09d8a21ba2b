package io.pgforce.cycle;

import static io.pgforce.config.Identifiers.qualified;

import io.pgforce.config.MappingSet;
import io.pgforce.triggerlog.Claims;
import io.pgforce.triggerlog.InstanceId;
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
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.spi.CamelEvent;
import org.jboss.logging.Logger;

/**
 * One pgforce writes a schema at a time. Trigger-log order only holds with a single writer, and
 * a second instance must not reclaim rows the first is still sending. The writer holds a lease
 * row in {@code _hc_writer}; every trigger-log transition is fenced on it (see {@link Claims}),
 * so a writer that lost it changes nothing. Camel learns who leads through
 * {@link PostgresLeaseClusterService}, whose beat ({@link #contend()}) renews a held lease once a
 * third of its lifetime has passed and, on a standby, tries to take it as soon as the holder's
 * ends. Every cycle renews it too and puts PENDING rows back to NEW ({@link #acquire()}): cycles
 * never overlap, so those were left by a writer that crashed or a cycle that failed. A graceful
 * stop gives the lease up, so a successor (a rolling deploy's new pod) writes at once.
 */
@ApplicationScoped
@Unremovable
@Named("writerLease")
public class WriterLease {

    private static final Logger LOG = Logger.getLogger(WriterLease.class);
    /** A standby's earliest next try: the holder's lease has just ended, or it was released meanwhile. */
    private static final long MIN_RETRY_MILLIS = 100;

    private final DataSource dataSource;
    private final Claims claims;
    private final String schema;
    private final String owner;
    private final long ttlSeconds;
    private final Clock clock;
    private volatile boolean held;
    private volatile long renewedAt;
    /** The holder seen by the last attempt, and when its lease ends (epoch ms, this clock). */
    private volatile String holder;
    private volatile long holderExpiresAt;

    @Inject
    WriterLease(@Named("pgforceDataSource") DataSource dataSource, Claims claims, MappingSet mappings, InstanceId instance,
                LeaseSettings settings) {
        this(dataSource, claims, mappings.connection().schema(), instance.value(), settings.leaseLifetime().toSeconds(), Clock.systemUTC());
    }

    public WriterLease(DataSource dataSource, Claims claims, String schema, String owner, long ttlSeconds, Clock clock) {
        this.dataSource = dataSource;
        this.claims = claims;
        this.schema = schema;
        this.owner = owner;
        this.ttlSeconds = ttlSeconds;
        this.clock = clock;
    }

    /**
     * Takes or renews the lease for a cycle and reclaims PENDING rows. Returns whether this
     * instance is the writer; a database error fails the cycle (it is retried with back-off).
     */
    public boolean acquire() throws SQLException {
        if (!take()) {
            return false;
        }
        int reclaimed = claims.reclaim();
        if (reclaimed > 0) {
            LOG.infof("Reclaimed %d PENDING change(s) left by an earlier writer or a failed cycle", reclaimed);
        }
        return true;
    }

    /**
     * The leadership beat: renews a held lease once a third of its lifetime has passed, otherwise
     * tries to take it. Returns whether this instance holds it; a database error is thrown (and
     * the lease counts as lost: a writer that cannot reach the database cannot renew it either).
     */
    public boolean contend() throws SQLException {
        if (held && clock.millis() - renewedAt < ttlSeconds * 1000 / 3) {
            return true;
        }
        return take();
    }

    /**
     * When the next beat is due: a third of the lifetime after the last renewal; on a standby,
     * just after the holder's lease ends, and at least every third of the lifetime (a holder that
     * stops gracefully frees it earlier).
     */
    public long millisUntilNextBeat() {
        long third = ttlSeconds * 1000 / 3;
        long now = clock.millis();
        if (held) {
            return Math.max(0, renewedAt + third - now);
        }
        return Math.max(MIN_RETRY_MILLIS, Math.min(third, holderExpiresAt - now + MIN_RETRY_MILLIS));
    }

    /** The instance the last beat found holding the lease (this one's id while it does), if any. */
    public Optional<String> holder() {
        return Optional.ofNullable(holder);
    }

    public String owner() {
        return owner;
    }

    private boolean take() throws SQLException {
        boolean wasHeld = held;
        try (Connection c = dataSource.getConnection()) {
            held = upsertLease(c);
            if (held) {
                holder = owner;
            } else {
                readHolder(c);
            }
        } catch (SQLException e) {
            held = false;
            holder = null;
            throw e;
        }
        if (held) {
            renewedAt = clock.millis();
            if (!wasHeld) {
                LOG.infof("This instance (%s) is now the writer for schema '%s'", owner, schema);
            }
        } else if (wasHeld) {
            LOG.warnf("This instance (%s) lost the writer lease for schema '%s'", owner, schema);
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
        holder = null;
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

    private void readHolder(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT owner, (extract(epoch FROM expires_at - now()) * 1000)::bigint FROM "
                + qualified(schema, "_hc_writer") + " WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            boolean found = rs.next();
            holder = found ? rs.getString(1) : null;
            holderExpiresAt = clock.millis() + (found ? rs.getLong(2) : 0);
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
