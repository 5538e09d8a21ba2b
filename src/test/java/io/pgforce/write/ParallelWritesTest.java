package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.simulator.CallLog;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.pgforce.testing.RandomWorkload;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** write_concurrency: 4 end to end: independent batches go at once, dependent ones in order, and the org ends as serial writing leaves it. */
@QuarkusTest
@EndToEnd(mapping = "test-parallel.yaml")
class ParallelWritesTest extends EndToEndWrites {

    /** A call's time in the org: it ends at {@code at} and took {@code durationMillis}. */
    private record Span(Instant from, Instant to, CallLog.Call call) {

        static Span of(CallLog.Call c) {
            return new Span(c.at().minusMillis(c.durationMillis()), c.at(), c);
        }
    }

    private static List<Span> spans(List<CallLog.Call> calls) {
        return calls.stream().map(Span::of).toList();
    }

    /**
     * The most calls that were in the org at the same moment: the most in it as one of them starts
     * (a call overlapping another's start and a third's end were not all in it at once).
     */
    private static int mostAtOnce(List<Span> spans) {
        int most = 0;
        for (Span s : spans) {
            most = Math.max(most, (int) spans.stream().filter(o -> !o.from().isAfter(s.from()) && s.from().isBefore(o.to())).count());
        }
        return most;
    }

    @Test
    void independentBatchesGoUpToFourAtOnce() {
        // long enough calls that a lane starting late on a loaded machine still overlaps the others
        t.sf.faults().latency(600, 0);
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Account ' || g, 'A-' || g FROM generate_series(1, 1600) g");
        t.drained(Duration.ofSeconds(60));

        List<CallLog.Call> upserts = t.calls("SOAP", "upsert");
        assertThat(upserts).hasSize(8).allSatisfy(c -> assertThat(c.records()).isEqualTo(200));
        assertThat(mostAtOnce(spans(upserts))).as("batches of different records, four lanes: %s", t.sf.calls().calls()).isEqualTo(4);
        assertThat(t.states("SUCCESS")).isEqualTo(1600);
        assertThat(t.sf.org().count("Account")).isEqualTo(1600);
    }

