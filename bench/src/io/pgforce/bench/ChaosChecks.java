package io.pgforce.bench;

import io.pgforce.testing.process.SimulatorProcess;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * After the drain: the trigger log only holds finished states, and Salesforce holds exactly what
 * PostgreSQL holds, row by row (by sfid), field by field, with nothing lost, duplicated or orphaned.
 * Every finding is counted and a few of each kind are described, with their trigger-log history.
 */
final class ChaosChecks {

    static final int EXAMPLES = 5;
    private static final Set<String> FINISHED = Set.of("SUCCESS", "MERGED", "IGNORE", "IGNORED");
    private static final String BOTH_LOGS = "(SELECT * FROM salesforce._trigger_log UNION ALL SELECT * FROM salesforce._trigger_log_archive) l";

    /**
     * What the reads left, against what Salesforce holds: records with no row (lost), rows with no
     * live record or a second row of one (stale), values that differ (mismatched).
     */
    record Reads(int records, int lost, int stale, int mismatched) {

        boolean clean() {
            return lost == 0 && stale == 0 && mismatched == 0;
        }

        @Override
        public String toString() {
            return String.format("reads: records=%d lost=%d stale=%d mismatched=%d", records, lost, stale, mismatched);
        }
    }

    long changes;
    Reads reads;
    Map<String, Long> states = new TreeMap<>();
    int lost;
    int duplicated;
    int orphans;
    int mismatched;
    int failed;
    int unfinished;
    final List<String> details = new ArrayList<>();
    private final Map<String, Integer> examples = new HashMap<>();

    private final Connection db;
    private final SimulatorProcess sf;

    private ChaosChecks(Connection db, SimulatorProcess sf) {
        this.db = db;
        this.sf = sf;
    }

    static ChaosChecks run(Connection db, SimulatorProcess sf) throws SQLException {
        ChaosChecks c = new ChaosChecks(db, sf);
        c.triggerLog();
        c.compare("Account", "account",
                "SELECT id, sfid, external_id__c, name AS \"Name\", numberofemployees AS \"NumberOfEmployees\", description AS \"Description\", "
                        + "external_id__c AS \"External_Id__c\" FROM salesforce.account",
                List.of("Name", "NumberOfEmployees", "Description", "External_Id__c"));
        c.compare("Contact", "contact",
                "SELECT c.id, c.sfid, c.external_id__c, c.lastname AS \"LastName\", c.email AS \"Email\", c.external_id__c AS \"External_Id__c\", "
                        + "a.sfid AS \"AccountId\", c.account__r__external_id__c AS parent FROM salesforce.contact c "
                        + "LEFT JOIN salesforce.account a ON a.external_id__c = c.account__r__external_id__c",
                List.of("LastName", "Email", "External_Id__c", "AccountId"));
        c.reads();
        return c;
    }

    /**
     * Opportunity (read_only: only the other Salesforce user changes it) row by row and field by
     * field, and the Website of every Account (only Salesforce changes it).
     */
    private void reads() throws SQLException {
        int records = 0;
        int lostRecords = 0;
        int stale = 0;
        int mismatchedValues = 0;
        Map<String, Map<String, Object>> live = byId(sf.records("Opportunity"));
        Set<String> seen = new HashSet<>();
        List<String> fields = List.of("Name", "StageName", "CloseDate", "Amount", "External_Id__c");
        for (Map<String, Object> row : query("SELECT id, sfid, name AS \"Name\", stagename AS \"StageName\", closedate AS \"CloseDate\", "
                + "amount AS \"Amount\", external_id__c AS \"External_Id__c\" FROM salesforce.opportunity")) {
            String sfid = (String) row.get("sfid");
            Map<String, Object> record = live.get(sfid);
            if (record == null || !seen.add(sfid)) {
                stale++;
                example("stale", "Opportunity row " + row.get("id") + " (sfid " + sfid + ") " + (record == null ? "has no live record" : "is a second row of it"),
                        "opportunity", null);
                continue;
            }
            mismatchedValues += differ("Opportunity", sfid, row, record, fields);
        }
        for (String id : live.keySet()) {
            records++;
            if (!seen.contains(id)) {
                lostRecords++;
                example("read lost", "Opportunity " + id + " " + live.get(id) + " has no row", "opportunity", null);
            }
        }
        Map<String, Map<String, Object>> accounts = byId(sf.records("Account"));
        for (Map<String, Object> row : query("SELECT sfid, website AS \"Website\" FROM salesforce.account WHERE sfid IS NOT NULL")) {
            Map<String, Object> record = accounts.get((String) row.get("sfid"));
            if (record != null) {
                records++;
                mismatchedValues += differ("Account", (String) row.get("sfid"), row, record, List.of("Website"));
            }
        }
        reads = new Reads(records, lostRecords, stale, mismatchedValues);
    }

