package io.pgforce.write;

import io.pgforce.connection.ConnectionStatus;
import io.pgforce.salesforce.ApiAllocation;
import io.pgforce.salesforce.SalesforceFailures;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Runs before every redelivery of a waiting batch: the connection shows why it waits; a call
 * Salesforce refused over the spent API allocation tells {@link ApiAllocation}, so that the batch
 * is held back (not sent again) until /limits shows room.
 */
@ApplicationScoped
@Unremovable
@Named("outageWatch")
public class OutageWatch implements Processor {

    private final ConnectionStatus status;
    private final ApiAllocation allocation;

    @Inject
    OutageWatch(ConnectionStatus status, ApiAllocation allocation) {
        this.status = status;
        this.allocation = allocation;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            if (SalesforceFailures.allocationSpent(failure)) {
                allocation.refused();
            }
            status.failed(failure);
        }
    }
}