    @Test
    void aChildNeverOvertakesItsParent() {
        t.sf.faults().latency(200, 0);
        t.transaction(db -> {
            db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Parent ' || g, 'P-' || g FROM generate_series(1, 400) g");
            db.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) "
                    + "SELECT 'Child ' || g, 'K-' || g, 'P-' || g FROM generate_series(1, 400) g");
        });
        t.drained(Duration.ofSeconds(60));

        assertThat(t.states("SUCCESS")).isEqualTo(800);
        List<Span> parents = spans(t.calls("SOAP", "upsert")).stream().filter(s -> s.call().objects().contains("Account")).toList();
        List<Span> children = spans(t.calls("SOAP", "upsert")).stream().filter(s -> s.call().objects().contains("Contact")).toList();
        assertThat(parents).hasSize(2);
        assertThat(children).hasSize(2);
        assertThat(mostAtOnce(parents)).as("the parents' batches are independent").isEqualTo(2);
        Instant lastParent = parents.stream().map(Span::to).max(Instant::compareTo).orElseThrow();
        assertThat(children).allSatisfy(c -> assertThat(c.from()).isAfterOrEqualTo(lastParent));
        for (int i = 1; i <= 400; i += 57) {
            t.assertParentOf("K-" + i, "P-" + i);
        }
    }

    @Test
    void aRecordsChangesKeepTheirOrder() {
        t.sf.faults().latency(100, 0);
        t.db.update("INSERT INTO salesforce.account (name, numberofemployees, external_id__c) SELECT 'Account ' || g, 0, 'A-' || g FROM generate_series(1, 300) g");
        t.drained(Duration.ofSeconds(60));
        t.transaction(db -> {
            for (int round = 1; round <= 3; round++) {
                db.update("UPDATE salesforce.account SET numberofemployees = ? WHERE id % 2 = 0", (double) round);
                db.update("UPDATE salesforce.account SET numberofemployees = ? WHERE id % 2 = 1", (double) round * 10);
            }
        });
        t.drained(Duration.ofSeconds(60));

        assertThat(t.states("FAILED")).isZero();
        assertThat(t.record("Account", "A-2").get("NumberOfEmployees")).isEqualTo(3.0);
        assertThat(t.record("Account", "A-3").get("NumberOfEmployees")).isEqualTo(30.0);
        assertThat(t.sf.org().records("Account")).allSatisfy(r -> assertThat(r.get("NumberOfEmployees")).isIn(3.0, 30.0));
    }

    @Test
    void aLongBulkRunGoesAsOneJobPerLaneAtOnce() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Account ' || g, 'B-' || g FROM generate_series(1, 8000) g");
        t.drained(Duration.ofSeconds(90));

        List<CallLog.Call> jobs = t.calls("BULK", "createJob");
        assertThat(jobs).as("8,000 records, four lanes: four jobs of 2,000").hasSize(4);
        assertThat(t.calls("BULK", "ingest:upsert")).extracting(CallLog.Call::records).containsOnly(2000);
        Instant lastCreated = jobs.stream().map(CallLog.Call::at).max(Instant::compareTo).orElseThrow();
        Instant firstDone = t.calls("BULK", "ingest:upsert").stream().map(CallLog.Call::at).min(Instant::compareTo).orElseThrow();
        assertThat(lastCreated).as("all four jobs exist before the first is processed").isBefore(firstDone);
        assertThat(t.states("SUCCESS")).isEqualTo(8000);
    }

    /**
     * Children of four parents, inserted round-robin, written four calls at once while each call holds its parents'
     * locks longer than the lock wait: lock-aware, no two calls at once share a parent, and nothing fails to lock.
     */
    @Test
    void childrenOfFewParentsGoFourAtOnceWithoutLockErrors() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Parent ' || g, 'P-' || g FROM generate_series(1, 4) g");
        t.drained(Duration.ofSeconds(30));
        t.sf.faults().latency(0, 3).lockWait(Duration.ofMillis(200)); // a call of 200 holds its locks 0.6 s
        t.db.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) "
                + "SELECT 'Child ' || g, 'K-' || g, 'P-' || (g % 4 + 1) FROM generate_series(1, 1600) g");
        t.drained(Duration.ofSeconds(60));

        assertThat(t.sf.locks().refused()).as("records refused with UNABLE_TO_LOCK_ROW").isZero();
        assertThat(t.states("SUCCESS")).isEqualTo(1604);
        List<Span> children = spans(t.calls("SOAP", "upsert")).stream().filter(s -> s.call().objects().contains("Contact")).toList();
        assertThat(children).hasSize(8);
        assertThat(mostAtOnce(children)).as("children of different parents still go at once").isEqualTo(4);
        t.assertParentOf("K-7", "P-4");
    }

    /** The same over Bulk: four jobs at once, each holding its parents' locks for 2 s, none failing to lock. */
    @Test
    void bulkJobsOfChildrenOfFewParentsRunAtOnceWithoutLockErrors() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) SELECT 'Parent ' || g, 'P-' || g FROM generate_series(1, 4) g");
        t.drained(Duration.ofSeconds(30));
        t.sf.faults().latency(0, 1).lockWait(Duration.ofMillis(200));
        t.db.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) "
                + "SELECT 'Child ' || g, 'K-' || g, 'P-' || (g % 4 + 1) FROM generate_series(1, 8000) g");
        t.drained(Duration.ofSeconds(90));

        assertThat(t.sf.locks().refused()).as("records refused with UNABLE_TO_LOCK_ROW").isZero();
        assertThat(t.calls("BULK", "ingest:upsert")).hasSize(4);
        assertThat(t.states("SUCCESS")).isEqualTo(8004);
        t.assertParentOf("K-7", "P-4");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {41, 42, 43, 44})
    void salesforceEqualsPostgresAfterTheDrain(long seed) {
        RandomWorkload workload = new RandomWorkload(t, seed);
        workload.run(80);
        workload.assertSalesforceMatchesPostgres();
    }
}
