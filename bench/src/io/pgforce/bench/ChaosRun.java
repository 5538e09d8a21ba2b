package io.pgforce.bench;

import io.pgforce.testing.process.PackagedApp;
import io.pgforce.testing.process.ScratchPostgres;
import io.pgforce.testing.process.SimulatorProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One chaos run of one write algorithm: the packaged application and the simulator, each its own
 * process, on a fresh database; a paced random workload from a plain application session; the
 * application SIGKILLed and restarted at random moments while Salesforce faults come and go; then,
 * with the faults cleared, the drain and the checks ({@link ChaosChecks}).
 */
public final class ChaosRun {

    /**
     * The mapping every chaos run uses: Account and Contact, read_write, upserts on External_Id__c,
     * Contact's parent by External_Id__c; Account's Website only Salesforce changes; Opportunity
     * read_only. Every mapping is read every 2 seconds.
     */
    public static final String MAPPING = """
            connection: {schema: salesforce, write_algorithm: %s, api_version: "62.0", bulk_writes: true}
            mappings:
              - object: Account
                access: read_write
                unique_identifier: External_Id__c
                poll_interval: 2s
                fields: {Name: varchar(255), NumberOfEmployees: double precision, Description: text, External_Id__c: varchar(255), Website: varchar(255)}
              - object: Contact
                access: read_write
                unique_identifier: External_Id__c
                poll_interval: 2s
                fields: {LastName: varchar(80), Email: varchar(80), External_Id__c: varchar(255)}
                relationships:
                  - {name: Account, object: Account, external_id: External_Id__c}
              - object: Opportunity
                access: read_only
                poll_interval: 2s
                fields: {Name: varchar(120), StageName: varchar(255), CloseDate: date, Amount: double precision, External_Id__c: varchar(255)}
            """;

    /**
     * Short intervals, so that kills, outages and lease take-overs resolve in seconds. The simulator
     * stamps a record as its save commits, so reads need only a short overlap.
     */
    public static final Map<String, String> FAST = Map.of(
            "pgforce.read.enabled", "true",
            "pgforce.read.overlap", "5s",
            "pgforce.poll.min-interval", "200ms",
            "pgforce.poll.interval", "5s",
            "pgforce.writer.lease-lifetime", "6s",
            "pgforce.retry.max-delay", "2s",
            "pgforce.bulk.poll.max-delay", "1s",
            "pgforce.archive.interval", "1h");

    /**
     * What one run does.
     *
     * @param kills           SIGKILLs of the application
     * @param killGapMin      shortest time between two kills (from the restart)
     * @param killGapMax      longest
     * @param statementsPerSecond the workload's pace
     * @param bulkEveryMin    a 2,500-row statement at most this often ...
     * @param bulkEveryMax    ... and at least this often
     * @param drainTimeout    how long the drain may take in all
     * @param stallTimeout    the drain gives up when nothing moves for this long
     */
    public record Settings(String algorithm, int kills, Duration killGapMin, Duration killGapMax, double statementsPerSecond,
                           Duration bulkEveryMin, Duration bulkEveryMax, Duration drainTimeout, Duration stallTimeout, long seed, Path workDir) {

        /** bench/chaos.sh's run: minutes per algorithm. */
        public static Settings full(String algorithm, int kills, long seed, Path workDir) {
            return new Settings(algorithm, kills, Duration.ofSeconds(3), Duration.ofSeconds(12), 15, Duration.ofSeconds(15), Duration.ofSeconds(30),
                    Duration.ofMinutes(5), Duration.ofSeconds(60), seed, workDir);
        }

        /** The integration test's run: well under two minutes per algorithm. */
        public static Settings quick(String algorithm, int kills, long seed, Path workDir) {
            return new Settings(algorithm, kills, Duration.ofSeconds(3), Duration.ofSeconds(8), 12, Duration.ofSeconds(8), Duration.ofSeconds(20),
                    Duration.ofSeconds(90), Duration.ofSeconds(30), seed, workDir);
        }
    }

