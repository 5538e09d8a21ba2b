package io.pgforce.read;

import static io.pgforce.config.Identifiers.literal;
import static io.pgforce.config.Identifiers.qualified;
import static io.pgforce.config.Identifiers.quote;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.config.SqlTemplates;
import io.pgforce.route.PgforceConstants;
import io.pgforce.triggerlog.InstanceId;
import io.pgforce.triggerlog.TriggerLogState;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.jboss.logging.Logger;

/**
 * Applies one page of a read (a REST query answer, as camel-salesforce hands it over raw) to its
 * mapping table, in one transaction with the new watermark, so that a read interrupted at any
 * point goes on from the last page applied. A deleted record removes its row; any other record
 * updates the row with its sfid, or else the row pgforce wrote whose sfid is not back yet and whose
 * unique identifier is the record's, or else becomes a new row. A row with a change not yet written
 * (or written since the read's query was sent) keeps its values. A value that does not fit its
 * column fails its record alone, with one line. The statements are schema/read-apply.sql.
 */
@ApplicationScoped
@Unremovable
@Named("pageApply")
public class PageApply {

    private static final Logger LOG = Logger.getLogger(PageApply.class);
    /** camel-salesforce hands a Bulk query results page's response headers on as message headers. */
    static final String BULK_LOCATOR = "Sforce-Locator";
    private static final SqlTemplates SQL = SqlTemplates.load("schema/read-apply.sql");
    private static final SqlTemplates LEASE = SqlTemplates.load("schema/trigger-log.sql");
    /** Numbers as they came: a double would cut a numeric(18,2) beyond 15 digits. */
    /** How far Salesforce's clock may run behind the database's: a record stamped up to this before an insert was sent may be its. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final DataSource dataSource;
    private final ReadStates states;
    private final String schema;
    private final String owner;
    private final String lease;
    /** Per mapping table: its columns and its statements, read from the catalog once. */
    private final Map<String, Statements> statements = new ConcurrentHashMap<>();
    /**
     * The records that failed, by table and Id, with their SystemModstamp: the overlap reads a
     * record again, and one that failed as it is now is not reported (nor counted) twice.
     */
    private final Map<String, Instant> failedRecords = new ConcurrentHashMap<>();

    @Inject
    PageApply(@Named("pgforceDataSource") DataSource dataSource, ReadStates states, MappingSet mappings, InstanceId instance) {
        this(dataSource, states, mappings.connection().schema(), instance.value());
    }

    PageApply(DataSource dataSource, ReadStates states, String schema, String owner) {
        this.dataSource = dataSource;
        this.states = states;
        this.schema = schema;
        this.owner = owner;
        this.lease = LEASE.fill("lease", Map.of("writer", qualified(schema, "_hc_writer")));
    }

    /** Applies the page in the body and moves the read on to the next one. */
    public void apply(@Body InputStream page, @ExchangeProperty(PgforceConstants.READ) ReadRun run) throws IOException, SQLException {
        JsonNode answer = JSON.readTree(page);
        Outcome outcome = applyWith(run, answer.path("records"), c -> { });
        JsonNode next = answer.path("nextRecordsUrl");
        run.pageApplied(next.isTextual() ? next.asText() : null, answer.path("done").asBoolean(true), outcome.applied(), outcome.failed());
    }

    /**
     * Applies a page of a Bulk query job's results (its records as the REST API's, see
     * BulkResultRecords) with the locator of the page after it, in the same transaction: a load
     * interrupted goes on from the next page of the same job.
     */
    public void applyBulk(@Body JsonNode records, @Header(BULK_LOCATOR) String next, @ExchangeProperty(PgforceConstants.READ) ReadRun run)
            throws SQLException {
        Outcome outcome = applyWith(run, records, c -> states.locatorApplied(c, run.mapping(), next));
        run.bulkPageApplied(next, outcome.applied(), outcome.failed());
    }

