package io.pgforce.admin.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;

/**
 * Meters a bean registers and removes again when the application stops. A registry can outlive
 * the application (the tests restart it in one JVM): a meter left behind would go on reading the
 * old instance, and a new one of the same name would not register beside it.
 */
abstract class RemovableMeters implements MeterBinder {

    private final List<Meter> bound = new ArrayList<>();
    private MeterRegistry boundTo;

    @Override
    public final synchronized void bindTo(MeterRegistry registry) {
        boundTo = registry;
        bound.addAll(register(registry));
    }

    /** Registers the meters, returning them. */
    protected abstract List<Meter> register(MeterRegistry registry);

    @PreDestroy
    synchronized void unbind() {
        if (boundTo != null) {
            bound.forEach(boundTo::remove);
            bound.clear();
        }
    }
}
