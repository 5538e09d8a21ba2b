package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The lanes' gate: a batch waits for the batches it depends on and for those being written that lock a record it locks, and none starts after a failure. */
class LaneScheduleTest {

    @Test
    void seriallyEachBatchWaitsForTheOneBeforeIt() throws Exception {
        LaneSchedule schedule = LaneSchedule.serial(3);
        assertThat(schedule.awaitTurn(0)).isTrue();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> turn(schedule, 1));
        assertThatThrownBy(() -> second.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        schedule.finished(0, null);
        assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void inParallelABatchWaitsOnlyForItsDependencies() throws Exception {
        LaneSchedule schedule = LaneSchedule.of(List.of(Set.of(), Set.of(), Set.of(0)), List.of(Set.of(), Set.of(), Set.of()));
        assertThat(schedule.awaitTurn(1)).as("independent of batch 0").isTrue();
        CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> turn(schedule, 2));
        schedule.finished(1, null);
        assertThatThrownBy(() -> third.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        schedule.finished(0, null);
        assertThat(third.get(5, TimeUnit.SECONDS)).isTrue();
        schedule.rethrow();
    }

    @Test
    void aBatchThatLocksARecordOfABatchBeingWrittenWaitsForItToEndNotForItsOrder() throws Exception {
        LaneSchedule schedule = LaneSchedule.of(List.of(Set.of(), Set.of(), Set.of()),
                List.of(Set.of("ext:Account:external_id__c:P-1"), Set.of("ext:Account:external_id__c:P-2"),
                        Set.of("ext:Account:external_id__c:P-2", "ext:Account:external_id__c:P-1")));
        assertThat(schedule.awaitTurn(1)).as("another parent: at once").isTrue();
        assertThat(schedule.awaitTurn(0)).isTrue();
        CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> turn(schedule, 2));
        schedule.finished(0, null);
        assertThatThrownBy(() -> third.get(200, TimeUnit.MILLISECONDS)).as("P-2 is still locked by batch 1").isInstanceOf(TimeoutException.class);
        schedule.finished(1, null);
        assertThat(third.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theLockIsFreeOnceTheBatchEndsWhicheverOrderTheyCameIn() throws Exception {
        LaneSchedule schedule = LaneSchedule.of(List.of(Set.of(), Set.of()), List.of(Set.of("sfid:001000000000001"), Set.of("sfid:001000000000001")));
        assertThat(schedule.awaitTurn(1)).as("mutual exclusion, not an order: the later batch may go first").isTrue();
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> turn(schedule, 0));
        assertThatThrownBy(() -> first.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        schedule.finished(1, null);
        assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void afterAFailureNoBatchStartsAndTheRoundFailsWithTheFirst() throws Exception {
        LaneSchedule schedule = LaneSchedule.of(List.of(Set.of(), Set.of(0), Set.of()), List.of(Set.of(), Set.of(), Set.of()));
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> turn(schedule, 1));
        IllegalStateException first = new IllegalStateException("first");
        schedule.finished(0, first);
        schedule.finished(2, new IllegalStateException("second"));
        assertThat(waiting.get(5, TimeUnit.SECONDS)).as("a waiting batch is not sent").isFalse();
        assertThat(schedule.awaitTurn(2)).isFalse();
        assertThatThrownBy(schedule::rethrow).isSameAs(first);
    }

    private static boolean turn(LaneSchedule schedule, int batch) {
        try {
            return schedule.awaitTurn(batch);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
