package io.pgforce.read;

import io.pgforce.config.MappingSet;
import io.pgforce.config.SqlTemplates;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Each mapping's read state for operators, from the database (on the operations pool, not the
 * writer's), so that every replica shows the same and a restart loses nothing.
 */
@ApplicationScoped
@Unremovable
public class ReadStatistics {

    private final DataSource dataSource;
    private final String sql;
    private final ChangeStreams streams;

    @Inject
    ReadStatistics(@Named("operationsDataSource") DataSource dataSource, MappingSet mappings, ChangeStreams streams) {
        this.dataSource = dataSource;
        this.streams = streams;
        this.sql = ReadStates.statement("states", mappings.connection().schema());
    }

    /** By mapping table; a mapping not read yet is not there. */
    public Map<String, ReadState> perTable() throws SQLException {
        Map<String, ReadState> states = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                double lag = rs.getDouble("lag_seconds");
                Double lagSeconds = rs.wasNull() ? null : Math.max(0, lag);
                states.put(rs.getString("table_name"), new ReadState(ReadPhase.valueOf(rs.getString("phase")), instant(rs, "watermark"), lagSeconds,
                        instant(rs, "loaded_at"), instant(rs, "last_poll_started"), instant(rs, "last_poll_ended"), rs.getString("last_error"),
                        rs.getLong("records_applied"), rs.getLong("records_failed"), rs.getLong("api_calls"), rs.getLong("last_poll_api_calls"),
                        rs.getLong("load_api_calls"), rs.getBoolean("reload_requested"),
                        streams.subscribed(rs.getString("table_name"))));
            }
        }
        return states;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
