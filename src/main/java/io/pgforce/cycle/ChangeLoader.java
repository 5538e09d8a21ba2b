package io.pgforce.cycle;

import io.pgforce.config.ClaimSettings;
import static io.pgforce.config.Identifiers.qualified;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.config.PgType;
import io.pgforce.connection.WriteActivity;
import io.pgforce.plan.Action;
import io.pgforce.plan.Change;
import io.pgforce.plan.WriteAlgorithm;
import io.pgforce.triggerlog.ClaimedChange;
import io.pgforce.triggerlog.Claims;
import io.pgforce.triggerlog.LogValues;
import io.pgforce.triggerlog.Settlement;
import io.pgforce.triggerlog.Settler;
import io.pgforce.triggerlog.TriggerLogState;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Turns a cycle's claimed trigger-log rows into {@link Change}s in log order. Fills in what the
 * log row did not know when it was captured: the record's sfid (written back after an earlier
 * change succeeded), and, under Merged Writes, the full current row of a record whose insert
 * never reached Salesforce, so that an update can resend it.
 */
@ApplicationScoped
@Unremovable
@Named("changeLoader")
public class ChangeLoader {

    private static final Logger LOG = Logger.getLogger(ChangeLoader.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    /** A claim this large is a bulk load: the tables' statistics are refreshed before it is written back. */
    private static final int MANY = 10_000;

    private final DataSource dataSource;
    private final MappingSet mappings;
    private final Claims claims;
    private final Settler settler;
    private final WriteActivity activity;
    private final String schema;

    private final Duration maxWait;
    private final Map<String, Map<String, PgType>> capturedTypes = new java.util.concurrent.ConcurrentHashMap<>();

    @Inject
    ChangeLoader(@Named("pgforceDataSource") DataSource dataSource, MappingSet mappings, Claims claims, Settler settler, WriteActivity activity,
                 ClaimSettings claim) {
        this.maxWait = claim.maxWait();
        this.dataSource = dataSource;
        this.mappings = mappings;
        this.claims = claims;
        this.settler = settler;
        this.activity = activity;
        this.schema = mappings.connection().schema();
    }

    public List<Change> load(List<ClaimedChange> rows) throws SQLException {
        activity.claimed(rows.size());
        if (rows.size() >= MANY) {
            claims.refreshStatistics(rows.stream().map(ClaimedChange::table).collect(Collectors.toSet()));
        }
        int early = (int) rows.stream().filter(ClaimedChange::early).count();
        if (early > 0) {
            activity.claimedPastOpenTransaction(early, maxWait);
        }
        List<ClaimedChange> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(ClaimedChange::id));
        List<Long> unmapped = new ArrayList<>();
        List<Long> nothingMapped = new ArrayList<>();
        List<Settlement> unreadable = new ArrayList<>();
        Set<Long> resubmittedInserts = new HashSet<>();
        List<Change> changes = new ArrayList<>(sorted.size());
        for (ClaimedChange row : sorted) {
            String table = row.table();
            long logId = row.id();
            Mapping mapping = mappings.byTable(table).filter(Mapping::readWrite).orElse(null);
            if (mapping == null) {
                unmapped.add(logId);
                continue;
            }
            Action action = Action.valueOf(row.action());
            long recordId = row.recordId();
            String text = row.values();
            Map<String, Object> values;
            try {
                values = LogValues.read(text, capturedTypes(mapping));
            } catch (LogValues.Unreadable e) {
                unreadable.add(unreadable(logId, table, recordId, action, e.getMessage()));
                continue;
            }
            if (action == Action.UPDATE && values.isEmpty() && text != null && !text.isBlank()) {
                // Heroku Connect's capture logs an UPDATE of any column; one that changed no mapped column has nothing to send
                nothingMapped.add(logId);
                continue;
            }
            changes.add(new Change(logId, table, mapping.object(), action, recordId, row.sfid(), values, null, row.sent(), row.bulkJobId(), row.txid()));
            if (row.resubmitted() && action == Action.INSERT) {
                resubmittedInserts.add(logId);
            }
        }
        if (!unmapped.isEmpty()) {
            // rows of tables that are no longer mapped (or read-only) cannot be written
            LOG.warnf("%d claimed change(s) belong to tables that are not read_write mappings; marking them IGNORED", unmapped.size());
            settler.settleUnsent(unmapped, TriggerLogState.IGNORED, "table is not a read_write mapping");
        }
        settler.settleUnsent(nothingMapped, TriggerLogState.IGNORED, "Nothing to send: the UPDATE changed no mapped column");
        if (!unreadable.isEmpty()) {
            LOG.warnf("%d claimed change(s) cannot be read; each fails alone: %s", unreadable.size(), unreadable.get(0).message());
            settler.settle(unreadable);
        }
        return complete(asTheRowsAreNow(changes, resubmittedInserts));
    }

