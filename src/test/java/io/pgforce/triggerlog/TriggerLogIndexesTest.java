package io.pgforce.triggerlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.config.SqlTemplates;
import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.TestSchema;
import io.pgforce.testing.UserSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A captured row pays for every index of the trigger log it enters: a log pgforce creates has only
 * those its statements need (the claim's, the operator's, the per-record lookups'), none holding a
 * row already done but the per-record one, and created_at in a BRIN. Every statement that reads the
 * log still finds its rows through an index on a large log, most of it written or failed.
 */
class TriggerLogIndexesTest {

    private static final String ACCOUNT = "mappings: [{object: Account, unique_identifier: Ext__c, fields: {Name: text, Ext__c: text}}]";
    /** The indexes of a log pgforce creates. */
    private static final List<String> PGFORCE_LOG = List.of("_trigger_log_idx_created_at_brin", "_trigger_log_idx_delete_sfid",
            "_trigger_log_idx_failed", "_trigger_log_idx_queued", "_trigger_log_idx_table_record", "_trigger_log_pkey");
    /** Rows of the large log: most written, some failed, a few to do. */
    private static final int ROWS = 200_000;

    @TempDir
    Path dir;
    TestDatabase database;
    UserSession user;

    @BeforeEach
    void database() {
        database = TestDatabase.create("log_indexes");
        user = database.userSession();
    }

    @AfterEach
    void close() {
        user.close();
    }

    @Test
    void aLogPgforceCreatesHasOnlyTheIndexesItsStatementsNeed() {
        SchemaInstaller.install(database.engineDataSource(), TestMappings.fromYaml(dir, ACCOUNT), TestSchema.LOCK_TIMEOUT);

        assertThat(indexes("salesforce")).containsExactlyElementsOf(PGFORCE_LOG);
        assertThat(user.scalar("SELECT indexdef FROM pg_indexes WHERE indexname = '_trigger_log_idx_created_at_brin'").toString()).contains("USING brin");
    }

    @Test
    void anUpgradeDropsTheIndexesALogAnEarlierPgforceCreatedNoLongerNeeds() throws Exception {
        user.execute(Files.readString(Path.of("src/test/resources/schema/version-1.sql")));
        assertThat(indexes("sync")).contains("_trigger_log_idx_created_at", "_trigger_log_idx_state_id", "_trigger_log_idx_state_table_name");

        SchemaInstaller.install(database.engineDataSource(), TestMappings.fromYaml(dir, "connection: {schema: sync}\n" + ACCOUNT), TestSchema.LOCK_TIMEOUT);

        assertThat(indexes("sync")).containsExactlyElementsOf(PGFORCE_LOG);
        assertThat(SchemaInstaller.plan(database.engineDataSource(), TestMappings.fromYaml(dir, "connection: {schema: sync}\n" + ACCOUNT)))
                .as("nothing left to change").allMatch(line -> line.startsWith("nothing"));
    }

    @Test
    void everyStatementReadingALargeLogFindsItsRowsThroughAnIndex() {
        SchemaInstaller.install(database.engineDataSource(), TestMappings.fromYaml(dir, ACCOUNT), TestSchema.LOCK_TIMEOUT);
        user.update("INSERT INTO salesforce._trigger_log (txid, state, action, table_name, record_id, sfid, \"values\") SELECT txid_current(),"
                + " CASE WHEN g > " + (ROWS - 500) + " THEN 'NEW' WHEN g % 20 = 0 THEN 'FAILED' ELSE 'SUCCESS' END,"
                + " CASE WHEN g % 7 = 0 THEN 'DELETE' ELSE 'INSERT' END, 'account', g % 50000, '001' || lpad(g::text, 15, '0'), '{}'"
                + " FROM generate_series(1, " + ROWS + ") g");
        user.execute("ANALYZE salesforce._trigger_log");
        FencedLog log = new FencedLog(database.engineDataSource(), "salesforce", "host-a");
        SqlTemplates claims = SqlTemplates.load("schema/trigger-log-claims.sql");
        SqlTemplates operator = SqlTemplates.load("schema/trigger-log-operator.sql");
        SqlTemplates housekeeping = SqlTemplates.load("schema/trigger-log-housekeeping.sql");
        Map<String, String> held = Map.of("held", log.sql(claims, "held-back"));
        Map<String, String> statements = Map.of(
                "claim", log.sql(claims, "claim", held).replaceFirst("\\?", "200"),
                "claim-commit-consistent", log.sql(claims, "claim-commit-consistent", held).replaceFirst("\\?", "30").replaceFirst("\\?", "200"),
                "kept-back", log.sql(claims, "kept-back"),
                "reclaim", log.sql(claims, "reclaim"),
                "hold", log.sql(claims, "hold", Map.of("heldNote", "'held'")),
                "learnt-sfids", log.sql(claims, "learnt-sfids", Map.of("from", log.liveTable())).replaceFirst("\\?", "'account'").replaceFirst("\\?", "ARRAY[1, 2, 3]"),
                "retry", log.sql(operator, "retry") + " " + log.sql(operator, "of-table").replace("?", "'account'"),
                "ignore", log.sql(operator, "ignore", Map.of("from", log.liveTable())),
                "archive", log.sql(housekeeping, "archive").replaceFirst("\\?", "600"));
        Map<String, String> plans = statements.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, s -> user.query("EXPLAIN " + s.getValue()
                .replace("?", "'host-a'")).stream().map(r -> r.values().iterator().next().toString()).collect(Collectors.joining("\n"))));
        // the archive's delete of the rows it selected (50,000 a statement) may join them by id to a scan of the log
        plans.computeIfPresent("archive", (name, plan) -> plan.replace("Seq Scan on _trigger_log t ", "the rows selected"));
        assertThat(plans).allSatisfy((name, plan) -> assertThat(plan).as("%s's plan", name).doesNotContain("Seq Scan on _trigger_log"));
    }

    private List<String> indexes(String schema) {
        return user.query("SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = '_trigger_log' ORDER BY indexname", schema)
                .stream().map(r -> (String) r.get("indexname")).toList();
    }
}
