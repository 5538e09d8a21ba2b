package io.pgforce.triggerlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.cycle.WriterLease;
import io.pgforce.plan.Operation;
import io.pgforce.plan.WriteItem;
import io.pgforce.salesforce.Outcome;
import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.TestSchema;
import io.pgforce.testing.UserSession;
import io.pgforce.write.OutcomeSettlement;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLWarning;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Settling reaches the log rows it settles by their ids, whatever the planner's statistics say.
 * After a burst of changes they are stale until autovacuum analyzes the log (a minute at best):
 * they say no row is PENDING, and a statement that filters on {@code state = 'PENDING'} through
 * the state index read every PENDING row once per row it settled (5,000 claimed, 200 settled:
 * a million rows compared, half a second a settle; the benchmark's W3 spent most of its drain so).
 * Counted from the statements' own plans (auto_explain, EXPLAIN ANALYZE's figures), not timed.
 */
class SettlePlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Changes claimed in the burst, and settled by one statement. */
    private static final int CLAIMED = 5_000;
    private static final int SETTLED = 200;
    /** The log's rows: 2,000 written before the statistics were taken, then the burst. */
    private static final int LOG_ROWS = 2_000 + CLAIMED;

    @TempDir
    Path dir;
    UserSession user;
    Settler settler;
    final List<String> plans = new CopyOnWriteArrayList<>();

    /** The database this runs on; the subclass runs it on Debian's PostgreSQL. */
    protected TestDatabase newDatabase() {
        return TestDatabase.create("settle_plan");
    }

    @BeforeEach
    void burstAfterAnalyze() throws Exception {
        TestDatabase database = newDatabase();
        SchemaInstaller.install(database.engineDataSource(), TestMappings.fromYaml(dir,
                "mappings: [{object: Account, unique_identifier: Ext__c, fields: {Name: text, Ext__c: text}}]"), TestSchema.LOCK_TIMEOUT);
        FencedLog log = new FencedLog(planRecording(database), "salesforce", "host-a");
        settler = new Settler(log);
        assertThat(new WriterLease(database.engineDataSource(), new Claims(log, true, Duration.ofSeconds(30)), "salesforce", "host-a", 30,
                Clock.systemUTC()).acquire()).isTrue();
        user = database.userSession();
        // the statistics as autovacuum last left them: a log of written changes, none PENDING
        user.execute("ALTER TABLE salesforce._trigger_log SET (autovacuum_enabled = false)");
        user.update("INSERT INTO salesforce.account (name, ext__c) SELECT 'Old ' || g, 'O-' || g FROM generate_series(1, 2000) g");
        user.update("UPDATE salesforce._trigger_log SET state = 'SUCCESS'");
        user.execute("ANALYZE salesforce._trigger_log");
        // then a burst, claimed
        user.update("INSERT INTO salesforce.account (name, ext__c) SELECT 'New ' || g, 'N-' || g FROM generate_series(1, " + CLAIMED + ") g");
        user.update("UPDATE salesforce._trigger_log SET state = 'PENDING' WHERE state = 'NEW'");
        plans.clear();
    }

    @AfterEach
    void close() {
        user.close();
    }

    @Test
    void aSettleReadsOnlyTheRowsItSettles() throws Exception {
        settler.settle(LongStream.rangeClosed(2001, 2000 + SETTLED)
                .mapToObj(id -> OutcomeSettlement.of(Outcome.success(insert(id), String.format("001%015d", id)))).toList());

        assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log WHERE state = 'SUCCESS'")).isEqualTo(2000 + SETTLED);
        // at most a pass over the log for each part of the statement that reads it (the rows settled, an
        // earlier failed insert replaced, a later change queued), never a pass for each row settled
        assertThat(logRowsRead()).as("rows of the log the settle read, in %s", plans).isLessThanOrEqualTo(3 * LOG_ROWS);
    }

    @Test
    void markingABulkJobAndSettlingUnsentRowsReadOnlyTheirRows() throws Exception {
        List<Long> ids = LongStream.rangeClosed(2001, 2000 + SETTLED).boxed().toList();
        settler.markBulkJob(ids, "750000000000001AAA");
        settler.settleUnsent(LongStream.rangeClosed(3001, 3000 + SETTLED).boxed().toList(), TriggerLogState.MERGED, "folded away");

        assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log WHERE bulk_job_id IS NOT NULL")).isEqualTo(SETTLED);
        assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log WHERE state = 'MERGED'")).isEqualTo(SETTLED);
        // through the primary key, not all PENDING rows through the state index
        assertThat(logRowsRead()).as("rows of the log both statements read, in %s", plans).isLessThanOrEqualTo(2 * 2 * SETTLED);
    }

    private static WriteItem insert(long id) {
        return new WriteItem("account", "Account", id, Operation.UPSERT, null, Map.of(), id, List.of());
    }

    /**
     * Rows of the trigger log the recorded statements read: what each scan of it returned and
     * discarded, each time it ran, and every row pair a join compared and discarded.
     */
    private long logRowsRead() throws Exception {
        assertThat(plans).as("plans recorded").isNotEmpty();
        long read = 0;
        for (String plan : plans) {
            read += rowsRead(JSON.readTree(plan).path("Plan"));
        }
        return read;
    }

    private static long rowsRead(JsonNode node) {
        long loops = node.path("Actual Loops").asLong(1);
        long read = node.path("Rows Removed by Join Filter").asLong() * loops;
        if ("_trigger_log".equals(node.path("Relation Name").asText()) && node.path("Node Type").asText().contains("Scan")) {
            read += (node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                    + node.path("Rows Removed by Index Recheck").asLong()) * loops;
        }
        for (JsonNode child : node.path("Plans")) {
            read += rowsRead(child);
        }
        return read;
    }

    /**
     * The engine's sessions, with auto_explain sending every statement's plan (executed, as JSON)
     * to the client as a notice, which becomes a warning of the statement: kept in {@link #plans}
     * when the statement is closed.
     */
    private DataSource planRecording(TestDatabase database) {
        PGSimpleDataSource ds = database.engineDataSource();
        ds.setOptions(ds.getOptions() + " -c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0"
                + " -c auto_explain.log_analyze=on -c auto_explain.log_format=json -c auto_explain.log_level=notice");
        return proxy(DataSource.class, ds, (target, method, args) -> {
            Object result = method.invoke(target, args);
            return method.getName().equals("getConnection") ? proxy(Connection.class, result, (c, m, a) -> {
                Object made = m.invoke(c, a);
                return m.getName().equals("prepareStatement") ? proxy(PreparedStatement.class, made, (ps, pm, pa) -> {
                    if (pm.getName().equals("close")) {
                        for (SQLWarning w = ((PreparedStatement) ps).getWarnings(); w != null; w = w.getNextWarning()) {
                            String message = w.getMessage();
                            if (message.contains("\"Plan\"")) {
                                plans.add(message.substring(message.indexOf('{')));
                            }
                        }
                    }
                    return pm.invoke(ps, pa);
                }) : made;
            }) : result;
        });
    }

    private interface Call {
        Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Object target, Call call) {
        return type.cast(Proxy.newProxyInstance(SettlePlanTest.class.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            try {
                return call.invoke(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
