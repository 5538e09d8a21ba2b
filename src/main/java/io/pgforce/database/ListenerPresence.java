package io.pgforce.database;

import io.pgforce.config.NotifySettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
 * Whether the notification listener is connected now. camel-pgevent reconnects silently, so the
 * server is asked: a session of this database whose last statement was the LISTEN (the listener
 * runs nothing else) is the listener.
 */
@ApplicationScoped
public class ListenerPresence {

    private static final String LISTENING = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND pid <> pg_backend_pid() AND lower(query) LIKE 'listen %' AND position(lower(?) IN lower(query)) > 0";

    private final DataSource dataSource;
    private final String channel;
    private volatile Instant lastConnected;

    @Inject
    ListenerPresence(@Named("operationsDataSource") DataSource dataSource, NotifySettings notify) {
        this.dataSource = dataSource;
        this.channel = notify.channel();
    }

    void onConnected(@Observes ListenerConnected event) {
        lastConnected = Instant.now();
    }

    public String channel() {
        return channel;
    }

    /** When the listener last started listening on a connection; empty if it never has. */
    public Optional<Instant> lastConnected() {
        return Optional.ofNullable(lastConnected);
    }

    public boolean listening() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LISTENING)) {
            ps.setString(1, channel);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }
}
