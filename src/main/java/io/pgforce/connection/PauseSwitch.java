package io.pgforce.connection;

import io.pgforce.config.NotifySettings;
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
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * An operator's pause of writing, as the original's {@code connect:pause}: changes are still
 * captured, nothing is sent until resume. Kept in the database ({@code _hc_connection}), not in
 * memory: whichever replica takes the call, the one that writes sees it at its next cycle, and
 * a restart keeps it. Resuming notifies the trigger-log channel, so that the writer starts at
 * once wherever it runs.
 */
@ApplicationScoped
@Unremovable
@Named("pauseSwitch")
public class PauseSwitch {

    /** Who paused writing and when. */
    public record Pause(Instant since, String by) {
    }

    private final DataSource dataSource;
    private final String table;
    private final String channel;

    @Inject
    PauseSwitch(@Named("pgforceDataSource") DataSource dataSource, MappingSet mappings,
                NotifySettings notify) {
        this.dataSource = dataSource;
        this.table = qualified(mappings.connection().schema(), "_hc_connection");
        this.channel = notify.channel();
    }

    /** The pause in force, if any. Before the schema is installed nothing can be paused. */
    public Optional<Pause> current() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT changed_at, changed_by FROM " + table + " WHERE id = 1 AND paused");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new Pause(rs.getTimestamp(1).toInstant(), rs.getString(2))) : Optional.empty();
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined_table: the installer has not run yet
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Pauses writing; a pause already in force keeps its time and author. */
    public void pause(String by) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, paused, changed_at, changed_by) VALUES (1, true, now(), ?) "
                     + "ON CONFLICT (id) DO UPDATE SET paused = true, changed_at = now(), changed_by = EXCLUDED.changed_by WHERE NOT " + table + ".paused")) {
            ps.setString(1, by);
            ps.executeUpdate();
        }
    }

    /** Resumes writing and wakes the writer. */
    public void resume(String by) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET paused = false, changed_at = now(), changed_by = ? WHERE id = 1 AND paused");
                 PreparedStatement wake = c.prepareStatement("SELECT pg_notify(?, 'resume')")) {
                ps.setString(1, by);
                ps.executeUpdate();
                wake.setString(1, channel);
                wake.execute();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
