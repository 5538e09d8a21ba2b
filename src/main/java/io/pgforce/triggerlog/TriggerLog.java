package io.pgforce.triggerlog;

import static io.pgforce.config.Identifiers.qualified;
import static io.pgforce.triggerlog.TriggerLogState.FAILED;
import static io.pgforce.triggerlog.TriggerLogState.IGNORED;
import static io.pgforce.triggerlog.TriggerLogState.MERGED;
import static io.pgforce.triggerlog.TriggerLogState.NEW;
import static io.pgforce.triggerlog.TriggerLogState.PENDING;
import static io.pgforce.triggerlog.TriggerLogState.REQUEUE;
import static io.pgforce.triggerlog.TriggerLogState.REQUEUED;
import static io.pgforce.triggerlog.TriggerLogState.SUCCESS;

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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one owner of the trigger log's state machine. Every transition (claim, reclaim, hold,
 * settle, requeue, archive, purge) is one set-based statement, or one transaction of them, and
 * is fenced: it only changes rows while this instance holds the writer lease, and it locks the
 * lease row (FOR SHARE) so that no other instance can take the lease over until it commits. A
 * writer that lost the lease therefore changes nothing.
 */
@ApplicationScoped
@Unremovable
@Named("triggerLog")
public class TriggerLog {

    private static final String HELD_PREFIX = "Not sent: waiting for the failed INSERT (trigger log id ";
    private static final String HELD_SUFFIX = ") of this record. Fix it and set that row's state to NEW; this change follows it.";
    private static final String NEVER_INSERTED_PREFIX = "Nothing to send: the record never reached Salesforce (its INSERT, trigger log id ";
    private static final String NEVER_INSERTED_SUFFIX = ", failed) and its row is deleted";
    /** Trigger-log rows moved to the archive per housekeeping statement. */
    private static final int ARCHIVE_CHUNK = 50_000;

    private final DataSource dataSource;
    private final String schema;
    private final String owner;
    private final boolean ordered;
    private final String log;
    private final String archive;
    private final String fence;
    /** Commit-consistent claiming: how long a change waits for an older transaction still open; null: it does not. */
    private final Duration commitWait;

    @Inject
    TriggerLog(@Named("pgforceDataSource") DataSource dataSource, MappingSet mappings, InstanceId instance,
               @ConfigProperty(name = "pgforce.claim.commit-consistent") boolean commitConsistent,
               @ConfigProperty(name = "pgforce.claim.max-wait") Duration maxWait) {
        this(dataSource, mappings.connection().schema(), instance.value(), "ORDERED".equals(mappings.connection().writeAlgorithm().name()),
                commitConsistent ? maxWait : null);
    }

