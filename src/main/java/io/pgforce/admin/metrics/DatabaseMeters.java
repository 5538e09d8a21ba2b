package io.pgforce.admin.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import jakarta.annotation.PreDestroy;
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
abstract class DatabaseMeters implements MeterBinder {

    static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(DatabaseMeters.class);

    private final MappingSet mappings;
    private long readAt = Long.MIN_VALUE;
    private final List<Meter> bound = new ArrayList<>();
    private MeterRegistry boundTo;

    DatabaseMeters(MappingSet mappings) {
        this.mappings = mappings;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        boundTo = registry;
        for (Mapping m : mappings.mappings()) {
            bound.addAll(meters(registry, m));
        }
        bound.addAll(meters(registry));
    }

    /** Registers a mapping's meters. */
    protected abstract List<Meter> meters(MeterRegistry registry, Mapping m);

    /** Registers the meters of no one mapping. */
    protected List<Meter> meters(MeterRegistry registry) {
        return List.of();
    }

    /** Reads the values afresh. */
    protected abstract void read() throws SQLException;

    /**
     * A registry can outlive the application (the tests restart it in one JVM): a meter left behind
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
