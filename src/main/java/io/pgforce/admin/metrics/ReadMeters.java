package io.pgforce.admin.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.read.ReadState;
import io.pgforce.read.ReadStatistics;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The read side per mapping, from {@code _pgforce_read_state}: its lag ({@code pgforce_read_lag_seconds},
 * NaN before the first record), the records it applied and failed ({@code pgforce_read_records_total})
 * and its Salesforce calls ({@code pgforce_read_api_calls_total}). The counters are the state
 * table's, so every replica reports the same and a restart does not start them again from 0.
 */
@Singleton
public class ReadMeters extends DatabaseMeters {

    private static final Map<String, ToDoubleFunction<ReadState>> OUTCOMES = Map.of("applied", ReadState::recordsApplied, "failed", ReadState::recordsFailed);
    /** The state of a mapping never read: no watermark, nothing counted. */
    private static final ReadState NOT_READ = new ReadState(null, null, null, null, null, null, null, 0, 0, 0, 0, 0, false, null);

    private final ReadStatistics statistics;
    private Map<String, ReadState> states = Map.of();

    ReadMeters(ReadStatistics statistics, MappingSet mappings) {
        super(mappings);
        this.statistics = statistics;
    }

    @Override
    protected List<Meter> meters(MeterRegistry registry, Mapping m) {
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder("pgforce.read.lag", this, g -> g.value(m, s -> s.lagSeconds() == null ? Double.NaN : s.lagSeconds()))
                .baseUnit("seconds").description("Now minus the newest SystemModstamp read into the mapping's table (NaN: none yet)")
                .tags("mapping", m.object()).register(registry));
        OUTCOMES.forEach((outcome, count) -> meters.add(FunctionCounter.builder("pgforce.read.records", this, g -> g.value(m, count))
                .description("Records read from Salesforce: rows written (applied) or records that failed alone (failed)")
                .tags("mapping", m.object(), "outcome", outcome).register(registry)));
        meters.add(FunctionCounter.builder("pgforce.read.api.calls", this, g -> g.value(m, ReadState::apiCalls))
                .description("Salesforce calls of the read side (each query page is one)").tags("mapping", m.object()).register(registry));
        return meters;
    }

    @Override
    protected void read() throws SQLException {
        states = statistics.perTable();
    }

    /** 0 for a mapping not read yet (NaN for its lag: the function says). */
    private synchronized double value(Mapping m, ToDoubleFunction<ReadState> of) {
        refresh();
        ReadState s = states.get(m.table());
        return of.applyAsDouble(s == null ? NOT_READ : s);
    }
}
