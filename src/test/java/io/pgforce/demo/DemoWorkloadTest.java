package io.pgforce.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.config.MappingLoader;
import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestSchema;
import io.pgforce.testing.UserSession;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's application writes as a user does: its changes are captured, and some are meant to fail. */
class DemoWorkloadTest {

    @Test
    void ticksWriteCapturedAccountsAndEveryTenthOneHasNoName() throws Exception {
        TestDatabase database = TestDatabase.create("demo_workload");
        SchemaInstaller.install(database.engineDataSource(), MappingLoader.load(Path.of("mappings/demo.yaml")), TestSchema.LOCK_TIMEOUT);
        DemoWorkload workload = new DemoWorkload(database.url(), database.user(), database.password(), true, Duration.ofSeconds(5), 3);

        for (int i = 0; i < DemoWorkload.FAILING_EVERY; i++) {
            workload.tick();
        }

        try (UserSession user = database.userSession()) {
            assertThat(user.count("SELECT count(*) FROM salesforce.account")).isEqualTo(3L * DemoWorkload.FAILING_EVERY);
            assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log WHERE state = 'NEW' AND action = 'INSERT'"))
                    .as("captured like any application's writes").isEqualTo(3L * DemoWorkload.FAILING_EVERY);
            assertThat(user.count("SELECT count(*) FROM salesforce.account WHERE name IS NULL")).isEqualTo(1);
            user.update("UPDATE salesforce.account SET sfid = '001000000000001AAA' WHERE id = 1");
            user.update("INSERT INTO salesforce.account (name, external_id__c, sfid) VALUES ('an earlier run', 'DEMO-1-1-0', '001000000000002AAA')");
        }
        workload.tick();
        try (UserSession user = database.userSession()) {
            assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log WHERE action = 'UPDATE' AND state = 'NEW' AND record_id = 1"))
                    .as("this run's account updated").isEqualTo(1);
            assertThat(user.count("SELECT count(*) FROM salesforce.account WHERE description IS NOT NULL AND external_id__c = 'DEMO-1-1-0'"))
                    .as("an earlier run's account, not in the in-memory org, left alone").isZero();
        }
    }
}
