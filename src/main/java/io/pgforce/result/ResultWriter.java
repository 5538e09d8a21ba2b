package io.pgforce.result;

import static io.pgforce.config.Identifiers.qualified;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.config.MappingSet;
import io.pgforce.plan.Operation;
import io.pgforce.plan.WriteItem;
import io.pgforce.salesforce.RecordError;
import io.pgforce.write.Outcome;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Records outcomes in the trigger log and on the mapping rows, in one transaction per call, on
 * the engine's connections (xmlbinary = hex, so none of it is captured again).
 *
 * <ul>
 * <li>SUCCESS: the log row gets SUCCESS, processed_at/processed_tx and the record's sfid; folded
 * rows become MERGED; the mapping row gets its sfid (inserts), {@code _hc_lastop}
 * INSERTED/UPDATED and a cleared {@code _hc_err}.
 * <li>FAILED: the log row gets FAILED with sf_result 1 and sf_message; the mapping row gets
 * {@code _hc_lastop = FAILED} and {@code _hc_err} as JSON (operation, source, statusCode,
 * message, fields).
 * <li>HELD: the log row goes back to NEW with sf_message naming the insert it waits for.
 * <li>IGNORED: the log row gets IGNORED with the reason.
 * </ul>
 * A mapping row's {@code _hc_lastop} is only set while no later change of it is still queued.
 */
