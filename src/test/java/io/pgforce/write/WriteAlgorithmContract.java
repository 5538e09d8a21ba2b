package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.config.MappingSet;
import io.pgforce.plan.WriteAlgorithm;
import io.pgforce.simulator.CallLog;
import io.pgforce.testing.EndToEndWrites;
import io.pgforce.testing.RandomWorkload;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same changes under either write algorithm, each test written once and run by
 * {@link OrderedWritesTest} and {@link MergedWritesTest}, each on an application with its
 * algorithm's mapping. The algorithm is read from the mapping file when the application starts, so
 * one application runs one algorithm: the algorithm is the parameter of the test class, not of the
 * test method, and a test asks {@link #algorithm()} where the two promise different things.
 */
abstract class WriteAlgorithmContract extends EndToEndWrites {

    @Inject
    MappingSet mappings;

    /** The algorithm of the running application. */
    WriteAlgorithm algorithm() {
        return mappings.connection().writeAlgorithm();
    }

    /** Property: whatever the applications write, Salesforce ends up equal to Postgres. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void salesforceEqualsPostgresAfterTheDrain(long seed) {
        RandomWorkload workload = new RandomWorkload(t, seed);
        workload.run(60);
        workload.assertSalesforceMatchesPostgres();
    }

    /** Which of a parent and its child the application inserts first, in one transaction. */
    enum Order {
        PARENT_FIRST, CHILD_FIRST
    }

    /**
     * A parent and its child in one cycle, the child naming its parent by external ID. Merged Writes
     * sends the parent first whatever the order; Ordered Writes sends the changes as they were made,
     * so a child inserted first reaches Salesforce before its parent exists and fails.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Order.class)
    void parentAndChildByExternalIdInOneCycle(Order order) {
        String parent = "INSERT INTO salesforce.account (name, external_id__c) VALUES ('Parent', 'P-1')";
        String child = "INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES ('Child', 'K-1', 'P-1')";
        t.transaction(db -> {
            db.update(order == Order.PARENT_FIRST ? parent : child);
            db.update(order == Order.PARENT_FIRST ? child : parent);
        });
        t.drained(Duration.ofSeconds(20));

        if (algorithm() == WriteAlgorithm.ORDERED && order == Order.CHILD_FIRST) {
            assertThat(t.state(1)).isEqualTo("FAILED");
            assertThat(t.db.scalar("SELECT sf_message FROM salesforce._trigger_log WHERE id = 1").toString())
                    .startsWith("INVALID_CROSS_REFERENCE_KEY: Foreign key external ID: P-1 not found");
            assertThat(t.state(2)).isEqualTo("SUCCESS");
        } else {
            assertThat(t.states("SUCCESS")).isEqualTo(2);
            t.assertParentOf("K-1", "P-1");
        }
    }

    /**
     * The seed's rapid update example: a name changed twice in one transaction. Ordered Writes sends
     * both updates; Merged Writes folds the first into the second and sends only "Nate".
     */
    @Test
    void theSeedsRapidUpdateExample() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Nat', 'N-1')");
        t.drained(Duration.ofSeconds(20));
        t.transaction(db -> {
            db.update("UPDATE salesforce.account SET name = 'Nathaniel'");
            db.update("UPDATE salesforce.account SET name = 'Nate'");
        });
        t.drained(Duration.ofSeconds(20));

        List<String> states = switch (algorithm()) {
            case ORDERED -> List.of("SUCCESS", "SUCCESS", "SUCCESS");
            case MERGED -> List.of("SUCCESS", "MERGED", "SUCCESS");
        };
        assertThat(t.db.query("SELECT state FROM salesforce._trigger_log ORDER BY id")).extracting(r -> r.get("state")).containsExactlyElementsOf(states);
        assertThat(t.calls("SOAP", "update")).extracting(CallLog.Call::records)
                .containsExactlyElementsOf(algorithm() == WriteAlgorithm.ORDERED ? List.of(1, 1) : List.of(1));
        assertThat(t.record("Account", "N-1").get("Name")).isEqualTo("Nate");
        assertThat(t.db.scalar("SELECT _hc_lastop FROM salesforce.account")).isEqualTo("UPDATED");
    }
}
