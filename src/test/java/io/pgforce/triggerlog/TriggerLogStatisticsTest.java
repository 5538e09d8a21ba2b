package io.pgforce.triggerlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.TestSchema;
import io.pgforce.testing.UserSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backlog and activity numbers operators see, from the live log and the archive. */
class TriggerLogStatisticsTest {

    @TempDir
    Path dir;
    UserSession user;
    TriggerLogStatistics statistics;

    @BeforeEach
    void install() throws Exception {
        TestDatabase database = TestDatabase.create("statistics");
        SchemaInstaller.install(database.engineDataSource(), TestMappings.fromYaml(dir,
                "mappings: [{object: Account, unique_identifier: Ext__c, fields: {Name: text, Ext__c: text}},"
                        + " {object: Contact, unique_identifier: Ext__c, fields: {LastName: text, Ext__c: text}}]"), TestSchema.LOCK_TIMEOUT);
        statistics = new TriggerLogStatistics(database.engineDataSource(), "salesforce");
        user = database.userSession();
    }

    @AfterEach
    void close() {
        user.close();
    }

    @Test
    void nothingWaitsInAnEmptyLog() throws Exception {
        assertThat(statistics.oldestNewAge()).isEmpty();
        assertThat(statistics.perTable()).isEmpty();
    }

    @Test
    void countsPendingFailedAndWrittenTodayPerTableFromTheLogAndTheArchive() throws Exception {
        user.update("INSERT INTO salesforce.account (name, ext__c) SELECT 'A' || g, 'A-' || g FROM generate_series(1, 6) g");
        user.update("INSERT INTO salesforce.contact (lastname, ext__c) VALUES ('C', 'C-1')");
        // account: 1, 2 written today; 3 failed; 4 written yesterday; 5 PENDING; 6 NEW; plus an archived failure and success
        user.update("UPDATE salesforce._trigger_log SET state = 'SUCCESS', processed_at = now() WHERE id IN (1, 2)");
        user.update("UPDATE salesforce._trigger_log SET state = 'FAILED', processed_at = now() WHERE id = 3");
        user.update("UPDATE salesforce._trigger_log SET state = 'SUCCESS', processed_at = now() - interval '2 days' WHERE id = 4");
        user.update("UPDATE salesforce._trigger_log SET state = 'PENDING' WHERE id = 5");
        user.update("INSERT INTO salesforce._trigger_log_archive (id, state, action, table_name, record_id, processed_at) VALUES "
                + "(100, 'FAILED', 'INSERT', 'account', 99, now() - interval '3 days'), (101, 'SUCCESS', 'INSERT', 'account', 98, now())");

        TriggerLogStatistics.TableCounts account = statistics.perTable().get("account");
        assertThat(account.pending()).isEqualTo(2);
        assertThat(account.failed()).isEqualTo(2);
        assertThat(account.writtenToday()).isEqualTo(3);
        assertThat(account.live()).containsEntry(TriggerLogState.SUCCESS, 3L).containsEntry(TriggerLogState.NEW, 1L);
        assertThat(statistics.perTable().get("contact").pending()).isEqualTo(1);
    }

    /** A state pgforce does not know (another tool's, a hand edit) is left alone: counted apart, breaking no count. */
    @Test
    void aStatePgforceDoesNotKnowIsCountedApartAndBreaksNoCount() throws Exception {
        user.update("INSERT INTO salesforce.account (name, ext__c) SELECT 'A' || g, 'A-' || g FROM generate_series(1, 3) g");
        user.update("UPDATE salesforce._trigger_log SET state = 'HOLD' WHERE id IN (1, 2)");

        assertThat(statistics.perTable().get("account").pending()).isEqualTo(1);
        assertThat(statistics.unknownStates()).containsExactly(Map.entry("HOLD", 2L));
    }

    @Test
    void theOldestWaitingChangeCountsWhetherNewOrPending() throws Exception {
        user.update("INSERT INTO salesforce.account (name, ext__c) VALUES ('old', 'O-1'), ('young', 'Y-1')");
        user.update("UPDATE salesforce._trigger_log SET created_at = now() - interval '10 minutes', state = 'PENDING' WHERE id = 1");

        Duration age = statistics.oldestNewAge().orElseThrow();
        assertThat(age).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(11));
    }

    @Test
    void activityCountsWrittenAndFailedPerIntervalWithEmptyIntervalsIncluded() throws Exception {
        user.update("INSERT INTO salesforce.account (name, ext__c) SELECT 'A' || g, 'A-' || g FROM generate_series(1, 4) g");
        user.update("UPDATE salesforce._trigger_log SET state = 'SUCCESS', processed_at = now() WHERE id IN (1, 2)");
        user.update("UPDATE salesforce._trigger_log SET state = 'FAILED', processed_at = now() - interval '30 minutes' WHERE id = 3");
        user.update("INSERT INTO salesforce._trigger_log_archive (id, state, action, table_name, record_id, processed_at) VALUES "
                + "(100, 'SUCCESS', 'INSERT', 'account', 99, now() - interval '30 minutes'), (101, 'SUCCESS', 'INSERT', 'account', 98, now() - interval '2 hours')");

        List<TriggerLogStatistics.ActivityPoint> points = statistics.activity(Duration.ofHours(1), Duration.ofMinutes(1));
        assertThat(points).hasSize(60);
        assertThat(points.get(59).written()).isEqualTo(2);
        assertThat(points.stream().mapToLong(TriggerLogStatistics.ActivityPoint::written).sum()).as("the 2-hour-old one is outside").isEqualTo(3);
        assertThat(points.stream().mapToLong(TriggerLogStatistics.ActivityPoint::failed).sum()).isEqualTo(1);
        assertThat(points.get(0).at()).isBefore(points.get(59).at());
    }
}
