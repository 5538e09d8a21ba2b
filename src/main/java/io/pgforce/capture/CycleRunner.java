package io.pgforce.capture;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Runs one write cycle to its end before the cycle route takes the next wake-up. The SOAP and
 * Bulk producers are asynchronous, and a seda consumer hands an exchange on and polls again as
 * soon as the route goes asynchronous; waiting here is what keeps cycles from overlapping.
 */
@ApplicationScoped
@Unremovable
@Named("cycleRunner")
public class CycleRunner {

    static final String CYCLE_ROUTE = "direct:pgforce-cycle-run";

    private final ProducerTemplate producer;
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();

    @Inject
    CycleRunner(ProducerTemplate producer) {
        this.producer = producer;
    }

    public void run(Exchange exchange) {
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            Exchange done = producer.send(CYCLE_ROUTE, exchange.copy());
            if (done.getException() != null) {
                exchange.setException(done.getException());
            }
        } finally {
            running.decrementAndGet();
        }
    }

    /** The most cycles that ever ran at the same time: 1, or something is wrong. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }
}
