package io.pgforce.admin.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgforce.salesforce.ApiAllocation;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The org's daily API requests as Salesforce last said ({@code pgforce_api_requests_used},
 * {@code pgforce_api_requests_max}; NaN before it said).
 */
@Singleton
public class ApiAllocationGauges implements MeterBinder {

    private final ApiAllocation allocation;
    private final List<Meter> bound = new ArrayList<>();
    private MeterRegistry boundTo;

    ApiAllocationGauges(ApiAllocation allocation) {
        this.allocation = allocation;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        boundTo = registry;
        bound.add(Gauge.builder("pgforce.api.requests.used", allocation, a -> a.usage().map(u -> (double) u.used()).orElse(Double.NaN))
                .description("The org's daily API requests used in the last 24 hours (every integration's), as Salesforce last said").register(registry));
        bound.add(Gauge.builder("pgforce.api.requests.max", allocation, a -> a.usage().map(u -> (double) u.max()).orElse(Double.NaN))
                .description("The org's daily API request allocation").register(registry));
    }

    /** A registry can outlive the application (the tests restart it in one JVM): a gauge left behind would read this instance for ever. */
    @PreDestroy
    synchronized void unbind() {
        if (boundTo != null) {
            bound.forEach(boundTo::remove);
            bound.clear();
        }
    }
}
