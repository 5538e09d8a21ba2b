package io.pgforce.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.simulator.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The budget's decisions: when pgforce may call, when it asks /limits, what Salesforce's answers say. */
class ApiAllocationTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final Deque<Optional<ApiAllocation.Usage>> limitsAnswers = new ArrayDeque<>();
    private int limitsAsked;

    private final ApiAllocation allocation = new ApiAllocation(0.5, Duration.ofMinutes(5), clock, () -> {
        limitsAsked++;
        Optional<ApiAllocation.Usage> answer = limitsAnswers.poll();
        if (answer == null) {
            throw new IllegalStateException("Salesforce is unavailable");
        }
        return answer;
    });

    @Test
    void salesforcesHeadersAreRead() {
        assertThat(ApiAllocation.Usage.fromLimitInfo("api-usage=18/5000")).contains(new ApiAllocation.Usage(18, 5000));
        assertThat(ApiAllocation.Usage.fromLimitInfo("per-app-api-usage=1/2(appName=x)")).isEmpty();
        assertThat(ApiAllocation.Usage.fromLimitInfo(null)).isEmpty();
        allocation.answered("api-usage=2499/5000");
        assertThat(allocation.usage()).contains(new ApiAllocation.Usage(2499, 5000));
    }

    @Test
    void withNoReadingLimitsIsAskedOnceAndCallsGoIfItCannotAnswer() {
        assertThat(allocation.allowsCalls()).as("Salesforce's answer decides").isTrue();
        assertThat(allocation.allowsCalls()).isTrue();
        assertThat(limitsAsked).as("not again within the recheck interval").isEqualTo(1);
        limitsAnswers.add(Optional.of(new ApiAllocation.Usage(10, 100)));
        clock.advance(Duration.ofMinutes(5));
        assertThat(allocation.allowsCalls()).isTrue();
        assertThat(allocation.usage()).contains(new ApiAllocation.Usage(10, 100));
    }

    @Test
    void atTheShareCallsWaitAndLimitsIsAskedOnceARecheckIntervalUntilTheUsageFalls() {
        allocation.answered("api-usage=49/100");
        assertThat(allocation.allowsCalls()).isTrue();
        allocation.answered("api-usage=50/100");
        assertThat(allocation.allowsCalls()).as("50 of 100 is the share").isFalse();
        assertThat(limitsAsked).as("a fresh answer needs no /limits").isZero();

        clock.advance(Duration.ofMinutes(5));
        limitsAnswers.add(Optional.of(new ApiAllocation.Usage(51, 100)));
        assertThat(allocation.allowsCalls()).isFalse();
        assertThat(allocation.allowsCalls()).isFalse();
        assertThat(limitsAsked).isEqualTo(1);
        assertThat(allocation.waiting()).contains("51 of 100").contains("pgforce.api.max-share=0.5 (50)");

        clock.advance(Duration.ofMinutes(5));
        assertThat(allocation.allowsCalls()).as("/limits did not answer: the last reading stands").isFalse();
        clock.advance(Duration.ofMinutes(5));
        limitsAnswers.add(Optional.of(new ApiAllocation.Usage(30, 100)));
        assertThat(allocation.allowsCalls()).isTrue();
        assertThat(limitsAsked).isEqualTo(3);
    }

    @Test
    void anAllocationRaisedOrLoweredIsFollowed() {
        allocation.answered("api-usage=600/1000");
        assertThat(allocation.allowsCalls()).isFalse();
        allocation.answered("api-usage=600/2000");
        assertThat(allocation.allowsCalls()).isTrue();
    }

    @Test
    void aRefusalSaysTheAllocationIsSpentUntilAReadingShowsRoom() {
        allocation.answered("api-usage=10/100");
        allocation.refused();
        assertThat(allocation.allowsCalls()).as("Salesforce's refusal is newer than the reading").isFalse();
        assertThat(allocation.usage()).contains(new ApiAllocation.Usage(100, 100));
        assertThat(allocation.waiting()).contains("REQUEST_LIMIT_EXCEEDED");
        assertThat(limitsAsked).as("not before a recheck interval").isZero();

        clock.advance(Duration.ofMinutes(5));
        assertThat(allocation.allowsCalls()).as("/limits did not answer: still spent").isFalse();
        clock.advance(Duration.ofMinutes(5));
        limitsAnswers.add(Optional.of(new ApiAllocation.Usage(20, 100)));
        assertThat(allocation.allowsCalls()).isTrue();
        assertThat(limitsAsked).isEqualTo(2);
    }

    @Test
    void aRefusalWithNoReadingWaitsToo() {
        allocation.refused();
        assertThat(allocation.allowsCalls()).isFalse();
        assertThat(allocation.waiting()).contains("REQUEST_LIMIT_EXCEEDED");
        clock.advance(Duration.ofMinutes(5));
        limitsAnswers.add(Optional.of(new ApiAllocation.Usage(0, 100)));
        assertThat(allocation.allowsCalls()).isTrue();
    }
}
