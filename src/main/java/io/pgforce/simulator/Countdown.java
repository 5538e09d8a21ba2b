package io.pgforce.simulator;

import java.util.concurrent.atomic.AtomicInteger;

/** How many of the next calls a fault still hits: each call that takes one counts it down to zero. */
final class Countdown {

    private final AtomicInteger left = new AtomicInteger();

    void set(int calls) {
        left.set(calls);
    }

    int left() {
        return left.get();
    }

    /** True when this call is hit, which counts one down. */
    boolean take() {
        return left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
