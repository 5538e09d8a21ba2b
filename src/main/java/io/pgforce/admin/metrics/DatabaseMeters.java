package io.pgforce.admin.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Meters whose values the database holds, per mapping and for the connection: read at most once
 * per {@link #REFRESH}, however often the metrics are scraped; while the database is away they
 * keep their last values. Its beans are {@code @Singleton}: bound once, never proxied.
 */
abstract class DatabaseMeters extends RemovableMeters {

    static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(DatabaseMeters.class);

    private final MappingSet mappings;
    private long readAt = Long.MIN_VALUE;

    DatabaseMeters(MappingSet mappings) {
        this.mappings = mappings;
    }

    @Override
    protected final List<Meter> register(MeterRegistry registry) {
        List<Meter> meters = new ArrayList<>();
        for (Mapping m : mappings.mappings()) {
            meters.addAll(meters(registry, m));
        }
        meters.addAll(meters(registry));
        return meters;
    }

    /** Registers a mapping's meters. */
    protected abstract List<Meter> meters(MeterRegistry registry, Mapping m);

    /** Registers the meters of no one mapping. */
    protected List<Meter> meters(MeterRegistry registry) {
        return List.of();
    }

    /** Reads the values afresh. */
    protected abstract void read() throws SQLException;

    /** Called by each meter before it answers. */
    protected synchronized void refresh() {
        long now = System.nanoTime();
        if (readAt != Long.MIN_VALUE && now - readAt < REFRESH.toNanos()) {
            return;
        }
        readAt = now;
        try {
            read();
        } catch (SQLException e) {
            LOG.debugf("%s keep their last values: %s", getClass().getSimpleName(), e.getMessage()); // the connection state says the database is away
        }
    }
}
