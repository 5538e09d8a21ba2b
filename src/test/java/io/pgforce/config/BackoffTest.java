package io.pgforce.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Backoff RETRY = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    @Test
    void doublesFromTheFirstDelayUpToTheMaximum() {
        assertThat(RETRY.delayMillis(0)).isEqualTo(1_000);
        assertThat(RETRY.delayMillis(1)).isEqualTo(2_000);
        assertThat(RETRY.delayMillis(5)).isEqualTo(32_000);
        assertThat(RETRY.delayMillis(6)).isEqualTo(60_000);
        assertThat(RETRY.delay(7)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void hugeAttemptNumbersStayAtTheMaximum() {
        for (int attempt : new int[] {20, 52, 53, 54, 62, 63, 64, 65, 1_000, Integer.MAX_VALUE}) {
            assertThat(RETRY.delayMillis(attempt)).as("attempt %d", attempt).isEqualTo(60_000);
        }
        Backoff widest = new Backoff(Duration.ofMillis(1), Duration.ofMillis(Long.MAX_VALUE));
        assertThat(widest.delayMillis(62)).isEqualTo(1L << 62);
        assertThat(widest.delayMillis(63)).isEqualTo(Long.MAX_VALUE);
        assertThat(widest.delayMillis(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aMaximumBelowTheFirstDelayIsEveryDelay() {
        assertThat(new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).delayMillis(0)).isEqualTo(1_000);
    }

    @Test
    void aZeroDelayOrANegativeAttemptIsAMistake() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RETRY.delayMillis(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
