package io.pgforce.triggerlog;

import io.pgforce.config.ClaimSettings;
import static io.pgforce.config.Identifiers.literal;

import io.pgforce.config.MappingSet;
import io.pgforce.config.SqlTemplates;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Claiming changes, what a cycle does before it writes: PENDING rows a crash left go back to NEW
 * (reclaim), changes behind a failed insert are held with a note, NEW changes become PENDING
 * (claim); and what loading the claimed rows reads (the sfids earlier changes learnt). Each
 * transition is fenced on the writer lease (see {@link FencedLog}).
 */
@ApplicationScoped
@Unremovable
@Named("claims")
public class Claims {

    private static final SqlTemplates SQL = SqlTemplates.load("schema/trigger-log-claims.sql");
    private static final String HELD_PREFIX = "Not sent: waiting for the failed INSERT (trigger log id ";
    private static final String HELD_SUFFIX = ") of this record. Fix it and set that row's state to NEW; this change follows it.";
    private static final String NEVER_INSERTED_PREFIX = "Nothing to send: the record never reached Salesforce (its INSERT, trigger log id ";
    private static final String NEVER_INSERTED_SUFFIX = ", failed) and its row is deleted";

    private final FencedLog log;
    private final boolean ordered;
    /** Commit-consistent claiming: how long a change waits for an older transaction still open; null: it does not. */
    private final Duration commitWait;
    private final String claim;
    private final String keptBack;
    private final String reclaim;
    private final String neverInserted;
    private final String hold;
    private final List<String> learntSfids;

    @Inject
    Claims(FencedLog log, MappingSet mappings,
           ClaimSettings claim) {
        this(log, "ORDERED".equals(mappings.connection().writeAlgorithm().name()), claim.commitConsistent() ? claim.maxWait() : null);
    }

    Claims(FencedLog log, boolean ordered, Duration commitWait) {
        this.log = log;
        this.ordered = ordered;
        this.commitWait = commitWait;
        Map<String, String> held = Map.of("held", ordered ? log.sql(SQL, "held-back") : "");
        this.claim = log.sql(SQL, commitWait == null ? "claim" : "claim-commit-consistent", held);
        this.keptBack = log.sql(SQL, "kept-back");
        this.reclaim = log.sql(SQL, "reclaim");
        this.neverInserted = log.sql(SQL, "never-inserted", Map.of("neverInserted", note(NEVER_INSERTED_PREFIX, NEVER_INSERTED_SUFFIX)));
        this.hold = log.sql(SQL, "hold", Map.of("heldNote", note(HELD_PREFIX, HELD_SUFFIX)));
        this.learntSfids = List.of(log.sql(SQL, "learnt-sfids", Map.of("from", log.archiveTable())),
                log.sql(SQL, "learnt-sfids", Map.of("from", log.liveTable())));
    }

    private String note(String prefix, String suffix) {
        return log.sql(SQL, "note", Map.of("prefix", literal(prefix), "suffix", literal(suffix)));
    }

    /** The sf_message of a change of a deleted row whose insert, this trigger-log id, failed. */
    public static String neverInsertedNote(long failedInsertId) {
        return NEVER_INSERTED_PREFIX + failedInsertId + NEVER_INSERTED_SUFFIX;
    }

    /** The sf_message of a change held behind the failed insert with this trigger-log id. */
    public static String heldNote(long failedInsertId) {
        return HELD_PREFIX + failedInsertId + HELD_SUFFIX;
    }

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
        try (Connection c = log.connection(); PreparedStatement ps = c.prepareStatement(claim)) {
            int i = 1;
            if (commitWait != null) {
                ps.setDouble(i++, commitWait.toMillis() / 1000.0);
            }
            ps.setInt(i++, limit);
            ps.setString(i, log.owner());
            try (ResultSet rs = ps.executeQuery()) {
                List<ClaimedChange> claimed = new ArrayList<>();
                while (rs.next()) {
                    claimed.add(new ClaimedChange(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6),
                            rs.getBoolean(7), rs.getBoolean(8), rs.getString(9), rs.getBoolean(10), rs.getLong(11)));
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
        String sql = log.sql(SQL, "analyze", Map.of("tables", tables.stream().map(t -> ", " + log.table(t)).collect(Collectors.joining())));
        try (Connection c = log.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }

    /** Whether NEW rows wait for an older transaction still open (see {@link #claim}): its end may notify nobody, so look again. */
    public boolean keptBackByOpenTransactions() throws SQLException {
        if (commitWait == null) {
            return false;
        }
        try (Connection c = log.connection(); PreparedStatement ps = c.prepareStatement(keptBack); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Cycles never overlap, so a PENDING row at the start of a cycle was left by a writer that
     * crashed or a cycle that failed: it goes back to NEW, keeping its place and its sent_at.
     */
    public int reclaim() throws SQLException {
        return log.update(reclaim);
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
        log.update(neverInserted);
        return log.update(hold);
    }

    /** The sfid an earlier successful change of each record recorded (the record itself may be deleted since). */
    public Map<Long, String> learntSfids(String table, Set<Long> recordIds) throws SQLException {
        Map<Long, String> result = new HashMap<>();
        try (Connection c = log.connection()) {
            // the archive first: the live log's newer rows win
            for (String sql : learntSfids) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
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
}
