package io.pgforce.read;

import static io.pgforce.config.Identifiers.literal;
import static io.pgforce.config.Identifiers.qualified;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.config.SqlTemplates;
import io.pgforce.route.PgforceConstants;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.ExchangeProperty;

/**
 * Each mapping's row in {@code _pgforce_read_state} (schema/read-state.sql): where its read
 * stands, and the watermark every read starts from. The watermark moves only with a page applied,
 * in the page's transaction ({@link #pageApplied}); everything else here records what a read did.
 */
@ApplicationScoped
@Unremovable
@Named("readStates")
public class ReadStates {

    private static final SqlTemplates SQL = SqlTemplates.load("schema/read-state.sql");

    private final DataSource dataSource;
    private final String schema;
    private final Duration overlap;

    @Inject
    ReadStates(@Named("pgforceDataSource") DataSource dataSource, MappingSet mappings, ReadSettings settings) {
        this(dataSource, mappings.connection().schema(), settings.overlap());
    }

    ReadStates(DataSource dataSource, String schema, Duration overlap) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.overlap = overlap;
    }

    /** A statement of schema/read-state.sql that names no mapping table. */
    static String statement(String name, String schema) {
        return SQL.fill(name, values(schema));
    }

    /** A statement of schema/read-state.sql about one mapping's row. */
    static String statement(String name, String schema, Mapping m) {
        Map<String, String> v = values(schema);
        v.putAll(tableValues(schema, m));
        return SQL.fill(name, v);
    }

    /** The state table, and each phase as a literal: the names live in ReadPhase only. */
    private static Map<String, String> values(String schema) {
        Map<String, String> all = new HashMap<>(Map.of("state", qualified(schema, "_pgforce_read_state")));
        Arrays.stream(ReadPhase.values()).forEach(p -> all.put(p.name(), literal(p.name())));
        return all;
    }

    /**
     * Begins the read: its state row (made from the table's newest SystemModstamp the first time),
     * its query, or the Bulk load an interruption left, which goes on with its job.
     */
    public void begin(@ExchangeProperty(PgforceConstants.READ) ReadRun run) throws SQLException {
        Mapping m = run.mapping();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql("begin", m))) {
            ps.setString(1, m.object());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Instant watermark = instant(rs.getObject(1, OffsetDateTime.class));
                boolean loading = rs.getBoolean(2);
                run.begun(ReadQuery.soql(m, watermark, overlap), instant(rs.getObject(3, OffsetDateTime.class)), loading, watermark == null);
                String job = rs.getString(4);
                if (job != null && loading) {
                    run.bulkResumed(job, rs.getString(5), instant(rs.getObject(6, OffsetDateTime.class)));
                }
            }
        }
    }

    /** A call of the read that is not a page (a load's count, a Bulk job's status poll): counted in the state as a page is. */
    void called(Mapping m) throws SQLException {
        update("call", m);
    }

    /** A Bulk load's job was created (a call, counted): recorded before anything else, so that the load goes on with it after any interruption. */
    void bulkJobCreated(Mapping m, String jobId) throws SQLException {
        update("bulk-job-created", m, jobId);
    }

    /** A Bulk load's job failed, was aborted or is gone: the next one begins from the first page. */
    void bulkJobGone(Mapping m) throws SQLException {
        update("bulk-job-gone", m);
    }

    /** In a results page's transaction: the locator of the page after it. */
    void locatorApplied(Connection c, Mapping m, String next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql("locator-applied", m))) {
            ps.setString(1, next);
            ps.setString(2, m.table());
            ps.executeUpdate();
        }
    }

    /** In the page's transaction: the watermark moves on to the page's newest SystemModstamp (null: it stays), and the counts. */
    void pageApplied(Connection c, Mapping m, Instant newest, long applied, long failed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql("page-applied", m))) {
            ps.setObject(1, newest == null ? null : newest.atOffset(ZoneOffset.UTC));
            ps.setLong(2, applied);
            ps.setLong(3, failed);
            ps.setString(4, m.table());
            ps.executeUpdate();
        }
    }

    void done(Mapping m) throws SQLException {
        update("done", m);
    }

    void waiting(Mapping m, String reason) throws SQLException {
        update("waiting", m, reason);
    }

    void failed(Mapping m, String reason) throws SQLException {
        update("failed", m, reason);
    }

    /** Every mapping read so far is PAUSED (those not yet read have no state to show it). */
    void paused() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement("paused", schema))) {
            ps.executeUpdate();
        }
    }

    /** When each mapping's last read ended, by table; a mapping never read is not there. */
    Map<String, Instant> lastPolls() throws SQLException {
        Map<String, Instant> ended = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement("last-polls", schema));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp t = rs.getTimestamp(2);
                if (t != null) {
                    ended.put(rs.getString(1), t.toInstant());
                }
            }
        }
        return ended;
    }

    private void update(String statement, Mapping m, String... reason) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql(statement, m))) {
            int p = 1;
            for (String r : reason) {
                ps.setString(p++, r);
            }
            ps.setString(p, m.table());
            ps.executeUpdate();
        }
    }

    private String sql(String name, Mapping m) {
        return statement(name, schema, m);
    }

    /** A mapping table's placeholders in the read's SQL: {@code table} qualified and quoted, {@code name} as a literal. */
    static Map<String, String> tableValues(String schema, Mapping m) {
        return Map.of("table", qualified(schema, m.table()), "name", literal(m.table()));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
