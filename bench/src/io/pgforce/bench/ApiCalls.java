package io.pgforce.bench;

import io.pgforce.simulator.CallLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Salesforce calls a drain made, from the simulator's call log, and the fewest it could have
 * made for the net changes (a record inserted then updated is one insert, inserted then deleted is
 * nothing): ceil(records / 200) SOAP calls per action, or ceil(records / 10,000) Bulk jobs per
 * object and action. SOAP is per action, not per object: one message carries up to 200 records of
 * up to 10 objects, so a bound per object and action would be beaten (Merged Writes does).
 *
 * @param soap          SOAP write calls by operation (upsert, update, delete, create)
 * @param soapRecords   records those calls carried
 * @param bulkJobs      Bulk API 2.0 jobs created
 * @param bulkRecords   records the jobs processed
 * @param soapBound     the fewest SOAP calls that carry every net change
 * @param bulkJobBound  the fewest Bulk jobs that carry them
 * @param graphCalls    Composite Graph payloads (atomic_transactions)
 */
record ApiCalls(Map<String, Long> soap, long soapRecords, long bulkJobs, long bulkRecords, long soapBound, long bulkJobBound, long graphCalls) {

    private static final List<String> SOAP_WRITES = List.of("create", "update", "upsert", "delete");

    long soapCalls() {
        return soap.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code 50 SOAP (upsert 50)}, {@code 10 Bulk jobs + 2 SOAP (update 2)}. */
    String summary() {
        String s = soapCalls() + " SOAP" + (soap.isEmpty() ? "" : " " + soap.toString().replace('=', ' ').replace("{", "(").replace("}", ")"));
        if (graphCalls > 0) {
            return graphCalls + " Composite Graph" + (soap.isEmpty() ? "" : " + " + s);
        }
        return bulkJobs == 0 ? s : bulkJobs + " Bulk job" + (bulkJobs == 1 ? "" : "s") + (soap.isEmpty() ? "" : " + " + s);
    }

    /** The bound in the unit pgforce used: Bulk jobs when it used Bulk, else SOAP calls. */
    String boundSummary() {
        return bulkJobs > 0 ? bulkJobBound + " Bulk job" + (bulkJobBound == 1 ? "" : "s") : soapBound + " SOAP";
    }

    /** Calls made over the bound (1.0: as few as possible), in the unit pgforce used. */
    double overBound() {
        return bulkJobs > 0 ? (double) (bulkJobs + soapCalls()) / Math.max(1, bulkJobBound) : (double) (soapCalls() + graphCalls) / Math.max(1, soapBound);
    }

    /** The calls in the simulator's log now, against the bound {@link Bound#of} computed before the drain. */
    static ApiCalls of(CallLog log, Bound bound) {
        Map<String, Long> soap = new TreeMap<>();
        long soapRecords = 0;
        long jobs = 0;
        long bulkRecords = 0;
        long graphs = 0;
        for (CallLog.Call c : log.calls()) {
            if (c.api().equals("SOAP") && SOAP_WRITES.contains(c.operation())) {
                soap.merge(c.operation(), 1L, Long::sum);
                soapRecords += c.records();
            } else if (c.api().equals("BULK") && c.operation().equals("createJob")) {
                jobs++;
            } else if (c.api().equals("BULK") && c.operation().startsWith("ingest:")) {
                bulkRecords += c.records();
            } else if (c.api().equals("GRAPH")) {
                graphs++;
            }
        }
        return new ApiCalls(soap, soapRecords, jobs, bulkRecords, bound.soap(), bound.bulkJobs(), graphs);
    }

    /** The fewest calls for the changes waiting after {@code fromId}, read before they are drained. */
    record Bound(long soap, long bulkJobs) {

        static Bound of(Connection db, long fromId) throws SQLException {
            String sql = """
                    WITH per_record AS (
                      SELECT table_name, (array_agg(action ORDER BY id))[1] AS first, (array_agg(action ORDER BY id DESC))[1] AS last
                        FROM salesforce._trigger_log WHERE id > ? AND state = 'NEW' GROUP BY table_name, record_id),
                    net AS (
                      SELECT table_name, CASE WHEN first = 'INSERT' AND last = 'DELETE' THEN NULL WHEN first = 'INSERT' THEN 'INSERT'
                                              WHEN last = 'DELETE' THEN 'DELETE' ELSE 'UPDATE' END AS action FROM per_record)
                    SELECT (SELECT COALESCE(sum(ceil(n / 200.0)), 0) FROM (SELECT count(*) AS n FROM net WHERE action IS NOT NULL GROUP BY action) AS a),
                           (SELECT COALESCE(sum(ceil(n / 10000.0)), 0) FROM (SELECT count(*) AS n FROM net WHERE action IS NOT NULL GROUP BY table_name, action) AS o)""";
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                ps.setLong(1, fromId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Bound(rs.getLong(1), rs.getLong(2));
                }
            }
        }
    }
}
