package io.pgforce.demo;

import io.pgforce.simulator.SalesforceSimulator;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.spi.CamelEvent;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The demo run's Salesforce: when {@code pgforce.simulator.enabled} (the %dev profile), the
 * simulator is started in-process on {@code pgforce.simulator.port}, and the salesforce component
 * is configured to log in there, over HTTP, exactly as it would at a real org.
 */
@ApplicationScoped
public class DemoSalesforce {

    private static final Logger LOG = Logger.getLogger(DemoSalesforce.class);
    private final SalesforceSimulator simulator;

    DemoSalesforce(SimulatorSettings settings) {
        if (!settings.enabled()) {
            simulator = null;
            return;
        }
        simulator = SalesforceSimulator.builder().port(settings.port()).bulkProcessingDelay(Duration.ofMillis(200)).build().start();
        LOG.infof("Salesforce simulator running at %s (records: %s/__sim/records/Account, calls: %s/__sim/calls)",
                simulator.loginUrl(), simulator.loginUrl(), simulator.loginUrl());
    }

    /** Up before any route runs: the first cycle may write at once. */
    void onCamelStarting(@Observes CamelEvent.CamelContextStartingEvent event) {
        // creating this bean starts the simulator
    }

    @PreDestroy
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
