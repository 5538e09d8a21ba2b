package io.pgforce.cycle;

import io.pgforce.testing.TestSchema;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.schema.SchemaInstaller;
import io.pgforce.triggerlog.TestClaims;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.UserSession;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

class WriterLeaseTest {

    @TempDir
    Path dir;

    private PGSimpleDataSource installed(TestDatabase database) {
        PGSimpleDataSource engine = database.engineDataSource();
        SchemaInstaller.install(engine, TestMappings.fromYaml(dir, "mappings: [{object: Account, fields: {Name: text}}]"), TestSchema.LOCK_TIMEOUT);
        return engine;
    }

    private static WriterLease lease(PGSimpleDataSource engine, String owner, long ttlSeconds) {
        return lease(engine, owner, ttlSeconds, Clock.systemUTC());
    }

    private static WriterLease lease(PGSimpleDataSource engine, String owner, long ttlSeconds, Clock clock) {
        return new WriterLease(engine, TestClaims.of(engine, "salesforce", owner), "salesforce", owner, ttlSeconds, clock);
    }

    @Test
    void theHeartbeatRenewsAtAThirdOfTheLifetime() throws Exception {
        PGSimpleDataSource engine = installed(TestDatabase.create("lease_heartbeat"));
        AtomicLong now = new AtomicLong(1_000_000);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        WriterLease lease = lease(engine, "host-a", 30, clock);
        assertThat(lease.acquire()).isTrue();
        java.sql.Timestamp first = expiry(engine);
        now.addAndGet(9_000);
        lease.contend();
        assertThat(expiry(engine)).as("not yet a third").isEqualTo(first);
        now.addAndGet(1_000);
        lease.contend();
        assertThat(expiry(engine)).as("a third of 30 s has passed").isAfter(first);
    }

    private static java.sql.Timestamp expiry(PGSimpleDataSource engine) {
        try (var c = engine.getConnection(); var rs = c.createStatement().executeQuery("SELECT expires_at FROM salesforce._hc_writer")) {
            rs.next();
            return rs.getTimestamp(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aStandbyKnowsTheHolderAndTriesAgainJustAfterItsLeaseEnds() throws Exception {
        PGSimpleDataSource engine = installed(TestDatabase.create("lease_standby"));
        WriterLease writer = lease(engine, "host-a", 30);
        WriterLease standby = lease(engine, "host-b", 30);
        assertThat(writer.contend()).isTrue();
        assertThat(writer.holder()).contains("host-a");
        assertThat(writer.millisUntilNextBeat()).as("a third of the lifetime").isBetween(9_000L, 10_000L);

        assertThat(standby.contend()).isFalse();
        assertThat(standby.holder()).contains("host-a");
        assertThat(standby.millisUntilNextBeat()).as("capped at a third of the lifetime").isBetween(9_000L, 10_000L);
        try (var c = engine.getConnection()) {
            c.createStatement().execute("UPDATE salesforce._hc_writer SET expires_at = now() + interval '2 seconds'");
        }
        assertThat(standby.contend()).isFalse();
        assertThat(standby.millisUntilNextBeat()).as("just after the holder's lease ends").isBetween(1_000L, 2_200L);

        writer.release();
        assertThat(standby.contend()).isTrue();
        assertThat(standby.holder()).contains("host-b");
    }

    @Test
    void onlyOneInstanceWritesAtATime() throws Exception {
        PGSimpleDataSource engine = installed(TestDatabase.create("lease"));
        WriterLease first = lease(engine, "host-a", 30);
        WriterLease second = lease(engine, "host-b", 30);

        assertThat(first.acquire()).isTrue();
        assertThat(second.acquire()).isFalse();
        assertThat(first.acquire()).as("renewal").isTrue();
        assertThat(second.acquire()).isFalse();

        first.release();
        assertThat(second.acquire()).isTrue();
        assertThat(first.acquire()).isFalse();
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsPendingRowsReclaimed() throws Exception {
        TestDatabase database = TestDatabase.create("lease_takeover");
        PGSimpleDataSource engine = installed(database);
        try (UserSession user = database.userSession()) {
            user.update("INSERT INTO salesforce.account (name) SELECT 'n' || g FROM generate_series(1, 3) g");
            WriterLease crashed = lease(engine, "crashed-host", 30);
            assertThat(crashed.acquire()).isTrue();
            user.update("UPDATE salesforce._trigger_log SET state = 'PENDING' WHERE id <= 2");

            WriterLease successor = lease(engine, "new-host", 30);
            assertThat(successor.acquire()).as("lease still valid").isFalse();
            assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log WHERE state = 'PENDING'")).isEqualTo(2);

            user.update("UPDATE salesforce._hc_writer SET expires_at = now() - interval '1 second'");
            assertThat(successor.acquire()).isTrue();
            assertThat(user.query("SELECT state FROM salesforce._trigger_log ORDER BY id")).extracting(r -> r.get("state"))
                    .containsExactly("NEW", "NEW", "NEW");
        }
    }

    @Test
    void everyCycleReclaimsWhatAFailedCycleLeftPending() throws Exception {
        TestDatabase database = TestDatabase.create("lease_cycle");
        PGSimpleDataSource engine = installed(database);
        try (UserSession user = database.userSession()) {
            user.update("INSERT INTO salesforce.account (name) VALUES ('a')");
            WriterLease lease = lease(engine, "host-a", 30);
            assertThat(lease.acquire()).isTrue();
            user.update("UPDATE salesforce._trigger_log SET state = 'PENDING'");

            lease.contend();
            assertThat(user.scalar("SELECT state FROM salesforce._trigger_log")).as("a heartbeat leaves a running cycle alone").isEqualTo("PENDING");
            assertThat(lease.acquire()).isTrue();
            assertThat(user.scalar("SELECT state FROM salesforce._trigger_log")).isEqualTo("NEW");
        }
    }

    @Test
    void aRestartedInstanceReclaimsAtOnce() throws Exception {
        TestDatabase database = TestDatabase.create("lease_restart");
        PGSimpleDataSource engine = installed(database);
        try (UserSession user = database.userSession()) {
            user.update("INSERT INTO salesforce.account (name) VALUES ('a')");
            assertThat(lease(engine, "host-a", 30).acquire()).isTrue();
            user.update("UPDATE salesforce._trigger_log SET state = 'PENDING'");

            // same instance id after a crash: no need to wait for the lease to expire
            assertThat(lease(engine, "host-a", 30).acquire()).isTrue();
            assertThat(user.scalar("SELECT state FROM salesforce._trigger_log")).isEqualTo("NEW");
        }
    }
}
