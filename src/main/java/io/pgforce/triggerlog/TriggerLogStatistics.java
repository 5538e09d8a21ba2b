package io.pgforce.triggerlog;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the trigger log says about the backlog and the work done, for operators: read-only
 * queries over the live log and the archive, answered from the database so that every replica
 * sees the same numbers and a restart loses none of them.
 */
@ApplicationScoped
@Unremovable
public class TriggerLogStatistics {

    /** One mapping table's rows: the live log by state, archived failures, and successes since midnight. */
    public record TableCounts(String table, Map<TriggerLogState, Long> live, long archivedFailed, long writtenToday) {

        /** Captured and not yet written (NEW or PENDING). */
        public long pending() {
            return live.getOrDefault(TriggerLogState.NEW, 0L) + live.getOrDefault(TriggerLogState.PENDING, 0L);
        }

        /** Write errors still on record, live or archived. */
        public long failed() {
            return live.getOrDefault(TriggerLogState.FAILED, 0L) + archivedFailed;
        }
    }

    /** Changes settled in one interval of an activity chart. */
    public record ActivityPoint(Instant at, long written, long failed) {
    }

    private final DataSource dataSource;
    private final String log;
    private final String archive;

    @Inject
    TriggerLogStatistics(@Named("operationsDataSource") DataSource dataSource, MappingSet mappings) {
        this(dataSource, mappings.connection().schema());
    }

    public TriggerLogStatistics(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.log = qualified(schema, "_trigger_log");
        this.archive = qualified(schema, "_trigger_log_archive");
    }

    /** How long the oldest change not yet written (NEW or PENDING) has waited; empty when none waits. */
    public Optional<Duration> oldestNewAge() throws SQLException {
        String oldest = "(SELECT created_at FROM " + log + " WHERE state = '%s' ORDER BY id LIMIT 1)";
        String sql = "SELECT extract(epoch FROM clock_timestamp() - least(" + oldest.formatted(TriggerLogState.NEW) + ", "
                + oldest.formatted(TriggerLogState.PENDING) + ")) * 1000";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            double millis = rs.getDouble(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(Math.max(0, (long) millis)));
        }
    }

    /** Per mapping table that has rows: the live log by state, archived failures, successes since midnight. */
    public Map<String, TableCounts> perTable() throws SQLException {
        String today = "processed_at >= date_trunc('day', now())";
        String sql = "SELECT table_name, state, count(*) AS n, count(*) FILTER (WHERE " + today + ") AS today FROM " + log + " GROUP BY 1, 2 "
                + "UNION ALL SELECT table_name, 'ARCHIVED_' || state, count(*), count(*) FILTER (WHERE " + today + ") FROM " + archive
                + " WHERE state = '" + TriggerLogState.FAILED + "' OR " + today + " GROUP BY 1, 2";
        Map<String, Map<TriggerLogState, Long>> live = new LinkedHashMap<>();
        Map<String, long[]> archivedFailedAndToday = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String table = rs.getString(1);
                String state = rs.getString(2);
                long[] extra = archivedFailedAndToday.computeIfAbsent(table, t -> new long[2]);
                live.computeIfAbsent(table, t -> new EnumMap<>(TriggerLogState.class));
                boolean archived = state.startsWith("ARCHIVED_");
                TriggerLogState s = TriggerLogState.valueOf(archived ? state.substring("ARCHIVED_".length()) : state);
                if (s == TriggerLogState.SUCCESS) {
                    extra[1] += rs.getLong(4);
                }
                if (archived && s == TriggerLogState.FAILED) {
                    extra[0] += rs.getLong(3);
                } else if (!archived) {
                    live.get(table).put(s, rs.getLong(3));
                }
            }
        }
        Map<String, TableCounts> counts = new LinkedHashMap<>();
        live.forEach((table, states) -> counts.put(table,
                new TableCounts(table, states, archivedFailedAndToday.get(table)[0], archivedFailedAndToday.get(table)[1])));
        return counts;
    }

    /** Changes written and failed per interval over the last {@code window}, oldest first, empty intervals included. */
    public List<ActivityPoint> activity(Duration window, Duration interval) throws SQLException {
        long step = Math.max(1, interval.toSeconds());
        String bucket = "floor(extract(epoch FROM processed_at) / ?)::bigint";
        String settled = "SELECT processed_at, state FROM %s WHERE processed_at >= now() - make_interval(secs => ?) AND state IN ('"
                + TriggerLogState.SUCCESS + "', '" + TriggerLogState.FAILED + "')";
        String sql = "SELECT " + bucket + " AS b, count(*) FILTER (WHERE state = '" + TriggerLogState.SUCCESS + "'), "
                + "count(*) FILTER (WHERE state = '" + TriggerLogState.FAILED + "'), floor(extract(epoch FROM now()) / ?)::bigint "
                + "FROM (" + settled.formatted(log) + " UNION ALL " + settled.formatted(archive) + ") AS s GROUP BY 1";
        Map<Long, long[]> byBucket = new LinkedHashMap<>();
        long nowBucket;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, step);
            ps.setLong(2, step);
            ps.setLong(3, window.toSeconds());
            ps.setLong(4, window.toSeconds());
            try (ResultSet rs = ps.executeQuery()) {
                nowBucket = -1;
                while (rs.next()) {
                    byBucket.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
                    nowBucket = rs.getLong(4);
                }
            }
        }
        if (nowBucket < 0) {
            nowBucket = Instant.now().getEpochSecond() / step;
        }
        List<ActivityPoint> points = new ArrayList<>();
        long buckets = Math.max(1, window.toSeconds() / step);
        for (long b = nowBucket - buckets + 1; b <= nowBucket; b++) {
            long[] n = byBucket.getOrDefault(b, new long[2]);
            points.add(new ActivityPoint(Instant.ofEpochSecond(b * step), n[0], n[1]));
        }
        return points;
    }
}
