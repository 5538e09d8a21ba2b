package io.pgforce.cycle;

import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.PauseSwitch;
import io.pgforce.connection.WriteActivity;
import io.pgforce.write.WriteBack;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.interceptor.Interceptor;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs one write cycle to its end before the cycle route takes the next wake-up. The SOAP and
 * Bulk producers are asynchronous, and a seda consumer hands an exchange on and polls again as
 * soon as the route goes asynchronous; waiting here is what keeps cycles from overlapping.
 * A cycle that fails (the database or Salesforce unavailable, an unexpected error) is tried again
 * after a back-off that grows with each failure in a row, without waiting for the next notify or
 * timer. Only the writer runs cycles: a standby (see {@link PostgresLeaseClusterService}) takes
 * no wake-up, and the first cycle runs as soon as this instance leads and start-up is complete
 * (after the start-up checks); it reclaims what the previous writer left PENDING. While an
 * operator has paused writing, a wake-up only checks the pause (see {@link PauseSwitch}).
 */
@ApplicationScoped
@Unremovable
@Named("cycleRunner")
public class CycleRunner {

    static final String CYCLE_ROUTE = "direct:pgforce-cycle-run";
    static final String WAKE_ROUTE = "direct:pgforce-wake";

    private final ProducerTemplate producer;
    private final ConnectionStatus status;
    private final WriterLease lease;
    private final PauseSwitch pauseSwitch;
    private final WriteActivity activity;
    private final PostgresLeaseClusterService cluster;
    private final WriteBack writeBack;
    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final long recheckMillis;
    private final ScheduledExecutorService wakeLater = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgforce-cycle-wake");
        t.setDaemon(true);
        return t;
    });
    private int failuresInARow;
    private volatile boolean started;

    @Inject
    CycleRunner(ProducerTemplate producer, ConnectionStatus status, WriterLease lease, PauseSwitch pauseSwitch, WriteActivity activity,
                PostgresLeaseClusterService cluster, WriteBack writeBack,
                @ConfigProperty(name = "pgforce.retry.initial-delay-ms") long initialDelayMillis,
                @ConfigProperty(name = "pgforce.retry.max-delay-ms") long maxDelayMillis,
                @ConfigProperty(name = "pgforce.claim.recheck-interval") Duration recheck) {
        this.recheckMillis = recheck.toMillis();
        this.producer = producer;
        this.status = status;
        this.lease = lease;
        this.pauseSwitch = pauseSwitch;
        this.activity = activity;
        this.cluster = cluster;
        this.writeBack = writeBack;
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
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
            producer.asyncSendBody(WAKE_ROUTE, "leadership");
        } else {
            status.enter(ConnectionState.STANDBY, leader.getId() + " holds the writer lease; this instance takes over when it ends");
        }
    }

    public void run(Exchange exchange) throws InterruptedException {
        if (!started || !lease.isHeld()) {
            return; // woken while starting, or a standby: gaining leadership wakes the first cycle
        }
        Exception failure;
        try {
            Optional<PauseSwitch.Pause> pause = pauseSwitch.current();
            if (pause.isPresent()) {
                failuresInARow = 0;
                status.enter(ConnectionState.PAUSED, "paused by " + pause.get().by() + " at " + pause.get().since() + "; changes are captured and wait");
                return;
            }
            status.working(ConnectionState.POLLING_DB_CHANGES, "cycle started");
            activity.cycleStarted();
            try {
                failure = producer.send(CYCLE_ROUTE, exchange.copy()).getException();
                writeBack.awaitIdle(); // a failed cycle too: the next one's reclaim must find every outcome recorded
            } finally {
                activity.cycleEnded();
            }
        } catch (SQLException e) {
            failure = e;
        }
        if (failure == null) {
            failuresInARow = 0;
            if (lease.isHeld()) {
                status.enter(ConnectionState.IDLE, "cycle done");
            } else {
                // the same reason as when leadership is lost, so it names the holder whichever path sees it first
                status.enter(ConnectionState.STANDBY, lease.holder().orElse("another instance")
                        + " holds the writer lease; this instance takes over when it ends");
            }
            return;
        }
        status.failed(failure);
        long delay = Math.min(maxDelayMillis, initialDelayMillis << Math.min(failuresInARow++, 20));
        wakeLater.schedule(() -> producer.asyncSendBody(WAKE_ROUTE, "retry"), delay, TimeUnit.MILLISECONDS);
    }

    /** Another cycle soon: changes wait for an older transaction whose end may wake nobody (see Claims#claim). */
    public void lookAgainSoon() {
        wakeLater.schedule(() -> producer.asyncSendBody(WAKE_ROUTE, "kept-back"), recheckMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        wakeLater.shutdownNow();
    }
}