    /** 1 when the row's values differ from the record's (described), else 0. */
    private int differ(String object, String sfid, Map<String, Object> row, Map<String, Object> record, List<String> fields) throws SQLException {
        List<String> differences = new ArrayList<>();
        for (String f : fields) {
            Object pg = row.get(f) instanceof java.sql.Date d ? d.toString() : row.get(f);
            if (!same(pg, field(record, f))) {
                differences.add(f + " pg=" + quoted(pg) + " sf=" + quoted(field(record, f)));
            }
        }
        if (differences.isEmpty()) {
            return 0;
        }
        example("read mismatched", object + " " + sfid + ": " + String.join(", ", differences), object.toLowerCase(Locale.ROOT), null);
        return 1;
    }

    private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> records) {
        Map<String, Map<String, Object>> byId = new HashMap<>();
        records.forEach(r -> byId.put((String) field(r, "Id"), r));
        return byId;
    }

    boolean passed() {
        return lost == 0 && duplicated == 0 && orphans == 0 && mismatched == 0 && failed == 0 && unfinished == 0 && reads.clean();
    }

    private void triggerLog() throws SQLException {
        for (Map<String, Object> r : query("SELECT state, count(*) AS n FROM " + BOTH_LOGS + " GROUP BY state")) {
            long n = ((Number) r.get("n")).longValue();
            states.put((String) r.get("state"), n);
            changes += n;
            String state = (String) r.get("state");
            if (state.equals("FAILED")) {
                failed += (int) n;
            } else if (!FINISHED.contains(state)) {
                unfinished += (int) n;
            }
        }
        if (failed > 0) {
            // the workload only writes valid data: Salesforce has no reason to reject any of it
            details.add("FAILED changes (the workload only writes valid rows, so none is expected), by message:");
            for (Map<String, Object> r : query("SELECT action, table_name, coalesce(sf_message, '(no message)') AS m, count(*) AS n, min(id) AS first_id FROM "
                    + BOTH_LOGS + " WHERE state = 'FAILED' GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT 10")) {
                details.add("  " + r.get("n") + " x " + r.get("action") + " " + r.get("table_name") + ": " + shorten(r.get("m")) + " (first: id " + r.get("first_id") + ")");
            }
            for (Map<String, Object> r : query("SELECT table_name, record_id FROM " + BOTH_LOGS + " WHERE state = 'FAILED' ORDER BY id LIMIT 2")) {
                history("  history of " + r.get("table_name") + " row " + r.get("record_id"), (String) r.get("table_name"), ((Number) r.get("record_id")).intValue());
            }
        }
        if (unfinished > 0) {
            details.add("Unfinished changes (states other than SUCCESS/MERGED/IGNORE/IGNORED/FAILED): " + states);
            for (Map<String, Object> r : query("SELECT id, state, action, table_name, record_id, sfid, updated_at, sf_message FROM " + BOTH_LOGS
                    + " WHERE state NOT IN ('SUCCESS', 'MERGED', 'IGNORE', 'IGNORED', 'FAILED') ORDER BY id LIMIT " + EXAMPLES)) {
                details.add("  " + row(r));
            }
        }
    }

    /** Salesforce's live records of the object against the table, by sfid. */
    private void compare(String object, String table, String sql, List<String> fields) throws SQLException {
        List<Map<String, Object>> rows = query(sql);
        List<Map<String, Object>> records = sf.records(object);
        Map<String, Map<String, Object>> byId = new HashMap<>();
        Map<String, List<Map<String, Object>>> byExternalId = new HashMap<>();
        for (Map<String, Object> r : records) {
            byId.put((String) field(r, "Id"), r);
            Object ext = field(r, "External_Id__c");
            byExternalId.computeIfAbsent(ext == null ? null : ext.toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(r);
        }
        Set<String> sfids = new HashSet<>();
        for (Map<String, Object> row : rows) {
            String sfid = (String) row.get("sfid");
            if (sfid == null) {
                lost++;
                example("lost", object + " " + row.get("external_id__c") + " (row " + row.get("id") + ") has no sfid", table, row);
                continue;
            }
            sfids.add(sfid);
            Map<String, Object> record = byId.get(sfid);
            if (record == null) {
                lost++;
                example("lost", object + " " + row.get("external_id__c") + " (row " + row.get("id") + ", sfid " + sfid + ") has no live record in Salesforce", table, row);
                continue;
            }
            List<String> differences = new ArrayList<>();
            for (String f : fields) {
                if (f.equals("AccountId") && row.get("parent") != null && row.get("AccountId") == null) {
                    differences.add("parent " + row.get("parent") + " has no sfid in Postgres");
                    continue;
                }
                if (!same(row.get(f), field(record, f))) {
                    differences.add(f + " pg=" + quoted(row.get(f)) + " sf=" + quoted(field(record, f)));
                }
            }
            if (!differences.isEmpty()) {
                mismatched++;
                example("mismatched", object + " " + row.get("external_id__c") + " (row " + row.get("id") + ", " + sfid + "): " + String.join(", ", differences), table, row);
            }
        }
        for (Map.Entry<String, List<Map<String, Object>>> e : byExternalId.entrySet()) {
            if (e.getKey() != null && e.getValue().size() > 1) {
                duplicated += e.getValue().size() - 1;
                example("duplicated", object + " External_Id__c " + e.getKey() + " has " + e.getValue().size() + " live records: "
                        + e.getValue().stream().map(r -> (String) field(r, "Id")).toList(), table, null);
            }
        }
        for (Map<String, Object> r : records) {
            String id = (String) field(r, "Id");
            if (!sfids.contains(id)) {
                Object ext = field(r, "External_Id__c");
                List<Map<String, Object>> same = byExternalId.getOrDefault(ext == null ? null : ext.toString().toLowerCase(Locale.ROOT), List.of());
                if (same.size() > 1) {
                    continue; // counted as a duplicate
                }
                orphans++;
                List<Map<String, Object>> pg = query("SELECT id, sfid FROM salesforce." + table + " WHERE external_id__c = ?", ext);
                String where = pg.isEmpty() ? "its Postgres row is gone" : "Postgres row " + pg.get(0).get("id") + " has sfid " + pg.get(0).get("sfid");
                example("orphans", object + " " + id + " (External_Id__c " + ext + ", created " + field(r, "CreatedDate") + ", last modified "
                        + field(r, "LastModifiedDate") + ") is live in Salesforce but " + where, table, Map.of("external_id__c", String.valueOf(ext)));
            }
        }
    }

    /** Describes the first few findings of a kind, with the trigger-log history of the row. */
    private void example(String kind, String text, String table, Map<String, Object> row) throws SQLException {
        int n = examples.merge(kind, 1, Integer::sum);
        if (n > EXAMPLES) {
            return;
        }
        details.add(kind + ": " + text);
        if (row != null && n <= 2) {
            Object ext = row.get("external_id__c");
            List<Map<String, Object>> log = query("SELECT id, state, action, record_id, sfid, sf_message FROM " + BOTH_LOGS
                    + " WHERE table_name = ? AND (\"values\" ->> 'external_id__c' = ? OR old ->> 'external_id__c' = ?) ORDER BY id LIMIT 12", table, ext, ext);
            if (!log.isEmpty()) {
                Object recordId = log.get(0).get("record_id");
                log = query("SELECT id, state, action, record_id, sfid, sf_message FROM " + BOTH_LOGS + " WHERE table_name = ? AND record_id = ? ORDER BY id LIMIT 12",
                        table, recordId);
            }
            details.add("    trigger log: " + (log.isEmpty() ? "(no change of it)" : log.stream().map(ChaosChecks::row).toList()));
        }
    }

    private void history(String title, String table, int recordId) throws SQLException {
        details.add(title + ": " + query("SELECT id, state, action, sfid, sf_message FROM " + BOTH_LOGS + " WHERE table_name = ? AND record_id = ? ORDER BY id LIMIT 12",
                table, recordId).stream().map(ChaosChecks::row).toList());
    }

    /** Salesforce trims strings, stores numbers as doubles and JSON turns them into Double or Integer. */
    static boolean same(Object pg, Object sf) {
        if (pg instanceof Number a && sf instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return Objects.equals(pg == null ? null : pg.toString(), sf == null ? null : sf.toString());
    }

    private static Object field(Map<String, Object> record, String name) {
        if (record.containsKey(name)) {
            return record.get(name);
        }
        for (Map.Entry<String, Object> e : record.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String quoted(Object v) {
        return v == null ? "null" : v instanceof Number ? v.toString() : "'" + v + "'";
    }

    static String shorten(Object text) {
        String s = String.valueOf(text).replaceAll("\\s+", " ");
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    static String row(Map<String, Object> r) {
        StringBuilder b = new StringBuilder("{");
        r.forEach((k, v) -> {
            if (v != null) {
                b.append(b.length() > 1 ? " " : "").append(k).append('=').append(k.equals("sf_message") ? shorten(v) : v);
            }
        });
        return b.append('}').toString();
    }

    private List<Map<String, Object>> query(String sql, Object... params) throws SQLException {
        return query(db, sql, params);
    }

    static List<Map<String, Object>> query(Connection db, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> out = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        m.put(md.getColumnLabel(i), rs.getObject(i));
                    }
                    out.add(m);
                }
                return out;
            }
        }
    }
}
