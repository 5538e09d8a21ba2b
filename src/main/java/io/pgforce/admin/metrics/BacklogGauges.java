package io.pgforce.admin.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.triggerlog.TriggerLogState;
import io.pgforce.triggerlog.TriggerLogStatistics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Gauges of the trigger log: changes per mapping and state ({@code pgforce_backlog}) and the age of
 * the oldest change not yet written ({@code pgforce_oldest_change_age_seconds}). Read from the
 * database at most once per {@link #REFRESH}, however often the metrics are scraped; while the
 * database is away they keep their last values.
 */
@ApplicationScoped
public class BacklogGauges implements MeterBinder {

    static final Duration REFRESH = Duration.ofSeconds(5);
    private static final List<TriggerLogState> STATES = List.of(TriggerLogState.NEW, TriggerLogState.PENDING, TriggerLogState.FAILED);
    private static final Logger LOG = Logger.getLogger(BacklogGauges.class);

    private final TriggerLogStatistics statistics;
    private final MappingSet mappings;
    private long readAt = Long.MIN_VALUE;
    private Map<String, TriggerLogStatistics.TableCounts> counts = Map.of();
    private double oldestSeconds;
    private final List<Meter> bound = new ArrayList<>();
    private MeterRegistry boundTo;

    BacklogGauges(TriggerLogStatistics statistics, MappingSet mappings) {
        this.statistics = statistics;
        this.mappings = mappings;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        boundTo = registry;
        for (Mapping m : mappings.mappings()) {
            for (TriggerLogState state : STATES) {
                bound.add(Gauge.builder("pgforce.backlog", this, g -> g.count(m.table(), state))
                        .description("Trigger-log changes per mapping and state (FAILED: live and archived)")
                        .tags("mapping", m.object(), "state", state.name()).register(registry));
            }
        }
        bound.add(Gauge.builder("pgforce.oldest.change.age", this, BacklogGauges::oldestSeconds).baseUnit("seconds")
                .description("How long the oldest change not yet written has waited (0: none waits)").register(registry));
    }

    /**
     * A registry can outlive the application (the tests restart it in one JVM): a gauge left behind
     * would go on reading this instance's closed database, and a new one of the same name would not
     * register beside it.
     */
    @PreDestroy
    synchronized void unbind() {
        if (boundTo != null) {
            bound.forEach(boundTo::remove);
            bound.clear();
        }
    }

    private synchronized double count(String table, TriggerLogState state) {
        refresh();
        TriggerLogStatistics.TableCounts c = counts.get(table);
        if (c == null) {
            return 0;
        }
        return state == TriggerLogState.FAILED ? c.failed() : c.live().getOrDefault(state, 0L);
    }

    private synchronized double oldestSeconds() {
        refresh();
        return oldestSeconds;
    }

    private void refresh() {
        long now = System.nanoTime();
        if (readAt != Long.MIN_VALUE && now - readAt < REFRESH.toNanos()) {
            return;
        }
        readAt = now;
        try {
            counts = statistics.perTable();
            oldestSeconds = statistics.oldestNewAge().map(d -> d.toMillis() / 1000.0).orElse(0.0);
        } catch (SQLException e) {
            LOG.debugf("Backlog gauges keep their last values: %s", e.getMessage()); // the connection state says the database is away
        }
    }
}
