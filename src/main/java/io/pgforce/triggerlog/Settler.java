package io.pgforce.triggerlog;

import static io.pgforce.config.Identifiers.literal;
import static io.pgforce.triggerlog.TriggerLogState.FAILED;
import static io.pgforce.triggerlog.TriggerLogState.IGNORED;
import static io.pgforce.triggerlog.TriggerLogState.MERGED;
import static io.pgforce.triggerlog.TriggerLogState.NEW;
import static io.pgforce.triggerlog.TriggerLogState.SUCCESS;

import io.pgforce.config.SqlTemplates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settling claimed changes: recording each one's final outcome in the trigger log (or its
 * return to NEW when held), with its mapping row's status in the same statement; and, while a
 * change is on its way, the Bulk job that carries it. Fenced on the writer lease (see
 * {@link FencedLog}).
 */
@ApplicationScoped
public class Settler {

    private static final SqlTemplates SQL = SqlTemplates.load("schema/trigger-log-settle.sql");

    private final FencedLog log;
    private final String markBulkJob;

    @Inject
    Settler(FencedLog log) {
        this.log = log;
        this.markBulkJob = log.sql(SQL, "mark-bulk-job");
    }

    /**
     * The Bulk job carrying these rows is created: after a crash its results are read instead of
     * sending the rows again. A row keeps the job id only until it is settled, so that a row
     * resubmitted later is sent anew.
     */
    public void markBulkJob(Collection<Long> logIds, String bulkJobId) throws SQLException {
        if (logIds.isEmpty()) {
            return;
        }
        try (Connection c = log.connection(); PreparedStatement ps = c.prepareStatement(markBulkJob)) {
            ps.setString(1, bulkJobId);
            ps.setArray(2, c.createArrayOf("bigint", logIds.toArray()));
            ps.setString(3, log.owner());
            ps.executeUpdate();
        }
    }

    /** Rows with nothing to send: folded away (MERGED) or not writable (IGNORED), with the reason. */
    public void settleUnsent(Collection<Long> logIds, TriggerLogState state, String message) throws SQLException {
        if (state != MERGED && state != IGNORED) {
            throw new IllegalArgumentException("Rows settle without a write as MERGED or IGNORED, not " + state);
        }
        if (logIds.isEmpty()) {
            return;
        }
        try (Connection c = log.connection();
             PreparedStatement ps = c.prepareStatement(log.sql(SQL, "settle-unsent", Map.of("state", literal(state.name()))))) {
            ps.setString(1, message);
            ps.setArray(2, c.createArrayOf("bigint", logIds.toArray()));
            ps.setString(3, log.owner());
            ps.executeUpdate();
        }
    }

    /**
     * What a settle did: how long each written change took from capture to acknowledgement, and
     * the settlements it left for later because the application held their mapping row's lock.
     */
    public record Settled(List<Duration> captureToAck, List<Settlement> deferred) {
    }

