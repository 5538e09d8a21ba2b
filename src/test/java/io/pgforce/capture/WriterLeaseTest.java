package io.pgforce.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.UserSession;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

class WriterLeaseTest {

    @TempDir
    Path dir;

    private PGSimpleDataSource installed(TestDatabase database) {
        PGSimpleDataSource engine = database.engineDataSource();
        SchemaInstaller.install(engine, TestMappings.fromYaml(dir, "mappings: [{object: Account, fields: {Name: text}}]"));
        return engine;
    }

    @Test
    void onlyOneInstanceWritesAtATime() {
        PGSimpleDataSource engine = installed(TestDatabase.create("lease"));
        WriterLease first = new WriterLease(engine, "salesforce", "host-a", 30);
        WriterLease second = new WriterLease(engine, "salesforce", "host-b", 30);

        assertThat(first.acquire()).isTrue();
        assertThat(second.acquire()).isFalse();
        assertThat(first.acquire()).as("renewal").isTrue();
        assertThat(second.acquire()).isFalse();

        first.release();
        assertThat(second.acquire()).isTrue();
        assertThat(first.acquire()).isFalse();
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsPendingRowsReclaimed() {
        TestDatabase database = TestDatabase.create("lease_takeover");
        PGSimpleDataSource engine = installed(database);
        try (UserSession user = database.userSession()) {
            user.update("INSERT INTO salesforce.account (name) SELECT 'n' || g FROM generate_series(1, 3) g");
            WriterLease crashed = new WriterLease(engine, "salesforce", "crashed-host", 30);
            assertThat(crashed.acquire()).isTrue();
            user.update("UPDATE salesforce._trigger_log SET state = 'PENDING' WHERE id <= 2");

            WriterLease successor = new WriterLease(engine, "salesforce", "new-host", 30);
            assertThat(successor.acquire()).as("lease still valid").isFalse();
            assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log WHERE state = 'PENDING'")).isEqualTo(2);

            user.update("UPDATE salesforce._hc_writer SET expires_at = now() - interval '1 second'");
            assertThat(successor.acquire()).isTrue();
            assertThat(user.query("SELECT state FROM salesforce._trigger_log ORDER BY id")).extracting(r -> r.get("state"))
                    .containsExactly("NEW", "NEW", "NEW");
        }
    }

    @Test
    void everyCycleReclaimsWhatAFailedCycleLeftPending() {
        TestDatabase database = TestDatabase.create("lease_cycle");
        PGSimpleDataSource engine = installed(database);
        try (UserSession user = database.userSession()) {
            user.update("INSERT INTO salesforce.account (name) VALUES ('a')");
            WriterLease lease = new WriterLease(engine, "salesforce", "host-a", 30);
            assertThat(lease.acquire()).isTrue();
            user.update("UPDATE salesforce._trigger_log SET state = 'PENDING'");

            lease.renew();
            assertThat(user.scalar("SELECT state FROM salesforce._trigger_log")).as("a heartbeat leaves a running cycle alone").isEqualTo("PENDING");
            assertThat(lease.acquire()).isTrue();
            assertThat(user.scalar("SELECT state FROM salesforce._trigger_log")).isEqualTo("NEW");
        }
    }

    @Test
    void aRestartedInstanceReclaimsAtOnce() {
        TestDatabase database = TestDatabase.create("lease_restart");
        PGSimpleDataSource engine = installed(database);
        try (UserSession user = database.userSession()) {
            user.update("INSERT INTO salesforce.account (name) VALUES ('a')");
            assertThat(new WriterLease(engine, "salesforce", "host-a", 30).acquire()).isTrue();
            user.update("UPDATE salesforce._trigger_log SET state = 'PENDING'");

            // same instance id after a crash: no need to wait for the lease to expire
            assertThat(new WriterLease(engine, "salesforce", "host-a", 30).acquire()).isTrue();
            assertThat(user.scalar("SELECT state FROM salesforce._trigger_log")).isEqualTo("NEW");
        }
    }
}
