package io.pgforce.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.RecordInput;
import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.simulator.SaveOutcome;
import io.pgforce.simulator.SimulatedOrg;
import io.pgforce.simulator.WriteOptions;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The read rows, on a pgforce of their own ({@link BenchSchema#readMapping()}, reading on, -Xmx256m):
 *
 * <ul>
 *   <li>READ-LOAD: N Accounts put straight into the simulator's org, then the mapping reloaded
 *       (pgforce paused meanwhile): the time from the load's first call (its COUNT) until the table holds N
 *       rows and its read is SYNCED, the calls it made, pgforce's peak heap and RSS; the reference point
 *       <em>sim alone</em> is the same Bulk API 2.0 query job (same query, same page size) created, polled
 *       and read page by page by a plain HTTP client, without Postgres.</li>
 *   <li>READ-LAG: Contacts updated over REST at a steady rate, each update one record in turn; the lag of
 *       each, from the client's acknowledgement of the update to the new value seen in Postgres (the table
 *       polled every {@value #SEEN_EVERY_MILLIS} ms), p50/p95/p99/max, with the mapping's poll interval.</li>
 * </ul>
 */
final class ReadRows {

    static final String LOAD_OBJECT = "Account";
    static final String LOAD_TABLE = "account";
    static final String LAG_OBJECT = "Contact";
    static final String LAG_TABLE = "contact";
    /** pgforce.read.bulk-page-size, which the read rig leaves at its default: sim alone reads pages of the same size. */
    static final int BULK_PAGE_SIZE = 10_000;
    static final int SEEN_EVERY_MILLIS = 20;
    private static final String API = "/services/data/v62.0/";

    private ReadRows() {
    }

    /** pgforce's first read of both mappings, on the empty org it started with, is behind it. */
    static void awaitFirstReads(Rig rig, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (synced(rig.db, LOAD_TABLE) && synced(rig.db, LAG_TABLE)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("pgforce did not read the empty mappings within " + timeout.toSeconds() + " s; see " + rig.engine.log());
    }

    private static boolean synced(Connection db, String table) throws SQLException {
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT phase FROM salesforce._pgforce_read_state WHERE table_name = '" + table + "' AND NOT reload_requested")) {
            return rs.next() && rs.getString(1).equals("SYNCED");
        } catch (SQLException notYet) {
            return false; // the schema is being installed
        }
    }

    // ------------------------------------------------------------------ READ-LOAD

    static Measurement load(Rig rig, int rows, Duration timeout) throws Exception {
        Bench.log("READ-LOAD %,d %s records into a read_only mapping, pgforce at -Xmx256m", rows, LOAD_OBJECT);
        Measurement m = measurement(rig, "READ-LOAD", String.format("initial load of %,d records, one object (%d fields), pgforce at -Xmx256m", rows,
                BenchSchema.READ_LOAD_FIELDS.size()));
        rig.engine.pause(); // no read while the org fills; the reload waits for the resume
        long seeding = System.nanoTime();
        seedAccounts(rig.sf.org(), rows);
        double seedSeconds = (System.nanoTime() - seeding) / 1e9;
        Bench.log("  %,d records seeded in the simulator's org in %.1f s", rows, seedSeconds);
        rig.engine.reload(LOAD_TABLE);
        System.gc(); // the simulator lives in this JVM: its seeding garbage now, not during the load
        rig.sf.calls().clear();
        rig.sf.faults().apiRequestsUsed(0);
        PeakMemory memory = PeakMemory.watch(rig.engine);
        long deadline = System.nanoTime() + timeout.toNanos();
        Instant end = null;
        try {
            rig.engine.resume();
            while (System.nanoTime() < deadline) {
                if (loaded(rig.db) && count(rig.db, LOAD_TABLE) >= rows) {
                    end = Instant.now();
                    break;
                }
                Thread.sleep(100);
            }
        } finally {
            PeakMemory.Peak peak = memory.stop();
            m.peakHeapMb = peak.heapMb();
            m.peakRssMb = peak.rssMb();
        }
        List<CallLog.Call> calls = rig.sf.calls().calls().stream().filter(c -> c.objects().contains(LOAD_OBJECT)).toList();
        Instant first = calls.stream().map(CallLog.Call::at).min(Instant::compareTo).orElse(null);
        m.changes = count(rig.db, LOAD_TABLE);
        m.apiRequests = rig.sf.faults().apiRequests();
        m.readApiCalls = readCalls(calls);
        m.apiCalls = summary(m.readApiCalls);
        if (end == null || first == null) {
            m.drained = false;
            m.note = String.format("not loaded within %d s: %,d of %,d rows", timeout.toSeconds(), m.changes, rows);
            m.drainSeconds = timeout.toNanos() / 1e9;
            Bench.log("  %s", m.note);
            return m;
        }
        m.drainSeconds = Duration.between(first, end).toNanos() / 1e9;
        Instant created = last(calls, "create", first);
        Instant complete = last(calls, "poll", created);
        m.readPhases = new java.util.LinkedHashMap<>();
        m.readPhases.put("countAndCreate", Duration.between(first, created).toNanos() / 1e9);
        m.readPhases.put("untilJobComplete", Duration.between(created, complete).toNanos() / 1e9);
        // the job's completion is in the call log too (not a call): from it to the poll that saw it is the status polls' back-off
        Instant ran = calls.stream().filter(c -> c.api().equals("BULK_QUERY") && c.operation().startsWith("job:")).map(CallLog.Call::at).findFirst()
                .orElse(complete);
        m.readPhases.put("jobRan", Duration.between(created, ran).toNanos() / 1e9);
        m.readPhases.put("completeToSeen", Duration.between(ran, complete).toNanos() / 1e9);
        m.readPhases.put("pages", Duration.between(complete, end).toNanos() / 1e9);
        m.changesPerSecond = m.changes / m.drainSeconds;
        System.gc();
        SimAlone alone = simAlone(rig.sf, BENCH_QUERY, BULK_PAGE_SIZE);
        m.simulatorAloneSeconds = alone.seconds();
        m.overheadRatio = m.drainSeconds / m.simulatorAloneSeconds;
        m.readPhases.put("simAloneUntilJobComplete", alone.untilComplete());
        m.readPhases.put("simAlonePages", alone.seconds() - alone.untilComplete());
        m.note = String.format("pgforce: COUNT and job %.2f s, until JobComplete %.2f s (the job ran %.2f s, seen %.2f s later), %d pages applied %.2f s; "
                + "sim alone: until JobComplete %.2f s, %d pages of %,d read %.2f s; seeded in %.1f s", m.readPhases.get("countAndCreate"),
                m.readPhases.get("untilJobComplete"), m.readPhases.get("jobRan"), m.readPhases.get("completeToSeen"),
                m.readApiCalls.getOrDefault("BULK_QUERY results", 0L), m.readPhases.get("pages"), alone.untilComplete(), alone.pages(), BULK_PAGE_SIZE,
                alone.seconds() - alone.untilComplete(), seedSeconds);
        if (alone.records() != rows) {
            throw new IllegalStateException("sim alone read " + alone.records() + " records, not " + rows);
        }
        Bench.log("  %,d rows in %.2f s (%,.0f/s), %s; sim alone %.2f s, ratio %.2f; peak heap %.0f MiB, peak RSS %.0f MiB", m.changes, m.drainSeconds,
                m.changesPerSecond, m.apiCalls, m.simulatorAloneSeconds, m.overheadRatio, m.peakHeapMb, m.peakRssMb);
        return m;
    }

    /** pgforce's Bulk query for the READ-LOAD mapping: its system fields, then the mapping's, as ReadQuery writes it. */
    static final String BENCH_QUERY = "SELECT Id, IsDeleted, SystemModstamp, CreatedDate, " + String.join(", ", BenchSchema.READ_LOAD_FIELDS) + " FROM "
            + LOAD_OBJECT;

    /** Straight into the org (no API, no latency), 5,000 records a unit (a unit's records share their stamp). */
    static void seedAccounts(SimulatedOrg org, int rows) {
        String[] industries = {"Agriculture", "Banking", "Technology", "Retail", "Other"};
        SimulatedOrg.Unit unit = null;
        for (int i = 0; i < rows; i++) {
            if (i % 5_000 == 0) {
                unit = org.unit();
            }
            Map<String, String> values = new HashMap<>();
            values.put("Name", "Read account " + i);
            values.put("AccountNumber", "AN-" + i);
            values.put("NumberOfEmployees", Integer.toString(i % 10_000));
            values.put("AnnualRevenue", (i % 1_000_000) + ".50");
            values.put("Industry", industries[i % industries.length]);
            values.put("External_Id__c", "RA-" + i);
            SaveOutcome o = org.create(unit, LOAD_OBJECT, new RecordInput(null, values, null, null), WriteOptions.DEFAULT);
            if (!o.success()) {
                throw new IllegalStateException("seeding " + LOAD_OBJECT + " " + i + ": " + o);
            }
        }
    }

    /** The reload is behind the load: the state no longer waits for it (it did from before the resume), and says SYNCED. */
    private static boolean loaded(Connection db) throws SQLException {
        return synced(db, LOAD_TABLE);
    }

    /** The calls by kind: REST queries (the COUNT) and each step of the Bulk query job; the job's own completion is not a call. */
    private static Map<String, Long> readCalls(List<CallLog.Call> calls) {
        Map<String, Long> out = new TreeMap<>();
        for (CallLog.Call c : calls) {
            if (!c.operation().startsWith("job:")) {
                out.merge(c.api() + " " + c.operation(), 1L, Long::sum);
            }
        }
        return out;
    }

    private static String summary(Map<String, Long> calls) {
        long all = calls.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder b = new StringBuilder(all + " calls (");
        String sep = "";
        for (Map.Entry<String, Long> e : calls.entrySet()) {
            b.append(sep).append(e.getKey()).append(' ').append(e.getValue());
            sep = ", ";
        }
        return b.append(')').toString();
    }

    /** @param untilComplete from the creation until the poll that saw JobComplete */
    record SimAlone(double seconds, double untilComplete, int pages, long records) {
    }

    /** The last call of a Bulk job operation, or {@code otherwise}. */
    private static Instant last(List<CallLog.Call> calls, String operation, Instant otherwise) {
        return calls.stream().filter(c -> c.api().equals("BULK_QUERY") && c.operation().equals(operation)).map(CallLog.Call::at).max(Instant::compareTo)
                .orElse(otherwise);
    }

    /**
     * The reference point: the same Bulk API 2.0 query job, created by a plain HTTP client, polled
     * every 100 ms (pgforce's first poll comes after 100 ms too) and its results read page by page by
     * locator at the same page size, each page's body read whole; the job is deleted afterwards.
     */
    static SimAlone simAlone(SalesforceSimulator sf, String soql, int pageSize) throws Exception {
        String token = BenchHttp.token(sf);
        String jobs = sf.loginUrl() + API + "jobs/query";
        long start = System.nanoTime();
        HttpResponse<String> created = BenchHttp.send("POST", jobs, token, "application/json",
                BenchHttp.JSON.createObjectNode().put("operation", "queryAll").put("query", soql).toString());
        if (created.statusCode() != 200) {
            throw new IllegalStateException("sim alone: creating the job: HTTP " + created.statusCode() + " " + created.body());
        }
        String id = BenchHttp.json(created).path("id").asText();
        while (true) {
            Thread.sleep(100);
            JsonNode info = BenchHttp.json(BenchHttp.send("GET", jobs + "/" + id, token, null, null));
            String state = info.path("state").asText();
            if (state.equals("JobComplete")) {
                break;
            }
            if (!state.equals("UploadComplete") && !state.equals("InProgress")) {
                throw new IllegalStateException("sim alone: job " + id + " is " + state);
            }
        }
        double untilComplete = (System.nanoTime() - start) / 1e9;
        int pages = 0;
        long records = 0;
        String locator = null;
        do {
            String url = jobs + "/" + id + "/results?maxRecords=" + pageSize + (locator == null ? "" : "&locator=" + URLEncoder.encode(locator, StandardCharsets.UTF_8));
            HttpResponse<String> page = BenchHttp.send("GET", url, token, null, null);
            if (page.statusCode() != 200) {
                throw new IllegalStateException("sim alone: results page " + pages + ": HTTP " + page.statusCode());
            }
            pages++;
            records += Long.parseLong(page.headers().firstValue("Sforce-NumberOfRecords").orElse("0"));
            locator = page.headers().firstValue("Sforce-Locator").orElse("null");
        } while (!locator.equals("null"));
        double seconds = (System.nanoTime() - start) / 1e9;
        BenchHttp.send("DELETE", jobs + "/" + id, token, null, null); // its result is held in this JVM: let it go
        return new SimAlone(seconds, untilComplete, pages, records);
    }

    // ------------------------------------------------------------------ READ-LAG

    static Measurement lag(Rig rig, int records, int rate, Duration duration, Duration timeout) throws Exception {
        String title = String.format("%d updates/s over REST for %d s, %,d records in turn, poll interval %d s", rate, duration.toSeconds(), records,
                BenchSchema.READ_LAG_INTERVAL_SECONDS);
        Bench.log("READ-LAG %s", title);
        Measurement m = measurement(rig, "READ-LAG", title);
        m.pollIntervalSeconds = (double) BenchSchema.READ_LAG_INTERVAL_SECONDS;
        List<String> ids = seedContacts(rig.sf.org(), records);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(rig.db, LAG_TABLE) < records) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("READ-LAG: the " + records + " contacts did not reach Postgres within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
        String token = BenchHttp.token(rig.sf);
        String base = rig.sf.loginUrl() + API + "sobjects/" + LAG_OBJECT + "/";
        int total = (int) (rate * duration.toNanos() / 1_000_000_000L);
        long[] acked = new long[total];
        long[] seen = new long[total];
        int[] recordOf = new int[total];
        Seen watcher = new Seen(rig.db, records, seen);
        Thread watching = new Thread(watcher, "bench-read-lag-seen");
        watching.setDaemon(true);
        rig.sf.calls().clear();
        rig.sf.faults().apiRequestsUsed(0);
        PeakMemory memory = PeakMemory.watch(rig.engine);
        long start = System.nanoTime();
        try {
            watching.start();
            for (int k = 0; k < total; k++) {
                long due = start + k * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int record = k % records;
                recordOf[k] = record;
                watcher.expect(record, k);
                HttpResponse<String> r = BenchHttp.send("PATCH", base + ids.get(record), token, "application/json",
                        "{\"FirstName\": \"" + value(k) + "\"}");
                acked[k] = System.nanoTime();
                if (r.statusCode() != 204) {
                    throw new IllegalStateException("READ-LAG: update " + k + ": HTTP " + r.statusCode() + " " + r.body());
                }
            }
            double achieved = total / ((System.nanoTime() - start) / 1e9);
            while (!watcher.allSeen(total)) {
                if (System.nanoTime() > deadline + duration.toNanos()) {
                    throw new IllegalStateException("READ-LAG: updates not in Postgres within " + timeout.toSeconds() + " s of the last");
                }
                Thread.sleep(50);
            }
            List<Double> lags = new ArrayList<>(total);
            for (int k = 0; k < total; k++) {
                lags.add(Math.max(0, seen[k] - acked[k]) / 1e6);
            }
            Collections.sort(lags);
            m.latency = new SteadyLoad.Latency(percentile(lags, 50), percentile(lags, 95), percentile(lags, 99), lags.get(lags.size() - 1), total, achieved, 0);
        } finally {
            watcher.stop();
            PeakMemory.Peak peak = memory.stop();
            m.peakHeapMb = peak.heapMb();
            m.peakRssMb = peak.rssMb();
        }
        m.drainSeconds = (System.nanoTime() - start) / 1e9;
        m.changes = total;
        m.changesPerSecond = total / m.drainSeconds;
        m.apiRequests = rig.sf.faults().apiRequests() - total; // the workload's own PATCH calls left out
        // pgforce's calls: the queries of the polls (the workload's own PATCH calls left out)
        m.readApiCalls = readCalls(rig.sf.calls().calls().stream().filter(c -> c.api().equals("REST") && c.operation().startsWith("query")
                && !c.objects().contains(LOAD_OBJECT)).toList());
        m.apiCalls = summary(m.readApiCalls);
        m.lowerBound = "";
        Bench.log("  %,d updates (%.0f/s), lag p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (poll interval %d s); %s", total, m.latency.achievedRate(),
                m.latency.p50(), m.latency.p95(), m.latency.p99(), m.latency.max(), BenchSchema.READ_LAG_INTERVAL_SECONDS, m.apiCalls);
        return m;
    }

    /** FirstName of update k: its number, so that the row tells which update it holds. */
    private static String value(int k) {
        return "u" + k;
    }

    private static List<String> seedContacts(SimulatedOrg org, int records) {
        List<String> ids = new ArrayList<>(records);
        SimulatedOrg.Unit unit = org.unit();
        for (int i = 0; i < records; i++) {
            Map<String, String> values = Map.of("FirstName", "seed", "LastName", "Lag " + i, "Email", "lag" + i + "@example.com", "External_Id__c", "RL-" + i);
            SaveOutcome o = org.create(unit, LAG_OBJECT, new RecordInput(null, values, null, null), WriteOptions.DEFAULT);
            if (!o.success()) {
                throw new IllegalStateException("seeding " + LAG_OBJECT + " " + i + ": " + o);
            }
            ids.add(o.id());
        }
        return ids;
    }

    /**
     * Polls the READ-LAG table every {@value #SEEN_EVERY_MILLIS} ms: an update is seen when its record's row holds
     * it or a later update of the same record (which replaced it in Salesforce before a poll read it).
     */
    private static final class Seen implements Runnable {
        private final Connection db;
        private final long[] seen;
        /** Per record, the updates made, oldest first, not yet seen. */
        private final List<List<Integer>> waiting = new ArrayList<>();
        private volatile boolean running = true;
        private int seenCount;

        Seen(Connection db, int records, long[] seen) {
            this.db = db;
            this.seen = seen;
            for (int i = 0; i < records; i++) {
                waiting.add(new ArrayList<>());
            }
        }

        synchronized void expect(int record, int k) {
            waiting.get(record).add(k);
        }

        synchronized boolean allSeen(int total) {
            return seenCount == total;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            try (Statement st = db.createStatement()) {
                while (running) {
                    long now = System.nanoTime();
                    List<int[]> rows = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery("SELECT external_id__c, firstname FROM salesforce." + LAG_TABLE + " WHERE firstname LIKE 'u%'")) {
                        while (rs.next()) {
                            rows.add(new int[] {Integer.parseInt(rs.getString(1).substring(3)), Integer.parseInt(rs.getString(2).substring(1))});
                        }
                    }
                    long at = System.nanoTime(); // the rows were visible by the end of the query
                    synchronized (this) {
                        for (int[] row : rows) {
                            List<Integer> w = waiting.get(row[0]);
                            while (!w.isEmpty() && w.get(0) <= row[1]) {
                                seen[w.remove(0)] = at;
                                seenCount++;
                            }
                        }
                    }
                    long sleep = SEEN_EVERY_MILLIS - (System.nanoTime() - now) / 1_000_000;
                    if (sleep > 0) {
                        Thread.sleep(sleep);
                    }
                }
            } catch (SQLException | InterruptedException e) {
                running = false;
            }
        }
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }

    // ------------------------------------------------------------------ both

    private static Measurement measurement(Rig rig, String workload, String title) {
        Measurement m = new Measurement();
        m.workload = workload;
        m.title = title;
        m.algorithm = "read";
        m.profile = rig.profile.name();
        m.concurrency = 1;
        m.lowerBound = "";
        return m;
    }

    private static long count(Connection db, String table) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM salesforce." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
