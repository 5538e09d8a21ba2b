package io.pgforce.write;

import io.pgforce.connection.ConnectionStatus;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Runs before every redelivery of a waiting batch: the connection shows why it waits. */
@ApplicationScoped
@Unremovable
@Named("outageWatch")
public class OutageWatch implements Processor {

    private final ConnectionStatus status;

    @Inject
    OutageWatch(ConnectionStatus status) {
        this.status = status;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            status.failed(failure);
        }
    }
}
