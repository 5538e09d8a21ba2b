package io.pgforce.admin.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgforce.salesforce.ApiAllocation;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The org's daily API requests as Salesforce last said ({@code pgforce_api_requests_used},
 * {@code pgforce_api_requests_max}; NaN before it said).
 */
@Singleton
public class ApiAllocationGauges extends RemovableMeters {

    private final ApiAllocation allocation;

    ApiAllocationGauges(ApiAllocation allocation) {
        this.allocation = allocation;
    }

    @Override
    protected List<Meter> register(MeterRegistry registry) {
        return List.of(Gauge.builder("pgforce.api.requests.used", allocation, a -> a.usage().map(u -> (double) u.used()).orElse(Double.NaN))
                        .description("The org's daily API requests used in the last 24 hours (every integration's), as Salesforce last said").register(registry),
                Gauge.builder("pgforce.api.requests.max", allocation, a -> a.usage().map(u -> (double) u.max()).orElse(Double.NaN))
                        .description("The org's daily API request allocation").register(registry));
    }
}
