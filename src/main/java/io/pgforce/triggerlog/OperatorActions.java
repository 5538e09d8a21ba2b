package io.pgforce.triggerlog;

import io.pgforce.config.SqlTemplates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * An operator's word on write errors: resubmitting or silencing FAILED changes, live and archived.
 * Not fenced: like the user's own SQL, any replica may take an operator's call; the writer picks
 * the rows up at its next cycle.
 */
@ApplicationScoped
public class OperatorActions {

    private static final SqlTemplates SQL = SqlTemplates.load("schema/trigger-log-operator.sql");

    private final FencedLog log;
    private final LiveAndArchived retry;
    private final LiveAndArchived ignore;

    @Inject
    OperatorActions(FencedLog log) {
        this.log = log;
        retry = new LiveAndArchived(log.sql(SQL, "retry"), log.sql(SQL, "retry-archived"));
        ignore = new LiveAndArchived(log.sql(SQL, "ignore", Map.of("from", log.liveTable())), log.sql(SQL, "ignore", Map.of("from", log.archiveTable())));
    }

    /** An operator's statement on the live log and on the archive: both change, in one transaction. */
    private record LiveAndArchived(String live, String archived) {
    }

    /** Which write errors an operator means: every one, one mapping table's, or these trigger-log ids. */
    public record Selection(String table, List<Long> ids) {

        public static Selection all() {
            return new Selection(null, List.of());
        }

        public static Selection table(String table) {
            return new Selection(table, List.of());
        }

        public static Selection ids(List<Long> ids) {
            return new Selection(null, List.copyOf(ids));
        }

        private void bind(PreparedStatement ps) throws SQLException {
            int i = 1;
            if (table != null) {
                ps.setString(i++, table);
            }
            if (!ids.isEmpty()) {
                ps.setArray(i, ps.getConnection().createArrayOf("bigint", ids.toArray()));
            }
        }
    }

    /**
     * Resubmits FAILED changes, as a user does by hand: live rows become NEW, archived ones REQUEUE
     * (both wake the writer through their triggers). The rows keep their sf_result, which tells
     * the writer they were refused before (see {@link Claims#claim}).
     */
    public int retry(Selection which) throws SQLException {
        return operator(which, retry);
    }

    /** Silences FAILED changes (live and archived) as IGNORED, keeping their message; they no longer count as write errors. */
    public int ignore(Selection which) throws SQLException {
        return operator(which, ignore);
    }

    private int operator(Selection which, LiveAndArchived statements) throws SQLException {
        String where = (which.table() == null ? "" : " " + log.sql(SQL, "of-table")) + (which.ids().isEmpty() ? "" : " " + log.sql(SQL, "of-ids"));
        try (Connection c = log.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement live = c.prepareStatement(statements.live() + where);
                 PreparedStatement archived = c.prepareStatement(statements.archived() + where)) {
                which.bind(live);
                which.bind(archived);
                int changed = live.executeUpdate() + archived.executeUpdate();
                c.commit();
                return changed;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
