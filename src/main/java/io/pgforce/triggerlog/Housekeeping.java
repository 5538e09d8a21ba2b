package io.pgforce.triggerlog;

import io.pgforce.config.SqlTemplates;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * The trigger log's housekeeping: archived changes an operator marked REQUEUE go back to the live
 * log, settled changes move to the archive, archived ones are purged after the retention. Fenced
 * on the writer lease (see {@link FencedLog}).
 */
@ApplicationScoped
@Unremovable
@Named("housekeeping")
public class Housekeeping {

    private static final SqlTemplates SQL = SqlTemplates.load("schema/trigger-log-housekeeping.sql");

    private final FencedLog log;
    private final String requeue;
    private final String archive;
    private final String purge;

    @Inject
    Housekeeping(FencedLog log) {
        this.log = log;
        this.requeue = log.sql(SQL, "requeue");
        this.archive = log.sql(SQL, "archive");
        this.purge = log.sql(SQL, "purge", Map.of(
                "laterInLog", log.sql(SQL, "later-written", Map.of("from", log.liveTable())),
                "laterInArchive", log.sql(SQL, "later-written", Map.of("from", log.archiveTable()))));
    }

    /**
     * Archived rows a user marked REQUEUE go back to the live log as NEW under their original id
     * (so they keep their place in the order); the archive rows become REQUEUED.
     */
    public int requeue() throws SQLException {
        return log.update(requeue);
    }

    /**
     * Processed rows older than the delay move to the archive. A FAILED insert stays while later
     * changes of its record wait behind it, so that resubmitting it still releases them in order.
     * A row archived before (and requeued since) replaces its older archived copy: the newest
     * outcome is what the archive keeps.
     */
    public int archive(long delaySeconds) throws SQLException {
        try (Connection c = log.connection(); PreparedStatement ps = c.prepareStatement(archive)) {
            ps.setLong(1, delaySeconds);
            ps.setString(2, log.owner());
            return ps.executeUpdate();
        }
    }

    /**
     * Archived rows are deleted after the retention period, except a write error nobody resolved:
     * whatever the retention, a FAILED row stays until a later change of its record reached
     * Salesforce (SUCCESS or MERGED, live or archived), so it can still be resubmitted; a row an
     * operator set to REQUEUE stays until it is requeued.
     */
    public int purge(int retentionDays) throws SQLException {
        try (Connection c = log.connection(); PreparedStatement ps = c.prepareStatement(purge)) {
            ps.setInt(1, retentionDays);
            ps.setString(2, log.owner());
            return ps.executeUpdate();
        }
    }
}
