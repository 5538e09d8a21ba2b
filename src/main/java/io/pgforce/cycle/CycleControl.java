package io.pgforce.cycle;

import io.pgforce.config.ApiSettings;
import io.pgforce.config.Backoff;
import io.pgforce.config.ClaimSettings;
import io.pgforce.config.RetrySettings;
import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.PauseSwitch;
import io.pgforce.connection.WriteActivity;
import io.pgforce.route.PgforceConstants;
import io.pgforce.salesforce.ApiAllocation;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.interceptor.Interceptor;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.util.concurrent.SizedScheduledExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;

/**
 * Where a cycle starts and what its end means; the cycle itself is the route {@code pgforce-cycle}
 * (routes/poll.yaml). Only the writer runs cycles: a standby (see {@link PostgresLeaseClusterService})
 * takes no wake-up, and the first cycle runs as soon as this instance leads and start-up is
 * complete (after the start-up checks); it reclaims what the previous writer left PENDING. While an
 * operator has paused writing, a wake-up only checks the pause (see {@link PauseSwitch}). A cycle
 * that fails (the database or Salesforce unavailable, an unexpected error) is tried again after a
 * back-off that grows with each failure in a row, without waiting for the next notify or timer.
 * Once the org has used its daily API requests up to pgforce.api.max-share ({@link ApiAllocation}),
 * no cycle claims anything: the connection waits in WAITING_FOR_API_ALLOCATION, not a failure, and
 * looks again every pgforce.api.recheck-interval until the allocation allows.
 *
 * <p>Such a wake-up later waits in a scheduled pool (Camel's), not as a delayed exchange in a route:
 * Camel's graceful shutdown waits for every exchange in flight (up to its timeout, 45 s), and a
 * retry due in a minute is no work to finish. A stopping application schedules no more and drops
 * what waits.
 */
@ApplicationScoped
@Unremovable
@Named("cycleControl")
public class CycleControl {

    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final ScheduledExecutorService later;
    private final ConnectionStatus status;
    private final WriterLease lease;
    private final PauseSwitch pauseSwitch;
    private final WriteActivity activity;
    private final PostgresLeaseClusterService cluster;
    private final Backoff backoff;
    private final long recheckMillis;
    private final ApiAllocation allocation;
    private final long allocationRecheckMillis;
    /** While waiting for the API allocation: when the next look is due (one wake-up a recheck interval, however many wake-ups come meanwhile). */
    private volatile long nextAllocationLook;
    private int failuresInARow;
    private volatile boolean started;

    @Inject
    CycleControl(ProducerTemplate producer, CamelContext camel, ConnectionStatus status, WriterLease lease, PauseSwitch pauseSwitch, WriteActivity activity,
                 PostgresLeaseClusterService cluster,
                 RetrySettings retry, ClaimSettings claim, ApiAllocation allocation, ApiSettings api) {
        this.recheckMillis = claim.recheckInterval().toMillis();
        this.allocation = allocation;
        this.allocationRecheckMillis = api.recheckInterval().toMillis();
        this.producer = producer;
        this.camel = camel;
        // one of Camel's pools, shut down with the context: a wake-up still waiting is dropped there,
        // not waited for (Camel's graceful pool shutdown awaits queued tasks for up to 10 s)
        this.later = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "pgforce-wake-later");
        if (later instanceof SizedScheduledExecutorService sized) {
            sized.getScheduledThreadPoolExecutor().setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }
        this.status = status;
        this.lease = lease;
        this.pauseSwitch = pauseSwitch;
        this.activity = activity;
        this.cluster = cluster;
        this.backoff = retry.backoff();
    }

    /** After DescribeCheck (default priority): a mapping the org cannot take stops start-up before any cycle. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) throws Exception {
        started = true;
        // told at once if this instance already leads: that wakes the first cycle
        cluster.getView(cluster.namespace()).addEventListener((CamelClusterEventListener.Leadership) this::leadershipChanged);
    }

    private void leadershipChanged(CamelClusterView view, CamelClusterMember leader) {
        if (leader == null) {
            return; // nobody known to hold the lease: the database is away (its own state says so) or it is free
        }
        if (leader.isLocal()) {
            producer.asyncSendBody(PgforceConstants.WAKE, "leadership");
        } else {
            status.enter(ConnectionState.STANDBY, leader.getId() + " holds the writer lease; this instance takes over when it ends");
        }
    }

    /**
     * Whether a cycle runs now: not while starting or as a standby (gaining leadership wakes the
     * first cycle), nor while paused. When it does, the connection says so.
     */
    public boolean begin() {
        if (!started || !lease.isHeld()) {
            return false;
        }
        Optional<PauseSwitch.Pause> pause;
        try {
            pause = pauseSwitch.current();
        } catch (SQLException e) {
            retry(e);
            return false;
        }
        if (pause.isPresent()) {
            failuresInARow = 0;
            status.enter(ConnectionState.PAUSED, "paused by " + pause.get().by() + " at " + pause.get().since() + "; changes are captured and wait");
            return false;
        }
        if (!allocation.allowsCalls()) {
            failuresInARow = 0;
            waitForAllocation();
            return false;
        }
        status.working(ConnectionState.POLLING_DB_CHANGES, "cycle started");
        activity.cycleStarted();
        return true;
    }

    /** The cycle ran to its end. */
    public void done() {
        activity.cycleEnded();
        failuresInARow = 0;
        if (lease.isHeld() && !allocation.allowsCalls()) {
            waitForAllocation(); // the cycle stopped claiming at the share
        } else if (lease.isHeld()) {
            status.enter(ConnectionState.IDLE, "cycle done");
        } else {
            // the same reason as when leadership is lost, so it names the holder whichever path sees it first
            status.enter(ConnectionState.STANDBY, lease.holder().orElse("another instance")
                    + " holds the writer lease; this instance takes over when it ends");
        }
    }

    /** The cycle failed: reported through the connection's state (once, not per attempt) and tried again after a back-off. */
    public void failed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        activity.cycleEnded();
        retry(failure);
    }

    private void retry(Exception failure) {
        status.failed(failure);
        wakeLater("retry", backoff.delayMillis(failuresInARow++));
    }

    /** Whether the cycle may claim more: the org's API usage is under the share (the drain loop of routes/poll.yaml asks between claims). */
    public boolean withinApiAllocation() {
        return allocation.allowsCalls();
    }

    private void waitForAllocation() {
        status.enter(ConnectionState.WAITING_FOR_API_ALLOCATION, allocation.waiting());
        long now = System.currentTimeMillis();
        if (now >= nextAllocationLook) {
            nextAllocationLook = now + allocationRecheckMillis;
            wakeLater("api-allocation", allocationRecheckMillis);
        }
    }

    /** Another cycle soon: changes wait for an older transaction whose end may wake nobody (see Claims#claim). */
    public void lookAgainSoon() {
        wakeLater("kept-back", recheckMillis);
    }

    private void wakeLater(String reason, long delayMillis) {
        if (stopping()) {
            return;
        }
        try {
            later.schedule(() -> {
                if (!stopping()) {
                    producer.sendBody(PgforceConstants.WAKE, reason);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // the application stops (dropWaitingWakeUps): no cycle is to come
        }
    }

    @PreDestroy
    void dropWaitingWakeUps() {
        camel.getExecutorServiceManager().shutdownNow(later);
    }

    /** Camel is stopping or stopped: a cycle woken now would only hold up the graceful shutdown. */
    private boolean stopping() {
        return camel.isStopping() || camel.isStopped();
    }
}
