package io.pgforce.admin.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.triggerlog.TriggerLogState;
import io.pgforce.triggerlog.TriggerLogStatistics;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Gauges of the trigger log: changes per mapping and state ({@code pgforce_backlog}) and the age of
 * the oldest change not yet written ({@code pgforce_oldest_change_age_seconds}).
 */
@Singleton
public class BacklogGauges extends DatabaseMeters {

    private static final List<TriggerLogState> STATES = List.of(TriggerLogState.NEW, TriggerLogState.PENDING, TriggerLogState.FAILED);

    private final TriggerLogStatistics statistics;
    private Map<String, TriggerLogStatistics.TableCounts> counts = Map.of();
    private double oldestSeconds;

    BacklogGauges(TriggerLogStatistics statistics, MappingSet mappings) {
        super(mappings);
        this.statistics = statistics;
    }

    @Override
    protected List<Meter> meters(MeterRegistry registry, Mapping m) {
        return STATES.stream().<Meter>map(state -> Gauge.builder("pgforce.backlog", this, g -> g.count(m.table(), state))
                .description("Trigger-log changes per mapping and state (FAILED: live and archived)")
                .tags("mapping", m.object(), "state", state.name()).register(registry)).toList();
    }

    @Override
    protected List<Meter> meters(MeterRegistry registry) {
        return List.of(Gauge.builder("pgforce.oldest.change.age", this, BacklogGauges::oldestSeconds).baseUnit("seconds")
                .description("How long the oldest change not yet written has waited (0: none waits)").register(registry));
    }

    @Override
    protected void read() throws SQLException {
        counts = statistics.perTable();
        oldestSeconds = statistics.oldestNewAge().map(d -> d.toMillis() / 1000.0).orElse(0.0);
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
}
