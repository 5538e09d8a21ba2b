package io.pgforce.simulator;

import java.time.Duration;

/**
 * Holds token requests until a number of them are in flight, then answers them together: a fault
 * that makes logins of several clients of one integration user (pgforce's reader and writer after
 * a session expiry) overlap on demand instead of by chance. A request that waits longer than the
 * limit is answered alone.
 */
final class LoginGate {

    private int together;
    private long atMostMillis;
    private int waiting;
    private long generation;

    synchronized void hold(int together, Duration atMost) {
        this.together = together;
        this.atMostMillis = atMost.toMillis();
        release();
    }

    synchronized void clear() {
        together = 0;
        release();
    }

    private void release() {
        waiting = 0;
        generation++;
        notifyAll();
    }

    synchronized int waiting() {
        return waiting;
    }

    /** Returns once {@code together} requests have arrived (this one counted), or after the limit. */
    synchronized void pass() throws InterruptedException {
        if (together <= 1) {
            return;
        }
        long mine = generation;
        if (++waiting >= together) {
            release();
            return;
        }
        long deadline = System.nanoTime() + atMostMillis * 1_000_000;
        while (generation == mine) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                waiting--;
                return;
            }
            wait(left);
        }
    }
}
