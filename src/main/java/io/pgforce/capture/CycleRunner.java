package io.pgforce.capture;

import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.PauseSwitch;
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
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs one write cycle to its end before the cycle route takes the next wake-up. The SOAP and
 * Bulk producers are asynchronous, and a seda consumer hands an exchange on and polls again as
 * soon as the route goes asynchronous; waiting here is what keeps cycles from overlapping.
 * A cycle that fails (the database or Salesforce unavailable, an unexpected error) is tried again
 * after a back-off that grows with each failure in a row, without waiting for the next notify or
 * timer. The first cycle runs once start-up is complete, after the start-up checks. While an
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
    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgforce-cycle-retry");
        t.setDaemon(true);
        return t;
    });
    private int failuresInARow;
    private volatile boolean started;

    @Inject
    CycleRunner(ProducerTemplate producer, ConnectionStatus status, WriterLease lease, PauseSwitch pauseSwitch,
                @ConfigProperty(name = "pgforce.retry.initial-delay-ms") long initialDelayMillis,
                @ConfigProperty(name = "pgforce.retry.max-delay-ms") long maxDelayMillis) {
        this.producer = producer;
        this.status = status;
        this.lease = lease;
        this.pauseSwitch = pauseSwitch;
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
    }

    /** After DescribeCheck (default priority): a mapping the org cannot take stops start-up before any cycle. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        started = true;
        producer.asyncSendBody(WAKE_ROUTE, "start-up");
    }

    public void run(Exchange exchange) {
        if (!started) {
            return; // woken while starting: the start-up wake-up follows
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
            failure = producer.send(CYCLE_ROUTE, exchange.copy()).getException();
        } catch (SQLException e) {
            failure = e;
        }
        if (failure == null) {
            failuresInARow = 0;
            status.enter(lease.isHeld() ? ConnectionState.IDLE : ConnectionState.STANDBY,
                    lease.isHeld() ? "cycle done" : "another instance holds the writer lease");
            return;
        }
        status.failed(failure);
        long delay = Math.min(maxDelayMillis, initialDelayMillis << Math.min(failuresInARow++, 20));
        retries.schedule(() -> producer.asyncSendBody(WAKE_ROUTE, "retry"), delay, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }
}