    /**
     * Settles written (or refused) changes in one statement, so one round trip and one commit
     * however many batches it carries: their log rows, the rows folded into them, an earlier
     * failed insert a successful insert replaces, and the mapping rows' status columns (on the
     * engine's session, so none of it is captured again). Only PENDING rows change, so settling
     * twice is harmless; without the lease nothing changes and this throws. A settled row no
     * longer carries a Bulk job id (see {@link #markBulkJob}).
     * <p>
     * pgforce never waits for a lock the application holds, so it can never be part of a
     * deadlock that aborts the application's transaction: a mapping row the application has
     * locked is skipped, and its change is not settled now but returned, to be settled later.
     */
    public Settled settle(List<Settlement> settlements) throws SQLException {
        if (settlements.isEmpty()) {
            return new Settled(List.of(), List.of());
        }
        SettleStatement statement = new SettleStatement(settlements);
        try (Connection c = log.connection(); PreparedStatement ps = c.prepareStatement(statement.sql())) {
            statement.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new WriterLeaseLostException(log.owner());
                }
                List<Duration> written = new ArrayList<>();
                java.sql.Array latencies = rs.getArray(2);
                if (latencies != null) {
                    for (Object seconds : (Object[]) latencies.getArray()) {
                        written.add(Duration.ofNanos((long) (Math.max(0, ((Number) seconds).doubleValue()) * 1e9)));
                    }
                }
                java.sql.Array skippedArray = rs.getArray(3);
                Set<String> skipped = new HashSet<>();
                if (skippedArray != null) {
                    for (Object row : (Object[]) skippedArray.getArray()) {
                        skipped.add((String) row);
                    }
                }
                List<Settlement> deferred = settlements.stream().filter(st -> st.row() != null && skipped.contains(rowKey(st.table(), st.recordId()))).toList();
                return new Settled(written, deferred);
            }
        }
    }

    private static String rowKey(String table, long recordId) {
        return table + ":" + recordId;
    }

    /**
     * The settle as one statement of data-modifying CTEs, each fenced on the lease row the first
     * CTE locks. The mapping rows are locked first, skipping those the application holds; a log
     * row whose mapping row was skipped is left as it is. All CTEs read the trigger log as it was
     * before the statement, so the check "a later change of the row is still queued" leaves out the
     * rows this statement settles.
     */
    private final class SettleStatement {

        private final StringBuilder sql = new StringBuilder();
        private final List<Object> parameters = new ArrayList<>();
        private final List<String> types = new ArrayList<>();

        SettleStatement(List<Settlement> settlements) {
            sql.append(log.sql(SQL, "settle-lease"));
            parameter(log.owner(), null);
            Map<String, Map<Long, Settlement>> byTable = mappingRowsByTable(settlements);
            lockMappingRows(byTable);
            // the log rows (and the rows folded into them)
            List<Long> ids = new ArrayList<>();
            List<String> states = new ArrayList<>();
            List<String> sfids = new ArrayList<>();
            List<Integer> results = new ArrayList<>();
            List<String> messages = new ArrayList<>();
            List<String> tables = new ArrayList<>();
            List<Long> records = new ArrayList<>();
            List<Boolean> needsRow = new ArrayList<>();
            List<Long> done = new ArrayList<>();
            for (Settlement s : settlements) {
                add(ids, states, sfids, results, messages, s.logId(), s.state(), s.sfid(),
                        s.state() == SUCCESS ? Integer.valueOf(0) : s.state() == FAILED ? Integer.valueOf(1) : null, s.message());
                tables.add(s.table());
                records.add(s.recordId());
                needsRow.add(s.row() != null);
                if (s.state() != NEW) {
                    done.add(s.logId());
                    for (Long folded : s.foldedLogIds()) {
                        add(ids, states, sfids, results, messages, folded, MERGED, s.sfid(), null, "merged into trigger log id " + s.logId());
                        tables.add(s.table());
                        records.add(s.recordId());
                        needsRow.add(s.row() != null);
                        done.add(folded);
                    }
                }
            }
            piece("logged", Map.of("rowFree", rowFree(byTable, "v")));
            parameter(ids, "bigint");
            parameter(states, "varchar");
            parameter(sfids, "varchar");
            parameter(results, "integer");
            parameter(messages, "text");
            parameter(tables, "varchar");
            parameter(records, "integer");
            parameter(needsRow, "boolean");
            List<Settlement> inserts = settlements.stream().filter(s -> s.insert() && s.state() == SUCCESS).toList();
            if (!inserts.isEmpty()) {
                piece("replaced", Map.of("rowFree", rowFree(byTable, "i")));
                parameter(inserts.stream().map(Settlement::logId).toList(), "bigint");
                parameter(inserts.stream().map(Settlement::table).toList(), "varchar");
                parameter(inserts.stream().map(Settlement::recordId).toList(), "integer");
            }
            mappingRows(byTable, done);
            piece("settle-result", Map.of("skippedKeys", byTable.isEmpty() ? "NULL::text[]" : log.sql(SQL, "skipped-keys")));
        }

        /** A log row {@code alias} whose mapping row was not skipped; with no mapping row to write back, every one. */
        private String rowFree(Map<String, Map<Long, Settlement>> byTable, String alias) {
            return byTable.isEmpty() ? "true" : log.sql(SQL, "row-free", Map.of("alias", alias));
        }

        /**
         * The mapping rows to write back: the newest settlement of each, keeping the sfid an older
         * one learnt (an insert and a later update of a record can be settled together).
         */
        private static Map<String, Map<Long, Settlement>> mappingRowsByTable(List<Settlement> settlements) {
            Map<String, Map<Long, Settlement>> byTable = new LinkedHashMap<>();
            for (Settlement s : settlements) {
                if (s.row() != null) {
                    byTable.computeIfAbsent(s.table(), t -> new HashMap<>()).merge(s.recordId(), s, SettleStatement::newest);
                }
            }
            return byTable;
        }

        private static Settlement newest(Settlement a, Settlement b) {
            Settlement newer = a.logId() > b.logId() ? a : b;
            Settlement older = newer == a ? b : a;
            if (newer.row().sfid() != null || older.row().sfid() == null) {
                return newer;
            }
            Settlement.RowStatus row = new Settlement.RowStatus(newer.row().lastOp(), older.row().sfid(), newer.row().errorJson());
            return new Settlement(newer.logId(), newer.table(), newer.recordId(), newer.state(), newer.sfid(), newer.message(), row,
                    newer.foldedLogIds(), newer.insert());
        }

        /**
         * Locks the mapping rows to write back, skipping any the application holds: pgforce never
         * waits for the application. The rows skipped (there, but locked) are {@code skipped}; a
         * row that is gone needs no write-back and holds nothing up.
         */
        private void lockMappingRows(Map<String, Map<Long, Settlement>> byTable) {
            List<String> skipped = new ArrayList<>();
            int n = 0;
            for (Map.Entry<String, Map<Long, Settlement>> e : byTable.entrySet()) {
                Map<String, String> table = mappingTable(e.getKey(), n++);
                piece("lock-rows", table);
                parameter(List.copyOf(e.getValue().keySet()), "integer");
                skipped.add(log.sql(SQL, "skipped-row", table));
            }
            if (!skipped.isEmpty()) {
                piece("skipped", Map.of("skippedRows", String.join(" UNION ALL ", skipped)));
                byTable.values().forEach(rows -> parameter(List.copyOf(rows.keySet()), "integer"));
            }
        }

        /**
         * The mapping rows' sfid, {@code _hc_lastop} and {@code _hc_err}; the status columns only
         * while no later change of the row is queued (it would make them stale at once). An sfid
         * that another row already holds is not written: the unique index would refuse the whole settle.
         */
        private void mappingRows(Map<String, Map<Long, Settlement>> byTable, List<Long> done) {
            int n = 0;
            for (Map.Entry<String, Map<Long, Settlement>> e : byTable.entrySet()) {
                Map<String, String> table = new HashMap<>(mappingTable(e.getKey(), n++));
                table.put("later", log.sql(SQL, "later", table));
                piece("mapping-rows", table);
                Collection<Settlement> rows = e.getValue().values();
                parameter(done, "bigint");
                parameter(done, "bigint");
                parameter(rows.stream().map(Settlement::recordId).toList(), "integer");
                parameter(rows.stream().map(Settlement::logId).toList(), "bigint");
                parameter(rows.stream().map(s -> s.row().sfid()).toList(), "varchar");
                parameter(rows.stream().map(s -> s.row().lastOp().name()).toList(), "varchar");
                parameter(rows.stream().map(s -> s.row().errorJson()).toList(), "text");
            }
        }

        /** The placeholders of the statement's {@code n}th mapping table. */
        private Map<String, String> mappingTable(String name, int n) {
            return Map.of("n", Integer.toString(n), "table", log.table(name), "name", literal(name));
        }

        private void piece(String name, Map<String, String> values) {
            sql.append('\n').append(log.sql(SQL, name, values));
        }

        private static void add(List<Long> ids, List<String> states, List<String> sfids, List<Integer> results, List<String> messages,
                                long id, TriggerLogState state, String sfid, Integer result, String message) {
            ids.add(id);
            states.add(state.name());
            sfids.add(sfid);
            results.add(result);
            messages.add(message);
        }

        /** A parameter: a scalar (type null) or an array of that SQL type. */
        private void parameter(Object value, String arrayType) {
            parameters.add(value);
            types.add(arrayType);
        }

        String sql() {
            return sql.toString();
        }

        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                if (types.get(i) == null) {
                    ps.setObject(i + 1, parameters.get(i));
                } else {
                    ps.setArray(i + 1, ps.getConnection().createArrayOf(types.get(i), ((List<?>) parameters.get(i)).toArray()));
                }
            }
        }
    }
}
