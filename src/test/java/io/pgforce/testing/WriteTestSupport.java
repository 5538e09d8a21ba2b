package io.pgforce.testing;

import static org.awaitility.Awaitility.await;

import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.simulator.SimRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** What the end-to-end write tests share: a clean database and org, transactions, the drain, the call log. */
public final class WriteTestSupport implements AutoCloseable {

    public final UserSession db;
    public final SalesforceSimulator sf;

    public WriteTestSupport() {
        db = PostgresTestResource.userSession();
        // the trigger log, its archive and every mapping table; the engine's own tables stay
        String truncate = "TRUNCATE " + db.scalar("SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') FROM pg_tables WHERE schemaname = 'salesforce' "
                + "AND tablename NOT IN ('_hc_writer', '_hc_connection', '_hcmeta', '_pgforce_schema', '_pgforce_adoption', '_sf_event_log')") + " RESTART IDENTITY";
        // pgforce may still be settling the last test's changes: TRUNCATE locks the tables one by one,
        // the write-back in its own order, and PostgreSQL ends a deadlock by failing one of the two
        for (int attempt = 1; ; attempt++) {
            try {
                db.execute(truncate);
                break;
            } catch (IllegalStateException e) {
                if (attempt == 5 || !(e.getCause() instanceof SQLException sql && "40P01".equals(sql.getSQLState()))) {
                    throw e;
                }
            }
        }
        sf = SalesforceTestResource.simulator();
        sf.reset();
    }

    /** Runs the statements in one transaction, so that one cycle sees all of their changes. */
    public void transaction(Consumer<UserSession> work) {
        Connection c = db.connection();
        try {
            c.setAutoCommit(false);
            work.accept(db);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the session is closed with the test
            }
        }
    }

    /** Waits until nothing is left to send. */
    public void drained(Duration within) {
        await().atMost(within).until(this::nothingToSend);
    }

    /**
     * The same, after the org lost a response: camel-cxf's HTTP conduit may then fail on a work-queue
     * thread of its own while it unwinds the call (a NoSuchElementException in CXF, not an outcome
     * of pgforce's), which would otherwise fail the wait; what became of the changes is what the test checks.
     */
    public void drainedAfterALostResponse(Duration within) {
        await().dontCatchUncaughtExceptions().atMost(within).until(this::nothingToSend);
    }

    private boolean nothingToSend() {
        return db.count("SELECT count(*) FROM salesforce._trigger_log WHERE state IN ('NEW', 'PENDING')") == 0;
    }

    public long states(String state) {
        return db.count("SELECT count(*) FROM salesforce._trigger_log WHERE state = ?", state);
    }

    public String state(long id) {
        return (String) db.scalar("SELECT state FROM salesforce._trigger_log WHERE id = ?", id);
    }

    /** The org's record with this External_Id__c. */
    public SimRecord record(String object, String externalId) {
        return sf.org().findByExternalId(object, "External_Id__c", externalId)
                .orElseThrow(() -> new AssertionError("no " + object + " " + externalId + " in the org"));
    }

    /** The contact's AccountId points at the account, both found by external ID. */
    public void assertParentOf(String contactExternalId, String accountExternalId) {
        org.assertj.core.api.Assertions.assertThat(record("Contact", contactExternalId).get("AccountId"))
                .isEqualTo(record("Account", accountExternalId).id());
    }

    public List<CallLog.Call> calls(String api, String operation) {
        return sf.calls().calls(api, operation);
    }

    @Override
    public void close() {
        db.close();
    }
}