    /** What else a page's transaction records. */
    private interface AlsoApplied {
        void record(Connection c) throws SQLException;
    }

    private Outcome applyWith(ReadRun run, JsonNode records, AlsoApplied also) throws SQLException {
        Mapping m = run.mapping();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                fence(c, m);
                Outcome outcome = apply(c, statementsFor(c, m), records, run);
                states.pageApplied(c, m, run.watermark(outcome.newest()), outcome.applied(), outcome.failed());
                also.record(c);
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** What a page did: rows written, records failed, the newest SystemModstamp on it (null: none). */
    private record Outcome(long applied, long failed, Instant newest) {
    }

    /** A locked row a record may land on. */
    private record Row(int id, String sfid, String unique) {
    }

    private void fence(Connection c, Mapping m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lease)) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotTheWriterException(m.table());
                }
            }
        }
    }

    private Outcome apply(Connection c, Statements s, JsonNode records, ReadRun run) throws SQLException {
        Instant readStarted = run.startedAt();
        Instant newest = null;
        long failed = 0;
        List<ReadColumns.Incoming> incoming = new ArrayList<>();
        for (JsonNode record : records) {
            try {
                ReadColumns.Incoming r = s.columns().convert(record);
                incoming.add(r);
                newest = later(newest, r.systemModstamp());
            } catch (ColumnType.Refused e) {
                // a record that fails still moves the watermark on, when its stamp can be read
                Instant stamp = stampOf(record);
                newest = later(newest, stamp);
                failed += notApplied(s.mapping(), record.path("Id").asText("(no Id)"), stamp, e.getMessage());
            }
        }
        Map<String, Row> bySfid = new HashMap<>();
        Map<String, Row> byUnique = new HashMap<>();
        lock(c, s, incoming, bySfid, byUnique);
        Set<Integer> heldRows = new HashSet<>();
        Set<String> heldRecords = new HashSet<>();
        held(c, s, bySfid, byUnique, incoming, readStarted, heldRows, heldRecords);
        Instant insertsSentSince = s.mapping().uniqueIdentifier() == null ? insertsInFlight(c, s) : null;

        List<Integer> deletes = new ArrayList<>();
        List<Integer> updateIds = new ArrayList<>();
        List<ReadColumns.Incoming> updates = new ArrayList<>();
        List<ReadColumns.Incoming> inserts = new ArrayList<>();
        Set<String> claimed = new HashSet<>();
        for (ReadColumns.Incoming r : incoming) {
            Row target = bySfid.get(r.sfid());
            if (r.deleted()) {
                if (target != null && !heldRows.contains(target.id())) {
                    deletes.add(target.id());
                }
                continue;
            }
            Row holder = r.uniqueValue() == null ? null : byUnique.get(r.uniqueValue());
            if (target == null && holder != null && holder.sfid() == null) {
                target = holder; // written by pgforce, its sfid not back yet: no second row
            }
            if (target != null && heldRows.contains(target.id()) || heldRecords.contains(r.sfid())) {
                continue; // its change is written first; a later read brings the record's state
            }
            if (r.uniqueValue() != null && (holder != null && holder != target || !claimed.add(r.uniqueValue()))) {
                failed += notApplied(s.mapping(), r.sfid(), r.systemModstamp(), "its " + s.mapping().uniqueIdentifier() + " '" + r.uniqueValue() + "' is "
                        + (holder != null && holder != target ? "held by row id " + holder.id() + " (sfid " + holder.sfid() + ")" : "another record's on this page"));
                continue;
            }
            if (target != null) {
                updateIds.add(target.id());
                updates.add(r);
            } else if (insertsSentSince != null && r.systemModstamp() != null && !r.systemModstamp().isBefore(insertsSentSince.minus(CLOCK_SKEW))) {
                // perhaps the record a sent insert created, its Id not back yet: a second row is what the original makes here
                LOG.debugf("Read of %s %s: held back while an insert sent at %s awaits its Id", s.mapping().object(), r.sfid(), insertsSentSince);
                run.heldBack(r.systemModstamp());
            } else {
                inserts.add(r);
            }
        }
        long applied = delete(c, s, deletes) + update(c, s, updateIds, updates) + insert(c, s, inserts);
        if (newest != null) {
            // no read goes back further than the longest overlap, an hour
            Instant forgotten = newest.minus(Duration.ofHours(1));
            failedRecords.values().removeIf(stamp -> stamp.isBefore(forgotten));
        }
        return new Outcome(applied, failed, newest);
    }

    /** One line for a record that is not applied, and 1 to count; 0 when the same record, unchanged, failed before. */
    private int notApplied(Mapping m, String id, Instant stamp, String why) {
        if (stamp != null && stamp.equals(failedRecords.put(m.table() + "/" + id, stamp))) {
            LOG.debugf("Read of %s %s: read again unchanged, still not applied: %s", m.object(), id, why);
            return 0;
        }
        LOG.warnf("Read of %s %s: %s; the record is not applied", m.object(), id, why);
        return 1;
    }

    private static Instant later(Instant newest, Instant stamp) {
        return newest == null || stamp != null && stamp.isAfter(newest) ? stamp : newest;
    }

    /** A refused record's SystemModstamp, or null when it has none that reads (its record fails, and says why). */
    private static Instant stampOf(JsonNode record) {
        try {
            return ColumnType.instant(record.path("SystemModstamp").asText(""));
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static void lock(Connection c, Statements s, List<ReadColumns.Incoming> incoming, Map<String, Row> bySfid, Map<String, Row> byUnique)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.lock())) {
            ps.setArray(1, texts(c, incoming.stream().map(ReadColumns.Incoming::sfid).toList()));
            ps.setArray(2, texts(c, incoming.stream().map(ReadColumns.Incoming::uniqueValue).filter(u -> u != null).toList()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = new Row(rs.getInt(1), rs.getString(2), rs.getString(3));
                    if (row.sfid() != null) {
                        bySfid.put(row.sfid(), row);
                    }
                    if (row.unique() != null) {
                        byUnique.put(row.unique(), row);
                    }
                }
            }
        }
    }

    private static void held(Connection c, Statements s, Map<String, Row> bySfid, Map<String, Row> byUnique, List<ReadColumns.Incoming> incoming,
                             Instant readStarted, Set<Integer> heldRows, Set<String> heldRecords) throws SQLException {
        Set<Integer> rows = new HashSet<>();
        bySfid.values().forEach(r -> rows.add(r.id()));
        byUnique.values().forEach(r -> rows.add(r.id()));
        try (PreparedStatement ps = c.prepareStatement(s.held())) {
            ps.setArray(1, c.createArrayOf("integer", rows.toArray()));
            ps.setObject(2, readStarted.atOffset(ZoneOffset.UTC));
            java.sql.Array sfids = texts(c, incoming.stream().map(ReadColumns.Incoming::sfid).toList());
            ps.setArray(3, sfids);
            ps.setArray(4, sfids);
            ps.setObject(5, readStarted.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int row = rs.getInt(1);
                    if (!rs.wasNull()) {
                        heldRows.add(row);
                    }
                    String sfid = rs.getString(2);
                    if (sfid != null) {
                        heldRecords.add(sfid);
                    }
                }
            }
        }
    }

    /** The earliest send of an insert of the table still waiting for its Id, or null when none is. */
    private static Instant insertsInFlight(Connection c, Statements s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.insertsInFlight()); ResultSet rs = ps.executeQuery()) {
            rs.next();
            OffsetDateTime sent = rs.getObject(1, OffsetDateTime.class);
            return sent == null ? null : sent.toInstant();
        }
    }

    private static int delete(Connection c, Statements s, List<Integer> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(s.delete())) {
            ps.setArray(1, c.createArrayOf("integer", ids.toArray()));
            return ps.executeUpdate();
        }
    }

    private static int update(Connection c, Statements s, List<Integer> ids, List<ReadColumns.Incoming> records) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(s.update())) {
            ps.setArray(1, c.createArrayOf("integer", ids.toArray()));
            bindColumns(c, ps, 2, s, records);
            return ps.executeUpdate();
        }
    }

    /** New rows; a record whose sfid or unique identifier a concurrent transaction wrote meanwhile is left to a later read. */
    private static int insert(Connection c, Statements s, List<ReadColumns.Incoming> records) throws SQLException {
        if (records.isEmpty()) {
            return 0;
        }
        int inserted = 0;
        try (PreparedStatement ps = c.prepareStatement(s.insert())) {
            bindColumns(c, ps, 1, s, records);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted++;
                }
            }
        }
        if (inserted < records.size()) {
            LOG.debugf("Read of %s: %d record(s) not inserted, their row written meanwhile", s.mapping().object(), records.size() - inserted);
        }
        return inserted;
    }

    /** One text array a column, from parameter {@code first} on. */
    private static void bindColumns(Connection c, PreparedStatement ps, int first, Statements s, List<ReadColumns.Incoming> records) throws SQLException {
        for (int col = 0; col < s.columns().columns().size(); col++) {
            int i = col;
            ps.setArray(first + col, texts(c, records.stream().map(r -> r.values()[i]).toList()));
        }
    }

    private static Array texts(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    private Statements statementsFor(Connection c, Mapping m) throws SQLException {
        Statements s = statements.get(m.table());
        if (s == null) {
            s = Statements.of(m, schema, columnTypes(c, m));
            statements.put(m.table(), s);
        }
        return s;
    }

    private Map<String, String> columnTypes(Connection c, Mapping m) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SQL.fill("columns", Map.of()))) {
            ps.setString(1, qualified(schema, m.table()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return types;
    }

    private static String joined(List<Map<String, String>> pieces, Function<Map<String, String>, String> piece) {
        return pieces.stream().map(piece).collect(Collectors.joining(", "));
    }

    /** A mapping table's columns and the apply's statements for it, filled once. */
    private record Statements(Mapping mapping, ReadColumns columns, String lock, String held, String insertsInFlight, String delete, String update,
                              String insert) {

        static Statements of(Mapping m, String schema, Map<String, String> types) {
            ReadColumns columns = ReadColumns.of(m, types);
            ReadColumns.Column unique = columns.unique();
            Map<String, String> v = new HashMap<>(ReadStates.tableValues(schema, m));
            v.put("log", qualified(schema, "_trigger_log"));
            v.put("queued", TriggerLogState.QUEUED.stream().map(q -> literal(q.name())).sorted().collect(Collectors.joining(", ")));
            v.put("unique", unique == null ? "NULL" : "r." + quote(unique.column()));
            v.put("uniqueType", unique == null ? "text" : unique.type().sql());
            // per column: its name quoted, its alias in v, its type
            List<Map<String, String>> pieces = IntStream.range(0, columns.columns().size()).mapToObj(i -> Map.of(
                    "column", quote(columns.columns().get(i).column()), "alias", "c" + i, "type", columns.columns().get(i).type().sql())).toList();
            v.put("arrays", joined(pieces, p -> "?::text[]"));
            v.put("names", joined(pieces, p -> p.get("alias")));
            v.put("columns", joined(pieces, p -> p.get("column")));
            v.put("assignments", joined(pieces, p -> SQL.fill("assignment", p)));
            v.put("current", joined(pieces, p -> SQL.fill("current", p)));
            v.put("incoming", joined(pieces, p -> SQL.fill("incoming", p)));
            return new Statements(m, columns, SQL.fill("lock-rows", v), SQL.fill("held", v), SQL.fill("inserts-in-flight", v), SQL.fill("delete-rows", v),
                    SQL.fill("update-rows", v), SQL.fill("insert-rows", v));
        }
    }
}
