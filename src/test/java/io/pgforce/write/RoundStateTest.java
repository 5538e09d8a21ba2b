package io.pgforce.write;

import io.pgforce.salesforce.Outcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.plan.Api;
import io.pgforce.plan.Operation;
import io.pgforce.plan.WriteBatch;
import io.pgforce.plan.WriteItem;
import io.pgforce.salesforce.RecordError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundStateTest {

    private static WriteItem item(long logId, long recordId, Operation op, String sfid) {
        return new WriteItem("account", "Account", recordId, op, sfid, Map.of("name", "x"), logId, List.of());
    }

    private static WriteBatch batch(WriteItem... items) {
        return new WriteBatch(1, Api.SOAP, items[0].operation(), null, List.of(items));
    }

    @Test
    void underOrderedWritesAFailedInsertHoldsBackLaterChangesOfItsRecord() {
        RoundState cycle = new RoundState(true);
        WriteItem insert = item(1, 7, Operation.CREATE, null);
        cycle.record(Outcome.failed(insert, RecordError.fromSalesforce("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", List.of("Name"))));

        RoundState.Admission admission = cycle.admit(batch(item(2, 7, Operation.UPDATE, null), item(3, 8, Operation.UPDATE, "001000000000008AAA")));

        assertThat(admission.toSend().items()).extracting(WriteItem::logId).containsExactly(3L);
        assertThat(admission.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(Outcome.Kind.HELD);
            assertThat(o.note()).contains("trigger log id 1").contains("set that row's state to NEW");
        });
    }

    @Test
    void underMergedWritesNothingIsHeld() {
        RoundState cycle = new RoundState(false);
        cycle.record(Outcome.failed(item(1, 7, Operation.CREATE, null), RecordError.fromSalesforce("X", "y", List.of())));

        RoundState.Admission admission = cycle.admit(batch(item(2, 7, Operation.UPDATE, "001000000000007AAA")));

        assertThat(admission.toSend().items()).hasSize(1);
        assertThat(admission.outcomes()).isEmpty();
    }

    @Test
    void sfidsLearntEarlierInTheCycleAreFilledIn() {
        RoundState cycle = new RoundState(true);
        cycle.record(Outcome.success(item(1, 7, Operation.UPSERT, null), "001000000000007AAA"));

        RoundState.Admission admission = cycle.admit(batch(item(2, 7, Operation.UPDATE, null)));

        assertThat(admission.toSend().items()).singleElement().extracting(WriteItem::sfid).isEqualTo("001000000000007AAA");
    }

    @Test
    void withoutAnSfidADeleteIsIgnoredAndAnUpdateFails() {
        RoundState cycle = new RoundState(true);

        RoundState.Admission deletes = cycle.admit(batch(item(1, 7, Operation.DELETE, null)));
        RoundState.Admission updates = cycle.admit(batch(item(2, 8, Operation.UPDATE, null)));

        assertThat(deletes.toSend().items()).isEmpty();
        assertThat(deletes.outcomes()).singleElement().extracting(Outcome::kind).isEqualTo(Outcome.Kind.IGNORED);
        assertThat(updates.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
            assertThat(o.error().statusCode()).isEqualTo("MISSING_SFID");
        });
    }
}
