package io.pgforce.simulator;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What Bulk API 2.0 ingest and query jobs share: one sequence of job Ids (both are {@code 750}
 * records, so an Id names one job of either kind), Salesforce's queue, and the scheduler their
 * timelines run on. A job waits in the queue for the configured delay plus the latency profile's
 * queue wait, as the profile stands when the job enters it.
 */
final class BulkJobQueue {

    private final ScheduledExecutorService executor;
    private final Faults faults;
    private final SalesforceIds jobIds = new SalesforceIds("5e0");
    private volatile Duration delay;

    BulkJobQueue(ScheduledExecutorService executor, Faults faults, Duration delay) {
        this.executor = executor;
        this.faults = faults;
        this.delay = delay;
    }

    String nextJobId() {
        return jobIds.next("750");
    }

    void delay(Duration delay) {
        this.delay = delay;
    }

    /** Runs the task when a job that enters the queue now leaves it. */
    void enqueue(Runnable task) {
        schedule(task, delay.toMillis() + faults.profile().bulkQueueMillis());
    }

    /** Runs the task after this many milliseconds (none when negative): a step of a job's own timeline. */
    void schedule(Runnable task, long millis) {
        executor.schedule(task, Math.max(0, millis), TimeUnit.MILLISECONDS);
    }
}