@ApplicationScoped
@Unremovable
@Named("resultWriter")
public class ResultWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final String schema;

    @Inject
    ResultWriter(@Named("pgforceDataSource") DataSource dataSource, MappingSet mappings) {
        this(dataSource, mappings.connection().schema());
    }

    public ResultWriter(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /**
     * Records every outcome except failed inserts, which are returned for the error channel
     * ({@code direct:pgforce-insert-failed}) to record with {@link #recordFailedInsert}.
     */
    public List<Outcome> record(List<Outcome> outcomes) throws SQLException {
        List<Outcome> now = new ArrayList<>();
        List<Outcome> failedInserts = new ArrayList<>();
        for (Outcome o : outcomes) {
            (o.isFailedInsert() ? failedInserts : now).add(o);
        }
        apply(now);
        return failedInserts;
    }

    public void recordFailedInsert(Outcome outcome) throws SQLException {
        apply(List.of(outcome));
    }

    /** Rows folded away with nothing to send (Merged Writes: an insert deleted before it was written). */
    public void settleMerged(List<Long> logIds) throws SQLException {
        if (logIds.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + log() + " SET state = 'MERGED', processed_at = clock_timestamp(), "
                     + "processed_tx = txid_current(), updated_at = clock_timestamp(), sf_message = 'folded away: nothing left to send' WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", logIds.toArray()));
            ps.executeUpdate();
        }
    }

    private String log() {
        return qualified(schema, "_trigger_log");
    }

    private void apply(List<Outcome> outcomes) throws SQLException {
        if (outcomes.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                logRows(c, outcomes);
                mappingRows(c, outcomes);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private void logRows(Connection c, List<Outcome> outcomes) throws SQLException {
        String processed = "processed_at = clock_timestamp(), processed_tx = txid_current(), updated_at = clock_timestamp()";
        try (PreparedStatement success = c.prepareStatement("UPDATE " + log() + " SET state = 'SUCCESS', sfid = COALESCE(?, sfid), "
                + "sf_result = 0, sf_message = NULL, " + processed + " WHERE id = ?");
             PreparedStatement merged = c.prepareStatement("UPDATE " + log() + " SET state = 'MERGED', sfid = COALESCE(?, sfid), "
                     + "sf_message = ?, " + processed + " WHERE id = ANY(?)");
             PreparedStatement failed = c.prepareStatement("UPDATE " + log() + " SET state = 'FAILED', sf_result = 1, sf_message = ?, "
                     + processed + " WHERE id = ?");
             PreparedStatement held = c.prepareStatement("UPDATE " + log() + " SET state = 'NEW', sf_message = ?, updated_at = clock_timestamp() WHERE id = ?");
             PreparedStatement ignored = c.prepareStatement("UPDATE " + log() + " SET state = 'IGNORED', sf_message = ?, " + processed + " WHERE id = ?");
             // Merged Writes resends a failed insert with a later update: the failed row is settled by it
             PreparedStatement resent = c.prepareStatement("UPDATE " + log() + " SET state = 'MERGED', sf_message = 'resent with trigger log id ' || ?, "
                     + processed + " WHERE table_name = ? AND record_id = ? AND action = 'INSERT' AND state = 'FAILED' AND id < ?")) {
            for (Outcome o : outcomes) {
                WriteItem item = o.item();
                switch (o.kind()) {
                    case SUCCESS -> {
                        success.setString(1, o.sfid());
                        success.setLong(2, item.logId());
                        success.addBatch();
                        if (item.operation().isInsert()) {
                            resent.setLong(1, item.logId());
                            resent.setString(2, item.table());
                            resent.setLong(3, item.recordId());
                            resent.setLong(4, item.logId());
                            resent.addBatch();
                        }
                    }
                    case FAILED -> {
                        failed.setString(1, o.error().describe());
                        failed.setLong(2, item.logId());
                        failed.addBatch();
                    }
                    case HELD -> {
                        held.setString(1, o.note());
                        held.setLong(2, item.logId());
                        held.addBatch();
                    }
                    case IGNORED -> {
                        ignored.setString(1, o.note());
                        ignored.setLong(2, item.logId());
                        ignored.addBatch();
                    }
                }
                if (!item.foldedLogIds().isEmpty() && o.kind() != Outcome.Kind.HELD) {
                    merged.setString(1, o.sfid());
                    merged.setString(2, "merged into trigger log id " + item.logId());
                    merged.setArray(3, c.createArrayOf("bigint", item.foldedLogIds().toArray()));
                    merged.addBatch();
                }
            }
            success.executeBatch();
            failed.executeBatch();
            held.executeBatch();
            ignored.executeBatch();
            merged.executeBatch();
            resent.executeBatch();
        }
    }

    private void mappingRows(Connection c, List<Outcome> outcomes) throws SQLException {
        Map<String, List<Outcome>> byTable = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            boolean touchesRow = o.item().operation() != Operation.DELETE
                    && (o.kind() == Outcome.Kind.SUCCESS || o.kind() == Outcome.Kind.FAILED);
            if (touchesRow) {
                byTable.computeIfAbsent(o.item().table(), t -> new ArrayList<>()).add(o);
            }
        }
        for (Map.Entry<String, List<Outcome>> e : byTable.entrySet()) {
            String laterChangeQueued = "EXISTS (SELECT 1 FROM " + log() + " l WHERE l.table_name = ? AND l.record_id = ? AND l.id > ? "
                    + "AND l.state IN ('NEW', 'PENDING'))";
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + qualified(schema, e.getKey()) + " SET sfid = COALESCE(?, sfid), "
                    + "_hc_lastop = CASE WHEN " + laterChangeQueued + " THEN _hc_lastop ELSE ? END, "
                    + "_hc_err = CASE WHEN " + laterChangeQueued + " THEN _hc_err ELSE ? END WHERE id = ?")) {
                for (Outcome o : e.getValue()) {
                    WriteItem item = o.item();
                    boolean success = o.kind() == Outcome.Kind.SUCCESS;
                    ps.setString(1, success && item.operation().isInsert() ? o.sfid() : null);
                    ps.setString(2, item.table());
                    ps.setLong(3, item.recordId());
                    ps.setLong(4, item.logId());
                    ps.setString(5, success ? (item.operation().isInsert() ? "INSERTED" : "UPDATED") : "FAILED");
                    ps.setString(6, item.table());
                    ps.setLong(7, item.recordId());
                    ps.setLong(8, item.logId());
                    ps.setString(9, success ? null : errorJson(item, o.error()));
                    ps.setLong(10, item.recordId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** {@code _hc_err}: what failed, who said so, and why. */
    static String errorJson(WriteItem item, RecordError error) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("operation", item.operation().isInsert() ? "INSERT" : item.operation().name());
        json.put("source", error.source());
        json.put("statusCode", error.statusCode());
        json.put("message", error.message());
        json.put("fields", error.fields());
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
