package io.pgforce.admin.jmx;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.PauseSwitch;
import io.pgforce.connection.WriteActivity;
import io.pgforce.salesforce.ApiAllocation;
import io.pgforce.triggerlog.OperatorActions;
import io.pgforce.triggerlog.TriggerLogStatistics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.ObjectName;
import org.jboss.logging.Logger;

/**
 * Registers the connection's MBean in the platform MBean server (where Camel JMX registers its
 * own) at start-up, and removes it at shutdown. Its attributes are read when asked: the state from
 * {@link ConnectionStatus}, the backlog from the trigger log, the activity from {@link WriteActivity},
 * the org's API usage from {@link ApiAllocation};
 * its operations are the admin API's pause, resume and retry.
 */
@ApplicationScoped
public class ConnectionMBeanRegistration implements ConnectionMXBean {

    private static final Logger LOG = Logger.getLogger(ConnectionMBeanRegistration.class);
    private static final String BY = "JMX";

    private final ConnectionStatus status;
    private final PauseSwitch pauseSwitch;
    private final OperatorActions operatorActions;
    private final TriggerLogStatistics statistics;
    private final WriteActivity activity;
    private final MappingSet mappings;
    private final ApiAllocation allocation;
    private final ObjectName name;

    ConnectionMBeanRegistration(ConnectionStatus status, PauseSwitch pauseSwitch, OperatorActions operatorActions, TriggerLogStatistics statistics,
                                WriteActivity activity, MappingSet mappings, ApiAllocation allocation) throws JMException {
        this.allocation = allocation;
        this.status = status;
        this.pauseSwitch = pauseSwitch;
        this.operatorActions = operatorActions;
        this.statistics = statistics;
        this.activity = activity;
        this.mappings = mappings;
        this.name = new ObjectName("pgforce:type=Connection,name=" + mappings.connection().schema()); // a validated SQL identifier: nothing to quote
    }

    void register(@Observes StartupEvent event) throws JMException {
        PlatformMBeans.register(this, name);
        LOG.debugf("JMX: %s", name);
    }

    void unregister(@Observes ShutdownEvent event) throws JMException {
        PlatformMBeans.unregister(name);
    }

    @Override
    public String getState() {
        return status.state().name();
    }

    @Override
    public String getStateLabel() {
        return status.state().label();
    }

    @Override
    public String getStateReason() {
        return status.reason() == null ? "" : status.reason();
    }

    @Override
    public Map<String, Long> getBacklog() {
        Map<String, Long> backlog = new TreeMap<>();
        try {
            statistics.perTable().forEach((table, counts) -> {
                counts.live().forEach((state, n) -> backlog.put(table + "/" + state, n));
                backlog.put(table + "/FAILED", counts.failed());
            });
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return backlog;
    }

    @Override
    public double getOldestNewChangeAgeSeconds() {
        try {
            return statistics.oldestNewAge().map(d -> d.toMillis() / 1000.0).orElse(0.0);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public String getLastCycleStart() {
        return activity.lastCycleStart().map(Object::toString).orElse("");
    }

    @Override
    public long getLastCycleDurationMillis() {
        return activity.lastCycleDuration().map(java.time.Duration::toMillis).orElse(-1L);
    }

    @Override
    public Map<String, Long> getApiCalls() {
        return activity.apiCalls();
    }

    @Override
    public double getRecordsPerCall() {
        return activity.recordsPerCall();
    }

    @Override
    public long getApiRequestsUsed() {
        return allocation.usage().map(ApiAllocation.Usage::used).orElse(-1L);
    }

    @Override
    public long getApiRequestsMax() {
        return allocation.usage().map(ApiAllocation.Usage::max).orElse(-1L);
    }

    @Override
    public double getApiMaxShare() {
        return allocation.maxShare();
    }

    @Override
    public boolean isPaused() {
        try {
            return pauseSwitch.current().isPresent();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void pause() {
        try {
            pauseSwitch.pause(BY);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void resume() {
        try {
            pauseSwitch.resume(BY);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public int retryFailed() {
        try {
            return operatorActions.retry(OperatorActions.Selection.all());
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public int retryFailed(String mapping) {
        Mapping m = mappings.byObject(mapping).or(() -> mappings.byTable(mapping))
                .orElseThrow(() -> new IllegalArgumentException("no mapping '" + mapping + "' (give its object or table name)"));
        try {
            return operatorActions.retry(OperatorActions.Selection.table(m.table()));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A JMX client gets one line, not pgforce's classes (it may not have them). */
    static IllegalStateException unavailable(SQLException e) {
        return new IllegalStateException("the database cannot be reached: " + e.getMessage());
    }
}
