package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.simulator.CallLog;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ordered Writes with ordering: record end to end: alternating parents and children share full messages, parents first. */
@QuarkusTest
@EndToEnd(mapping = "test-record-ordering.yaml")
class RecordOrderedWritesTest extends EndToEndWrites {

    @Test
    void alternatingParentsAndChildrenGoInFullMessagesWithTheRightParents() {
        // the benchmark's W3 shape: an account, then a contact naming it; in log order 100 messages of 10 chunks
        t.transaction(db -> {
            for (int i = 1; i <= 500; i++) {
                db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES (?, ?)", "A" + i, "P-" + i);
                db.update("INSERT INTO salesforce.contact (lastname, external_id__c, account__r__external_id__c) VALUES (?, ?, ?)",
                        "C" + i, "K-" + i, "P-" + i);
            }
        });
        t.drained(Duration.ofSeconds(60));

        assertThat(t.states("SUCCESS")).isEqualTo(1000);
        List<CallLog.Call> calls = t.calls("SOAP", "upsert");
        assertThat(calls).as("%s", calls).hasSize(6).allSatisfy(c -> assertThat(c.objects()).hasSize(1));
        assertThat(calls).extracting(CallLog.Call::records).containsOnly(200, 100);
        for (int i = 1; i <= 500; i += 37) {
            t.assertParentOf("K-" + i, "P-" + i);
        }
    }
}