    /** What a run found. */
    public record Result(String algorithm, int kills, Map<String, Integer> faults, long changes, int lost, int duplicated, int orphans,
                         int mismatched, int appErrors, int failed, int unfinished, ChaosChecks.Reads reads, Duration duration, List<String> killTimes,
                         List<String> details, Path logs) {

        public boolean passed() {
            return lost == 0 && duplicated == 0 && orphans == 0 && mismatched == 0 && appErrors == 0 && failed == 0 && unfinished == 0 && reads.clean()
                    && details.stream().noneMatch(d -> d.startsWith("app exited") || d.startsWith("fault injection stopped")
                    || d.startsWith("reads not caught up"));
        }

        public int faultCount() {
            return faults.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** The one line bench/chaos.sh prints per algorithm. */
        public String summary() {
            return String.format("chaos %-7s kills=%d faults=%d changes=%d lost=%d duplicated=%d orphans=%d mismatched=%d appErrors=%d failed=%d "
                            + "unfinished=%d %s duration=%ds %s", algorithm, kills, faultCount(), changes, lost, duplicated, orphans, mismatched, appErrors,
                    failed, unfinished, reads, duration.toSeconds(), passed() ? "PASS" : "FAIL");
        }

        /** The summary, then what differs, then where the logs are. */
        public String report() {
            StringBuilder b = new StringBuilder(summary()).append('\n');
            b.append("  faults: ").append(faults).append('\n');
            b.append("  kills: ").append(String.join(", ", killTimes)).append('\n');
            details.forEach(d -> b.append("  ").append(d).append('\n'));
            b.append("  logs: ").append(logs).append('\n');
            return b.toString();
        }
    }

    private static final List<String> FAULT_KINDS = List.of("maintenance", "HTTP_503", "CONNECTION_RESET", "loseResponses", "sessionExpiry");

    private final ScratchPostgres pg;
    private final Settings s;
    private final Random random;
    private final Map<String, Integer> faults = new TreeMap<>();
    private final List<String> details = Collections.synchronizedList(new ArrayList<>());
    private final List<String> killNotes = new ArrayList<>();

    public ChaosRun(ScratchPostgres pg, Settings settings) {
        this.pg = pg;
        this.s = settings;
        this.random = new Random(settings.seed() * 31 + settings.algorithm().hashCode());
    }

    public Result run() throws Exception {
        long started = System.nanoTime();
        Path dir = s.workDir().toAbsolutePath();
        Files.createDirectories(dir);
        String url = pg.newDatabase("chaos_" + s.algorithm() + "_" + System.currentTimeMillis() % 100_000_000);
        Path mapping = dir.resolve("mapping-" + s.algorithm() + ".yaml");
        Files.writeString(mapping, MAPPING.formatted(s.algorithm()));
        log("%s: database %s on %s, logs in %s", s.algorithm(), url, pg.description(), dir);
        long logOffset = serverLogSize();
        try (SimulatorProcess sf = SimulatorProcess.start(dir.resolve("simulator-" + s.algorithm() + ".log"));
             PackagedApp app = PackagedApp.builder().database(url, pg.user(), pg.password()).salesforce(sf).mapping(mapping)
                     .instanceId("chaos-" + s.algorithm()).properties(FAST).log(dir.resolve("app-" + s.algorithm() + ".log")).build();
             Connection db = DriverManager.getConnection(url, pg.user(), pg.password())) {
            app.start();
            awaitWriter(db, app, Duration.ofSeconds(120));
            ChaosWorkload workload = new ChaosWorkload(url, pg.user(), pg.password(), s.seed(), s.statementsPerSecond(),
                    s.bulkEveryMin().toMillis(), s.bulkEveryMax().toMillis());
            Thread writer = new Thread(workload, "chaos-workload");
            SalesforceSideWorkload otherUser = new SalesforceSideWorkload(sf.loginUrl(), url, pg.user(), pg.password(), s.seed(), 3);
            Thread salesforceSide = new Thread(otherUser, "chaos-salesforce-user");
            AtomicBoolean stopFaults = new AtomicBoolean();
            Thread injector = new Thread(() -> injectFaults(sf, stopFaults), "chaos-faults");
            writer.start();
            salesforceSide.start();
            injector.start();
            try {
                for (int k = 1; k <= s.kills(); k++) {
                    killOnce(db, app, k);
                }
                sleep(1000 + random.nextInt(2000)); // a little more work after the last restart
            } finally {
                workload.stop();
                otherUser.stop();
                stopFaults.set(true);
                writer.join(60_000);
                salesforceSide.join(60_000);
                injector.interrupt();
                injector.join(30_000);
                sf.clearFaults();
            }
            log("%s: %d kills, faults %s, workload: %d statements, %d transactions, %d statements of %d rows, %d application error(s); draining",
                    s.algorithm(), app.kills(), faults, workload.statements(), workload.transactions(), workload.bulkStatements(),
                    ChaosWorkload.BULK_ROWS, workload.errorCount());
            log("%s: the other Salesforce user's calls: %s", s.algorithm(), otherUser.outcomes());
            drain(db, app);
            awaitReads(db, Instant.now());
            ChaosChecks checks = ChaosChecks.run(db, sf);
            if (workload.errorCount() > 0) {
                details.add("application errors (SQL errors the application got; there must be none):");
                workload.errors().forEach((m, n) -> details.add("  " + n + " x " + ChaosChecks.shorten(m)));
                errorTiming(workload, app);
                deadlocks(logOffset);
            }
            details.addAll(checks.details);
            if (!checks.passed() || workload.errorCount() > 0) {
                evidence(app);
            }
            app.stop();
            return new Result(s.algorithm(), app.kills(), new TreeMap<>(faults), checks.changes, checks.lost, checks.duplicated, checks.orphans,
                    checks.mismatched, workload.errorCount(), checks.failed, checks.unfinished, checks.reads, Duration.ofNanos(System.nanoTime() - started),
                    List.copyOf(killNotes), List.copyOf(details), dir);
        }
    }

    /** Waits a random while (sometimes until a Bulk job is under way), then SIGKILLs the application and starts it again. */
    private void killOnce(Connection db, PackagedApp app, int k) throws SQLException {
        long gap = between(s.killGapMin().toMillis(), s.killGapMax().toMillis());
        boolean duringBulk = s.algorithm().equals("ordered") && random.nextInt(3) == 0;
        long deadline = System.currentTimeMillis() + (duringBulk ? s.killGapMax().toMillis() * 2 : gap);
        while (System.currentTimeMillis() < deadline) {
            if (duringBulk && claimedSince(db, app.startTimes().get(app.startTimes().size() - 1)) >= 2000) {
                sleep(random.nextInt(1500)); // somewhere between the job's creation and its results
                break;
            }
            sleep(duringBulk ? 50 : Math.min(200, Math.max(1, deadline - System.currentTimeMillis())));
        }
        checkAlive(app);
        long pending = count(db, "SELECT count(*) FROM salesforce._trigger_log WHERE state = 'PENDING'");
        app.kill();
        log("%s: kill %d/%d (%s, %d PENDING at the kill)", s.algorithm(), k, s.kills(), duringBulk ? "while a Bulk job ran" : "at random", pending);
        killNotes.add(String.format("%s (%s, %d PENDING)", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), duringBulk ? "Bulk" : "random", pending));
        sleep(random.nextInt(1500));
        app.start();
    }