    public TriggerLog(DataSource dataSource, String schema, String owner, boolean ordered, Duration commitWait) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.owner = owner;
        this.ordered = ordered;
        this.commitWait = commitWait;
        this.log = qualified(schema, "_trigger_log");
        this.archive = qualified(schema, "_trigger_log_archive");
        this.fence = "EXISTS (SELECT 1 FROM " + qualified(schema, "_hc_writer")
                + " AS w WHERE w.id = 1 AND w.owner = ? AND w.expires_at > now() FOR SHARE OF w)";
    }

    private static String lit(TriggerLogState state) {
        return "'" + state.name() + "'";
    }

    private static String lits(Collection<TriggerLogState> states) {
        return states.stream().map(TriggerLog::lit).collect(Collectors.joining(", "));
    }

    /** The sf_message of a change of a deleted row whose insert, this trigger-log id, failed. */
    public static String neverInsertedNote(long failedInsertId) {
        return NEVER_INSERTED_PREFIX + failedInsertId + NEVER_INSERTED_SUFFIX;
    }

    /** The sf_message of a change held behind the failed insert with this trigger-log id. */
    public static String heldNote(long failedInsertId) {
        return HELD_PREFIX + failedInsertId + HELD_SUFFIX;
    }

    // ------------------------------------------------------------------ claiming

    /**
     * NEW rows, oldest first, become PENDING, and are marked as sent ({@code sent_at}): from now on
     * they may reach Salesforce whatever happens, so after a crash they count as possibly written.
     * (Marking them here rather than right before each call saves a statement per batch; a row
     * reclaimed before it went out is only ever treated more carefully than it needs.) Each row
     * says whether it was sent before this claim. Under Ordered Writes a change waits while an
     * earlier INSERT of its record is FAILED. SKIP LOCKED keeps claims disjoint even if two
     * writers overlap. Nothing is claimed while an operator has paused writing
     * ({@code _hc_connection}): a cycle that checked the pause just before it was set claims
     * nothing after it.
     * <p>
     * Commit-consistent claiming: a trigger-log id is taken when a row is written, not when its
     * transaction commits, so a committed change may have a higher id than one still open (a child
     * committed before the parent it references, or a later change of the same record). The claim
     * therefore stops at the first change written by a transaction newer than the oldest one still
     * in progress ({@code pg_snapshot_xmin}); that change and all after it wait until the older
     * transaction ends, or until they have waited the maximum; each row says whether it was
     * claimed past such a transaction ({@code early}).
     */
    public List<ClaimedChange> claim(int limit) throws SQLException {
        String held = ordered ? " AND NOT EXISTS (SELECT 1 FROM " + log + " AS f WHERE f.table_name = c.table_name AND f.record_id = c.record_id"
                + " AND f.action = 'INSERT' AND f.state = " + lit(FAILED) + " AND f.id < c.id)" : "";
        String horizon = commitWait == null ? "" : "WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin), "
                + "barrier AS (SELECT min(o.id) AS id FROM " + log + " AS o, h WHERE o.state = " + lit(NEW) + " AND o.txid >= h.xmin "
                + "AND o.created_at > clock_timestamp() - make_interval(secs => ?)) ";
        String early = commitWait == null ? "false" : "c.txid >= h.xmin";
        String from = commitWait == null ? log + " AS c" : log + " AS c, h, barrier AS b";
        String beforeBarrier = commitWait == null ? "" : " AND (b.id IS NULL OR c.id < b.id)";
        String sql = horizon + "UPDATE " + log + " AS t SET state = " + lit(PENDING) + ", updated_at = clock_timestamp(), sf_message = NULL, "
                + "sent_at = COALESCE(t.sent_at, clock_timestamp()) "
                + "FROM (SELECT c.id, c.sent_at IS NOT NULL AS sent, " + early + " AS early FROM " + from + " WHERE c.state = " + lit(NEW)
                + held + beforeBarrier + " ORDER BY c.id LIMIT ? FOR UPDATE OF c SKIP LOCKED) AS n WHERE t.id = n.id AND " + fence
                + " AND NOT EXISTS (SELECT 1 FROM " + qualified(schema, "_hc_connection") + " AS p WHERE p.id = 1 AND p.paused)"
                + " RETURNING t.id, t.table_name, t.action, t.record_id, t.sfid, t.values::text,"
                + " n.sent, n.early, t.bulk_job_id, t.sf_result IS NOT DISTINCT FROM 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (commitWait != null) {
                ps.setDouble(i++, commitWait.toMillis() / 1000.0);
            }
            ps.setInt(i++, limit);
            ps.setString(i, owner);
            try (ResultSet rs = ps.executeQuery()) {
                List<ClaimedChange> claimed = new ArrayList<>();
                while (rs.next()) {
                    claimed.add(new ClaimedChange(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6),
                            rs.getBoolean(7), rs.getBoolean(8), rs.getString(9), rs.getBoolean(10)));
                }
                return claimed;
            }
        }
    }

    /**
     * Refreshes the planner's statistics of the trigger log and these mapping tables. After a bulk
     * load (a claim of many rows) they are stale until autovacuum comes round, and the write-backs'
     * plans read whole tables where an index lookup per row would do; ANALYZE reads a sample and
     * blocks no application statement.
     */
    public void refreshStatistics(Collection<String> tables) throws SQLException {
        String all = log + tables.stream().map(t -> ", " + qualified(schema, t)).collect(Collectors.joining());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("ANALYZE " + all)) {
            ps.execute();
        }
    }

    /** Whether NEW rows wait for an older transaction still open (see {@link #claim}): its end may notify nobody, so look again. */
    public boolean keptBackByOpenTransactions() throws SQLException {
        if (commitWait == null) {
            return false;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + log
                + " AS o WHERE o.state = " + lit(NEW) + " AND o.txid >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Cycles never overlap, so a PENDING row at the start of a cycle was left by a writer that
     * crashed or a cycle that failed: it goes back to NEW, keeping its place and its sent_at.
     */
    public int reclaim() throws SQLException {
        return update("UPDATE " + log + " SET state = " + lit(NEW) + ", updated_at = clock_timestamp() WHERE state = " + lit(PENDING)
                + " AND " + fence);
    }

    /**
     * Under Ordered Writes, changes waiting behind a failed insert say so in their sf_message; but
     * once the row is deleted, its changes up to the DELETE have nothing left to do (the record
     * never reached Salesforce) and end IGNORED instead of waiting for good.
     */
    public int markHeld() throws SQLException {
        if (!ordered) {
            return 0;
        }
        update("UPDATE " + log + " AS h SET state = " + lit(IGNORED) + ", sf_message = (" + literal(NEVER_INSERTED_PREFIX) + " || f.id || "
                + literal(NEVER_INSERTED_SUFFIX) + "), processed_at = clock_timestamp(), processed_tx = txid_current(), updated_at = clock_timestamp() "
                + "FROM " + log + " AS f WHERE h.state = " + lit(NEW) + " AND f.table_name = h.table_name AND f.record_id = h.record_id "
                + "AND f.action = 'INSERT' AND f.state = " + lit(FAILED) + " AND f.id < h.id AND EXISTS (SELECT 1 FROM " + log + " AS d "
                + "WHERE d.table_name = h.table_name AND d.record_id = h.record_id AND d.action = 'DELETE' AND d.id >= h.id) AND " + fence);
        String note = "(" + literal(HELD_PREFIX) + " || f.id || " + literal(HELD_SUFFIX) + ")";
        return update("UPDATE " + log + " AS h SET sf_message = " + note + " FROM " + log + " AS f "
                + "WHERE h.state = " + lit(NEW) + " AND f.table_name = h.table_name AND f.record_id = h.record_id AND f.action = 'INSERT' "
                + "AND f.state = " + lit(FAILED) + " AND f.id < h.id AND h.sf_message IS DISTINCT FROM " + note + " AND " + fence);
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
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + log + " SET bulk_job_id = ? WHERE id = ANY(?) AND state = " + lit(PENDING)
                     + " AND " + fence)) {
            ps.setString(1, bulkJobId);
            ps.setArray(2, c.createArrayOf("bigint", logIds.toArray()));
            ps.setString(3, owner);
            ps.executeUpdate();
        }
    }

    /** The sfid an earlier successful change of each record recorded (the record itself may be deleted since). */
    public Map<Long, String> learntSfids(String table, Set<Long> recordIds) throws SQLException {
        Map<Long, String> result = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String t : List.of(archive, log)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT record_id, sfid FROM " + t
                        + " WHERE table_name = ? AND record_id = ANY(?) AND sfid IS NOT NULL AND state = " + lit(SUCCESS) + " ORDER BY id")) {
                    ps.setString(1, table);
                    ps.setArray(2, c.createArrayOf("integer", recordIds.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            result.put(rs.getLong(1), rs.getString(2));
                        }
                    }
                }
            }
        }
        return result;
    }

    // ------------------------------------------------------------------ settling

    /** Rows with nothing to send: folded away (MERGED) or not writable (IGNORED), with the reason. */
    public void settleUnsent(Collection<Long> logIds, TriggerLogState state, String message) throws SQLException {
        if (state != MERGED && state != IGNORED) {
            throw new IllegalArgumentException("Rows settle without a write as MERGED or IGNORED, not " + state);
        }
        if (logIds.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + log + " SET state = " + lit(state) + ", sf_message = ?, bulk_job_id = NULL, "
                     + "processed_at = clock_timestamp(), processed_tx = txid_current(), updated_at = clock_timestamp() "
                     + "WHERE id = ANY(?) AND state = " + lit(PENDING) + " AND " + fence)) {
            ps.setString(1, message);
            ps.setArray(2, c.createArrayOf("bigint", logIds.toArray()));
            ps.setString(3, owner);
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
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement.sql())) {
            statement.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new WriterLeaseLostException(owner);
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
            String fenced = " AND EXISTS (SELECT 1 FROM lease)";
            sql.append("WITH lease AS MATERIALIZED (SELECT 1 FROM ").append(qualified(schema, "_hc_writer"))
                    .append(" AS w WHERE w.id = 1 AND w.owner = ? AND w.expires_at > now() FOR SHARE OF w)");
            parameter(owner, null);
            Map<String, Map<Long, Settlement>> byTable = mappingRowsByTable(settlements);
            lockMappingRows(byTable);
            String rowFree = byTable.isEmpty() ? "true" : "(%s, %s) NOT IN (SELECT t, id FROM skipped)";
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
            String processed = "CASE WHEN v.state = " + lit(NEW) + " THEN NULL ELSE ";
            sql.append(", logged AS (UPDATE ").append(log).append(" AS t SET state = v.state, sfid = COALESCE(v.sfid, t.sfid), ")
                    .append("sf_result = v.result, sf_message = v.message, bulk_job_id = NULL, processed_at = ").append(processed)
                    .append("clock_timestamp() END, processed_tx = ").append(processed).append("txid_current() END, updated_at = clock_timestamp() ")
                    .append("FROM unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::integer[], ?::text[], ?::varchar[], ?::integer[], ?::boolean[]) ")
                    .append("AS v(id, state, sfid, result, message, table_name, record_id, needs_row) ")
                    .append("WHERE t.id = v.id AND t.state = ").append(lit(PENDING))
                    .append(" AND (NOT v.needs_row OR ").append(rowFree.formatted("v.table_name", "v.record_id")).append(")").append(fenced)
                    .append(" RETURNING CASE WHEN v.state = ").append(lit(SUCCESS)).append(" THEN extract(epoch FROM clock_timestamp() - t.created_at) END AS latency)");
            parameter(ids, "bigint");
            parameter(states, "varchar");
            parameter(sfids, "varchar");
            parameter(results, "integer");
            parameter(messages, "text");
            parameter(tables, "varchar");
            parameter(records, "integer");
            parameter(needsRow, "boolean");
            // a failed insert resent with a later change of its record (Merged Writes) is settled by that change's success
            List<Settlement> inserts = settlements.stream().filter(s -> s.insert() && s.state() == SUCCESS).toList();
            if (!inserts.isEmpty()) {
                sql.append(", replaced AS (UPDATE ").append(log).append(" AS t SET state = ").append(lit(MERGED))
                        .append(", sf_message = 'resent with trigger log id ' || i.id, processed_at = clock_timestamp(), processed_tx = txid_current(), ")
                        .append("updated_at = clock_timestamp() FROM unnest(?::bigint[], ?::varchar[], ?::integer[]) AS i(id, table_name, record_id) ")
                        .append("WHERE t.table_name = i.table_name AND t.record_id = i.record_id AND t.action = 'INSERT' AND t.state = ")
                        .append(lit(FAILED)).append(" AND t.id < i.id AND ").append(rowFree.formatted("i.table_name", "i.record_id"))
                        .append(fenced).append(")");
                parameter(inserts.stream().map(Settlement::logId).toList(), "bigint");
                parameter(inserts.stream().map(Settlement::table).toList(), "varchar");
                parameter(inserts.stream().map(Settlement::recordId).toList(), "integer");
            }
            mappingRows(byTable, done, fenced);
            sql.append(" SELECT EXISTS (SELECT 1 FROM lease), (SELECT array_agg(latency) FROM logged WHERE latency IS NOT NULL), ")
                    .append(byTable.isEmpty() ? "NULL::text[]" : "(SELECT array_agg(t || ':' || id) FROM skipped)");
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
                String table = qualified(schema, e.getKey());
                sql.append(", lock_").append(n).append(" AS MATERIALIZED (SELECT r.id FROM ").append(table)
                        .append(" AS r WHERE r.id = ANY(?::integer[]) FOR UPDATE SKIP LOCKED)");
                parameter(List.copyOf(e.getValue().keySet()), "integer");
                // usually every row is locked: then the difference is empty and the table is not read again
                skipped.add("SELECT " + literal(e.getKey()) + "::text AS t, x.id FROM unnest(?::integer[]) AS x(id) "
                        + "WHERE x.id NOT IN (SELECT id FROM lock_" + n++ + ") AND EXISTS (SELECT 1 FROM " + table + " AS r WHERE r.id = x.id)");
            }
            if (!skipped.isEmpty()) {
                sql.append(", skipped AS MATERIALIZED (").append(String.join(" UNION ALL ", skipped)).append(")");
                byTable.values().forEach(rows -> parameter(List.copyOf(rows.keySet()), "integer"));
            }
        }

        /**
         * The mapping rows' sfid, {@code _hc_lastop} and {@code _hc_err}; the status columns only
         * while no later change of the row is queued (it would make them stale at once). An sfid
         * that another row already holds is not written: the unique index would refuse the whole settle.
         */
        private void mappingRows(Map<String, Map<Long, Settlement>> byTable, List<Long> done, String fenced) {
            int n = 0;
            for (Map.Entry<String, Map<Long, Settlement>> e : byTable.entrySet()) {
                String table = qualified(schema, e.getKey());
                String later = "EXISTS (SELECT 1 FROM " + log + " AS l WHERE l.table_name = " + literal(e.getKey())
                        + " AND l.record_id = m.record_id AND l.id > m.log_id AND l.state IN (" + lits(TriggerLogState.QUEUED) + ")"
                        + " AND l.id <> ALL (?::bigint[]))";
                Collection<Settlement> rows = e.getValue().values();
                sql.append(", row_").append(n).append(" AS (UPDATE ").append(table).append(" AS r SET ")
                        .append("sfid = CASE WHEN m.sfid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ").append(table)
                        .append(" AS o WHERE o.sfid = m.sfid AND o.id <> r.id) THEN m.sfid ELSE r.sfid END, ")
                        .append("_hc_lastop = CASE WHEN ").append(later).append(" THEN r._hc_lastop ELSE m.lastop END, ")
                        .append("_hc_err = CASE WHEN ").append(later).append(" THEN r._hc_err ELSE m.err END ")
                        .append("FROM unnest(?::integer[], ?::bigint[], ?::varchar[], ?::varchar[], ?::text[]) AS m(record_id, log_id, sfid, lastop, err) ")
                        .append("WHERE r.id = m.record_id AND r.id IN (SELECT id FROM lock_").append(n).append(")").append(fenced).append(")");
                n++;
                parameter(done, "bigint");
                parameter(done, "bigint");
                parameter(rows.stream().map(Settlement::recordId).toList(), "integer");
                parameter(rows.stream().map(Settlement::logId).toList(), "bigint");
                parameter(rows.stream().map(s -> s.row().sfid()).toList(), "varchar");
                parameter(rows.stream().map(s -> s.row().lastOp().name()).toList(), "varchar");
                parameter(rows.stream().map(s -> s.row().errorJson()).toList(), "text");
            }
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

    // ------------------------------------------------------------------ an operator's word

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

        private String where() {
            return (table == null ? "" : " AND table_name = ?") + (ids.isEmpty() ? "" : " AND id = ANY (?)");
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
     * (both wake the writer through their triggers). Not fenced: like the user's own SQL, any
     * replica may take an operator's call; the writer picks the rows up at its next cycle. The
     * rows keep their sf_result, which tells the writer they were refused before (see claim).
     */
    public int retry(Selection which) throws SQLException {
        return operator(which,
                "UPDATE " + log + " SET state = " + lit(NEW) + ", updated_at = clock_timestamp(), processed_at = NULL "
                        + "WHERE state = " + lit(FAILED),
                "UPDATE " + archive + " SET state = " + lit(REQUEUE) + ", updated_at = clock_timestamp() WHERE state = " + lit(FAILED));
    }

    /** Silences FAILED changes (live and archived) as IGNORED, keeping their message; they no longer count as write errors. */
    public int ignore(Selection which) throws SQLException {
        return operator(which,
                "UPDATE " + log + " SET state = " + lit(IGNORED) + ", updated_at = clock_timestamp() WHERE state = " + lit(FAILED),
                "UPDATE " + archive + " SET state = " + lit(IGNORED) + ", updated_at = clock_timestamp() WHERE state = " + lit(FAILED));
    }

    private int operator(Selection which, String liveSql, String archivedSql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement live = c.prepareStatement(liveSql + which.where());
                 PreparedStatement archived = c.prepareStatement(archivedSql + which.where())) {
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

    // ------------------------------------------------------------------ housekeeping

    /**
     * Archived rows a user marked REQUEUE go back to the live log as NEW under their original id
     * (so they keep their place in the order); the archive rows become REQUEUED.
     */
    public int requeue() throws SQLException {
        return update("WITH requeued AS (UPDATE " + archive + " SET state = " + lit(REQUEUED) + ", updated_at = clock_timestamp() "
                + "WHERE state = " + lit(REQUEUE) + " AND " + fence + " RETURNING id, txid, created_at, action, table_name, record_id, sfid, old, values, sent_at, sf_result) "
                + "INSERT INTO " + log + " (id, txid, created_at, updated_at, state, action, table_name, record_id, sfid, old, values, sent_at, sf_result) "
                + "SELECT id, txid, created_at, clock_timestamp(), " + lit(NEW) + ", action, table_name, record_id, sfid, old, values, sent_at, sf_result FROM requeued "
                + "ON CONFLICT (id) DO UPDATE SET state = " + lit(NEW) + ", updated_at = EXCLUDED.updated_at, processed_at = NULL, "
                + "sf_result = EXCLUDED.sf_result, sf_message = NULL");
    }

    /**
     * Processed rows older than the delay move to the archive. A FAILED insert stays while later
     * changes of its record wait behind it, so that resubmitting it still releases them in order.
     * A row archived before (and requeued since) replaces its older archived copy: the newest
     * outcome is what the archive keeps.
     */
    public int archive(long delaySeconds) throws SQLException {
        String columns = "id, txid, created_at, updated_at, processed_at, processed_tx, state, action, table_name, record_id, sfid, old, values, "
                + "sf_result, sf_message, sent_at, bulk_job_id";
        String replace = List.of(columns.split(", ")).stream().filter(col -> !col.equals("id")).map(col -> col + " = EXCLUDED." + col)
                .collect(Collectors.joining(", "));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("WITH moved AS (DELETE FROM " + log + " AS t WHERE t.id IN (SELECT a.id FROM " + log + " AS a "
                     + "WHERE a.state IN (" + lits(TriggerLogState.PROCESSED) + ") "
                     + "AND a.updated_at < clock_timestamp() - make_interval(secs => ?) "
                     + "AND NOT (a.state = " + lit(FAILED) + " AND a.action = 'INSERT' AND EXISTS (SELECT 1 FROM " + log + " AS h "
                     + "WHERE h.table_name = a.table_name AND h.record_id = a.record_id AND h.id > a.id AND h.state IN (" + lits(TriggerLogState.QUEUED) + "))) "
                     + "ORDER BY a.id LIMIT " + ARCHIVE_CHUNK + " FOR UPDATE SKIP LOCKED) AND " + fence + " RETURNING t.*) "
                     + "INSERT INTO " + archive + " (" + columns + ") SELECT " + columns + " FROM moved "
                     + "ON CONFLICT (id) DO UPDATE SET " + replace)) {
            ps.setLong(1, delaySeconds);
            ps.setString(2, owner);
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
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM " + archive + " AS a"
                     + " WHERE a.created_at < clock_timestamp() - make_interval(days => ?) AND a.state <> " + lit(REQUEUE)
                     + " AND (a.state <> " + lit(FAILED) + " OR " + laterChangeWritten(log) + " OR " + laterChangeWritten(archive) + ")"
                     + " AND " + fence)) {
            ps.setInt(1, retentionDays);
            ps.setString(2, owner);
            return ps.executeUpdate();
        }
    }

    /** A change of the archived row {@code a}'s record, after it, in this table reached Salesforce. */
    private static String laterChangeWritten(String table) {
        return "EXISTS (SELECT 1 FROM " + table + " AS w WHERE w.table_name = a.table_name AND w.record_id = a.record_id AND w.id > a.id"
                + " AND w.state IN (" + lits(List.of(SUCCESS, MERGED)) + "))";
    }

    // ------------------------------------------------------------------ plumbing

    /** A fenced statement whose only parameter is the fence's owner. */
    private int update(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            return ps.executeUpdate();
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