    /**
     * A resubmitted insert Salesforce refused goes with its record's mapped columns as they are
     * now: the captured values are what was refused, and the user's fix is in the row (its own
     * change, held behind the insert, follows it). A row deleted since has nothing to insert: its
     * record would be an orphan in Salesforce, so the insert ends IGNORED.
     */
    private List<Change> asTheRowsAreNow(List<Change> changes, Set<Long> resubmittedInserts) throws SQLException {
        if (resubmittedInserts.isEmpty()) {
            return changes;
        }
        Map<String, Map<Long, Map<String, Object>>> rowsNow = new HashMap<>();
        for (Map.Entry<String, Set<Long>> e : changes.stream().filter(ch -> resubmittedInserts.contains(ch.logId()))
                .collect(Collectors.groupingBy(Change::table, Collectors.mapping(Change::recordId, Collectors.toSet()))).entrySet()) {
            rowsNow.put(e.getKey(), currentRows(mappings.byTable(e.getKey()).orElseThrow(), e.getValue()));
        }
        List<Change> result = new ArrayList<>(changes.size());
        List<Long> deleted = new ArrayList<>();
        for (Change ch : changes) {
            boolean resubmitted = resubmittedInserts.contains(ch.logId());
            Map<String, Object> now = resubmitted ? rowsNow.get(ch.table()).get(ch.recordId()) : null;
            if (resubmitted && now == null) {
                deleted.add(ch.logId());
            } else if (now == null) {
                result.add(ch);
            } else {
                now.remove("sfid");
                result.add(new Change(ch.logId(), ch.table(), ch.object(), ch.action(), ch.recordId(), ch.sfid(), now, ch.currentRow(), ch.sent(), ch.bulkJobId(), ch.txid()));
            }
        }
        settler.settleUnsent(deleted, TriggerLogState.IGNORED, "Nothing to send: the row of this resubmitted INSERT is deleted");
        return result;
    }

    private List<Change> complete(List<Change> changes) throws SQLException {
        Map<String, List<Change>> unresolved = changes.stream().filter(ch -> ch.sfid() == null && ch.action() != Action.INSERT)
                .collect(Collectors.groupingBy(Change::table, LinkedHashMap::new, Collectors.toList()));
        if (unresolved.isEmpty()) {
            return changes;
        }
        boolean merged = WriteAlgorithm.MERGED.equals(mappings.connection().writeAlgorithm());
        Map<String, Map<Long, String>> sfids = new HashMap<>();
        Map<String, Map<Long, Map<String, Object>>> rowsNow = new HashMap<>();
        for (Map.Entry<String, List<Change>> e : unresolved.entrySet()) {
            Mapping mapping = mappings.byTable(e.getKey()).orElseThrow();
            Set<Long> ids = e.getValue().stream().map(Change::recordId).collect(Collectors.toSet());
            Map<Long, String> found = new HashMap<>(claims.learntSfids(e.getKey(), ids));
            Map<Long, Map<String, Object>> current = currentRows(mapping, ids);
            current.forEach((id, row) -> {
                Object sfid = row.remove("sfid");
                if (sfid != null) {
                    found.put(id, sfid.toString());
                }
            });
            sfids.put(e.getKey(), found);
            rowsNow.put(e.getKey(), current);
        }
        List<Change> completed = new ArrayList<>(changes.size());
        for (Change ch : changes) {
            if (ch.sfid() != null || ch.action() == Action.INSERT) {
                completed.add(ch);
                continue;
            }
            String sfid = sfids.get(ch.table()).get(ch.recordId());
            Map<String, Object> row = merged && sfid == null && ch.action() == Action.UPDATE ? rowsNow.get(ch.table()).get(ch.recordId()) : null;
            completed.add(new Change(ch.logId(), ch.table(), ch.object(), ch.action(), ch.recordId(), sfid, ch.values(),
                    row == null ? null : Collections.unmodifiableMap(row), ch.sent(), ch.bulkJobId(), ch.txid()));
        }
        return completed;
    }

    /**
     * The mapped columns of each record as it is now, plus its sfid, in the capture's JSON form.
     * (On a connection of its own, taken only for this: the engine has one.)
     */
    private Map<Long, Map<String, Object>> currentRows(Mapping mapping, Set<Long> ids) throws SQLException {
        Set<String> keep = new HashSet<>(mapping.capturedColumns());
        keep.add("sfid");
        Map<Long, Map<String, Object>> result = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT t.id, to_jsonb(t)::text FROM " + qualified(schema, mapping.table())
                + " AS t WHERE t.id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("integer", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>(json(rs.getString(2)));
                    row.keySet().retainAll(keep);
                    result.put(rs.getLong(1), row);
                }
            }
        }
        return result;
    }

    /** The captured columns' types, which the original's hstore text needs to be read as pgforce's JSON is. */
    private Map<String, PgType> capturedTypes(Mapping mapping) {
        return capturedTypes.computeIfAbsent(mapping.table(), t -> mapping.capturedTypes());
    }

    /**
     * A change pgforce cannot read (a hand-edited values, say) fails alone, as a record Salesforce
     * refused would: FAILED with what is wrong, listed among the write errors, and its row says so.
     */
    private static Settlement unreadable(long logId, String table, long recordId, Action action, String reason) {
        String message = "Unreadable change: " + reason + "; not sent: correct the trigger-log row's values and set it back to NEW, or ignore it";
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("operation", action.name());
        error.put("source", "PGFORCE");
        error.put("statusCode", "INVALID_VALUE");
        error.put("message", message);
        error.put("fields", List.of());
        try {
            return Settlement.failed(logId, table, recordId, List.of(), message, JSON.writeValueAsString(error), action == Action.DELETE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is JSON", e);
        }
    }

    private static Map<String, Object> json(Object text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return Collections.unmodifiableMap(JSON.readValue(text.toString(), MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable row: " + text, e);
        }
    }
}