    /** Rows this start of the application claimed (a claim or a reclaim stamps updated_at). */
    private static long claimedSince(Connection db, Instant start) throws SQLException {
        try (java.sql.PreparedStatement ps = db.prepareStatement(
                "SELECT count(*) FROM salesforce._trigger_log WHERE state = 'PENDING' AND updated_at > ?")) {
            ps.setObject(1, start.atOffset(java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** An application that exited without being killed is a finding. */
    private void checkAlive(PackagedApp app) {
        if (!app.isAlive()) {
            details.add("app exited by itself with code " + app.exitCode() + " (start #" + app.starts() + "); last lines: "
                    + app.logLines(3, "ERROR", "Exception"));
            app.start();
        }
    }

    /** Faults, one at a time, a few seconds each, every kind as often as the others. */
    private void injectFaults(SimulatorProcess sf, AtomicBoolean stop) {
        List<String> bag = new ArrayList<>();
        try {
            while (!stop.get()) {
                Thread.sleep(between(1000, 6000));
                if (stop.get()) {
                    return;
                }
                if (bag.isEmpty()) {
                    bag.addAll(FAULT_KINDS);
                    Collections.shuffle(bag, random);
                }
                String kind = bag.remove(0);
                switch (kind) {
                    case "maintenance" -> sf.faults("{\"maintenance\": true}");
                    case "HTTP_503", "CONNECTION_RESET" -> sf.faults("{\"unavailable\": \"" + kind + "\"}");
                    case "loseResponses" -> sf.faults("{\"loseResponses\": " + (1 + random.nextInt(3)) + "}");
                    default -> sf.expireSessions();
                }
                synchronized (faults) {
                    faults.merge(kind, 1, Integer::sum);
                }
                if (!kind.equals("sessionExpiry")) {
                    Thread.sleep(between(2000, 5000));
                    sf.clearFaults();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the end of the run interrupts a call to the simulator in flight: that is the stop, not a failure
            if (!(stop.get() && e.getCause() instanceof InterruptedException)) {
                details.add("fault injection stopped: " + e);
            }
        }
    }

    /** Until nothing is NEW or PENDING; gives up after the timeout, or when nothing has moved for the stall timeout. */
    private void drain(Connection db, PackagedApp app) throws SQLException {
        // the stall clock starts once the last start is up: on a busy machine a start alone can take half a minute
        app.awaitStarted(s.drainTimeout());
        long start = System.nanoTime();
        long deadline = start + s.drainTimeout().toNanos();
        String last = "";
        long lastChange = System.nanoTime();
        while (true) {
            checkAlive(app);
            String now = "";
            long open = 0;
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT count(*) FILTER (WHERE state IN ('NEW', 'PENDING')), count(*) FILTER (WHERE state = 'PENDING'), max(updated_at)::text FROM salesforce._trigger_log")) {
                rs.next();
                open = rs.getLong(1);
                now = rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getString(3);
            }
            if (open == 0) {
                log("%s: drained in %d s", s.algorithm(), Duration.ofNanos(System.nanoTime() - start).toSeconds());
                return;
            }
            if (!now.equals(last)) {
                last = now;
                lastChange = System.nanoTime();
            }
            if (System.nanoTime() > deadline || System.nanoTime() - lastChange > s.stallTimeout().toNanos()) {
                String why = System.nanoTime() > deadline ? "within " + s.drainTimeout().toSeconds() + " s"
                        : "(nothing moved for " + s.stallTimeout().toSeconds() + " s)";
                details.add("not drained " + why + ": " + open + " change(s) still NEW or PENDING");
                log("%s: NOT drained %s, %d change(s) left", s.algorithm(), why, open);
                return;
            }
            sleep(500);
        }
    }

    /**
     * Until every mapping has been read from start to end since the drain (the other Salesforce user
     * stopped before it): what the checks compare is then all in Postgres, including what a read
     * had to leave while a row's own change was still being written.
     */
    private void awaitReads(Connection db, Instant since) throws SQLException {
        long deadline = System.nanoTime() + s.stallTimeout().toNanos();
        String sql = "SELECT count(*) FROM salesforce._pgforce_read_state WHERE NOT (phase = 'SYNCED' AND last_poll_started > '"
                + since.atOffset(java.time.ZoneOffset.UTC) + "' AND last_poll_ended >= last_poll_started)";
        while (count(db, sql) > 0 || count(db, "SELECT count(*) FROM salesforce._pgforce_read_state") < 3) {
            if (System.nanoTime() > deadline) {
                details.add("reads not caught up within " + s.stallTimeout().toSeconds() + " s: " + ChaosChecks.query(db,
                        "SELECT table_name, phase, last_poll_started, last_poll_ended, last_error FROM salesforce._pgforce_read_state").stream()
                        .map(ChaosChecks::row).toList());
                return;
            }
            sleep(500);
        }
    }

    /** What the application log says: errors, what the outage handler retried, other warnings, Bulk jobs. */
    private void evidence(PackagedApp app) {
        details.add("app log " + app.log() + ": " + app.countLogLines(" ERROR ") + " ERROR line(s), " + app.countLogLines("Failed delivery for")
                + " retried failure(s), " + app.countLogLines(" WARN ") + " WARN line(s)");
        for (String line : app.logLines(4, " ERROR ")) {
            details.add("  | " + ChaosChecks.shorten(line));
        }
        Map<String, Integer> retried = new TreeMap<>();
        for (String line : app.logLines(100_000, "Failed delivery for")) {
            int at = line.indexOf("caught: ");
            String what = at < 0 ? line : line.substring(at + "caught: ".length());
            retried.merge(ChaosChecks.shorten(what.replaceAll("http://[^ ]+", "URL").replaceAll("\\d+", "N")), 1, Integer::sum);
        }
        retried.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(6)
                .forEach(e -> details.add("  retried " + e.getValue() + " x " + e.getKey()));
        for (String line : app.logLines(4, " WARN ")) {
            if (!line.contains("Missing property packages") && !line.contains("Failed delivery for")) {
                details.add("  | " + ChaosChecks.shorten(line));
            }
        }
        for (String line : app.logLines(3, "Bulk job")) {
            details.add("  | " + ChaosChecks.shorten(line));
        }
    }

    /** Application errors against the application's starts: how long after a (re)start each came. */
    private void errorTiming(ChaosWorkload workload, PackagedApp app) {
        List<Instant> starts = app.startTimes();
        for (Map.Entry<Instant, String> e : workload.errorMoments()) {
            int n = 0;
            for (int i = 0; i < starts.size(); i++) {
                if (!starts.get(i).isAfter(e.getKey())) {
                    n = i;
                }
            }
            details.add(String.format("  at %s, %.1f s after start #%d of the app: %s", e.getKey(),
                    Duration.between(starts.get(n), e.getKey()).toMillis() / 1000.0, n + 1, ChaosChecks.shorten(e.getValue())));
        }
    }

    /** The server's report of each deadlock: who waited for whom, and on which statement. */
    private void deadlocks(long logOffset) {
        Optional<Path> log = pg.serverLog();
        if (log.isEmpty()) {
            return;
        }
        try {
            byte[] bytes = Files.readAllBytes(log.get());
            String text = new String(bytes, (int) Math.min(logOffset, bytes.length), (int) Math.max(0, bytes.length - logOffset), StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            int reported = 0;
            for (int i = 0; i < lines.size() && reported < 2; i++) {
                if (lines.get(i).contains("deadlock detected")) {
                    reported++;
                    details.add("PostgreSQL server log, deadlock #" + reported + ":");
                    for (int j = i; j < Math.min(lines.size(), i + 9); j++) {
                        if (j > i && lines.get(j).contains("ERROR:")) {
                            break;
                        }
                        details.add("  | " + ChaosChecks.shorten(lines.get(j)));
                    }
                }
            }
        } catch (IOException e) {
            details.add("(cannot read the server log " + log.get() + ": " + e.getMessage() + ")");
        }
    }

    private long serverLogSize() {
        return pg.serverLog().map(p -> p.toFile().length()).orElse(0L);
    }

    static void awaitWriter(Connection db, PackagedApp app, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                throw new IllegalStateException(app.instanceId() + " exited with " + app.exitCode() + " at start-up; see " + app.log() + ": "
                        + app.logLines(5, "ERROR", "Exception"));
            }
            try {
                if (count(db, "SELECT count(*) FROM salesforce._hc_writer") == 1) {
                    return;
                }
            } catch (SQLException notYet) {
                // the schema is not installed yet
            }
            sleep(200);
        }
        throw new IllegalStateException(app.instanceId() + " did not take the writer lease within " + within.toSeconds() + " s; see " + app.log());
    }

    static long count(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long between(long min, long max) {
        return min + (max > min ? (long) (random.nextDouble() * (max - min)) : 0);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[chaos %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
        System.out.flush();
    }
}
