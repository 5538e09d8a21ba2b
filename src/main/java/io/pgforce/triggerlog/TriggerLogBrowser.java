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
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Read-only pages of the trigger log for operators (the admin API): the live log or the archive
 * with filters, and the write errors of both. Newest first; it never changes a row (operators'
 * transitions are {@link OperatorActions#retry} and {@link OperatorActions#ignore}).
 */
@ApplicationScoped
@Unremovable
public class TriggerLogBrowser {

    /** The actions the capture triggers record. */
    public enum Action { INSERT, UPDATE, DELETE, TRUNCATE }

    /** What to show; a null field does not filter. {@code archive} picks the archive instead of the live log. */
    public record Filter(String table, TriggerLogState state, Action action, Long recordId, boolean archive) {
    }

    public record Row(long id, String table, String action, String state, long recordId, String sfid, Instant createdAt,
                      Instant processedAt, String message, boolean archived) {
    }

    /** One page of rows and how many match in all. */
    public record Page(List<Row> rows, long total) {
    }

    private static final String COLUMNS = "id, table_name, action, state, record_id, sfid, created_at, processed_at, sf_message";

    private final DataSource dataSource;
    private final String log;
    private final String archive;

    @Inject
    TriggerLogBrowser(@Named("operationsDataSource") DataSource dataSource, MappingSet mappings) {
        this.dataSource = dataSource;
        this.log = qualified(mappings.connection().schema(), "_trigger_log");
        this.archive = qualified(mappings.connection().schema(), "_trigger_log_archive");
    }

    /** Rows of the live log (or the archive) that match, newest first. */
    public Page browse(Filter filter, int limit, long offset) throws SQLException {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (filter.table() != null) {
            where.append(" AND table_name = ?");
            args.add(filter.table());
        }
        if (filter.state() != null) {
            where.append(" AND state = ?");
            args.add(filter.state().name());
        }
        if (filter.action() != null) {
            where.append(" AND action = ?");
            args.add(filter.action().name());
        }
        if (filter.recordId() != null) {
            where.append(" AND record_id = ?");
            args.add(filter.recordId());
        }
        String from = (filter.archive() ? archive : log) + where;
        String archived = filter.archive() ? "true" : "false";
        return page("SELECT " + COLUMNS + ", " + archived + " FROM " + from, "SELECT count(*) FROM " + from, args, limit, offset);
    }

    /** FAILED rows of the live log and the archive, newest first, optionally of one table. */
    public Page errors(String table, int limit, long offset) throws SQLException {
        String where = " WHERE state = '" + TriggerLogState.FAILED + "'" + (table == null ? "" : " AND table_name = ?");
        List<Object> args = new ArrayList<>();
        if (table != null) {
            args.add(table);
            args.add(table);
        }
        String union = "SELECT " + COLUMNS + ", false AS archived FROM " + log + where + " UNION ALL SELECT " + COLUMNS + ", true FROM " + archive + where;
        return page("SELECT * FROM (" + union + ") AS failed", "SELECT count(*) FROM (" + union + ") AS failed", args, limit, offset);
    }

    private Page page(String select, String count, List<Object> args, int limit, long offset) throws SQLException {
        List<Row> rows = new ArrayList<>();
        long total;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(select + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
                int i = bind(ps, args);
                ps.setInt(i++, limit);
                ps.setLong(i, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6),
                                instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), rs.getString(9), rs.getBoolean(10)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(count)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
        }
        return new Page(rows, total);
    }

    private static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        int i = 1;
        for (Object arg : args) {
            ps.setObject(i++, arg);
        }
        return i;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
