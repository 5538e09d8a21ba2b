package io.pgforce.triggerlog;

import static io.pgforce.config.Identifiers.qualified;

import io.pgforce.config.MappingSet;
import io.pgforce.config.PgType;
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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
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
                boolean archived = state.startsWith("ARCHIVED_");
                Optional<TriggerLogState> known = known(archived ? state.substring("ARCHIVED_".length()) : state);
                if (known.isEmpty()) {
                    continue; // see unknownStates
                }
                TriggerLogState s = known.get();
                long[] extra = archivedFailedAndToday.computeIfAbsent(table, t -> new long[2]);
                live.computeIfAbsent(table, t -> new EnumMap<>(TriggerLogState.class));
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

    private static Optional<TriggerLogState> known(String state) {
        return Arrays.stream(TriggerLogState.values()).filter(s -> s.name().equals(state)).findFirst();
    }

    /**
     * Live rows in a state pgforce does not know (a hand edit, another tool's), by state: no
     * transition claims, archives or changes them, so they stay until an operator decides.
     */
    public Map<String, Long> unknownStates() throws SQLException {
        String known = Arrays.stream(TriggerLogState.values()).map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
        Map<String, Long> unknown = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT coalesce(state, 'NULL'), count(*) FROM " + log
                + " WHERE state IS NULL OR state NOT IN (" + known + ") GROUP BY 1 ORDER BY 1"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                unknown.put(rs.getString(1), rs.getLong(2));
            }
        }
        return unknown;
    }

    /** Waiting changes pgforce cannot read, the first few of them by id, and how many were read. */
    public record Unreadable(List<String> first, long found, long read) {
    }

    /**
     * Reads the values of the first {@code limit} waiting changes as a cycle would (see LogValues):
     * at a take-over, the original's backlog, whose rows nobody has read yet.
     */
    public Unreadable unreadableWaiting(MappingSet mappings, int limit) throws SQLException {
        Map<String, Map<String, PgType>> types = new HashMap<>();
        mappings.mappings().forEach(m -> types.put(m.table(), m.capturedTypes()));
        List<String> first = new ArrayList<>();
        long found = 0;
        long read = 0;
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // a cursor: the rows are not all held at once
            try (PreparedStatement ps = c.prepareStatement("SELECT id, table_name, action, \"values\"::text FROM " + log
                    + " WHERE state = '" + TriggerLogState.NEW + "' ORDER BY id LIMIT ?")) {
                ps.setFetchSize(1000);
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        try {
                            LogValues.read(rs.getString(4), types.getOrDefault(rs.getString(2), Map.of()));
                        } catch (LogValues.Unreadable e) {
                            if (found++ < 5) {
                                first.add("row " + rs.getLong(1) + " (" + rs.getString(2) + " " + rs.getString(3) + "): " + e.getMessage());
                            }
                        }
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        }
        return new Unreadable(first, found, read);
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
