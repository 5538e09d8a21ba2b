package io.pgforce.cycle;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;

/**
 * Keeps write cycles at least {@code pgforce.poll.min-interval} apart (the original: 10 s),
 * however often notifications arrive. The cycle route delays by {@link #millisUntilNextCycle()}.
 */
@ApplicationScoped
@Unremovable
@Named("pollCadence")
public class PollCadence {

    private final long minIntervalMillis;
    private final Clock clock;
    private volatile long lastStart = Long.MIN_VALUE / 2;

    @Inject
    PollCadence(PollSettings poll) {
        this(poll.minInterval().toMillis(), Clock.systemUTC());
    }

    PollCadence(long minIntervalMillis, Clock clock) {
        this.minIntervalMillis = minIntervalMillis;
        this.clock = clock;
    }

    public long millisUntilNextCycle() {
        return Math.max(0, lastStart + minIntervalMillis - clock.millis());
    }

    public void cycleStarted() {
        lastStart = clock.millis();
    }
}
