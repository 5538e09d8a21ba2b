package io.pgforce.cycle;

import io.pgforce.database.ListenerConnected;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

/**
 * Notifications sent while the listener was disconnected are lost: every (re)connect wakes a
 * rescan, including a first connection made late because the database was down at start-up.
 */
@ApplicationScoped
public class ListenerRescan {

    private static final Logger LOG = Logger.getLogger(ListenerRescan.class);

    private final CamelContext camel;
    private final ProducerTemplate producer;

    ListenerRescan(CamelContext camel, ProducerTemplate producer) {
        this.camel = camel;
        this.producer = producer;
    }

    void onConnected(@Observes ListenerConnected event) {
        if (!camel.isStarted()) {
            return; // connected while starting: the start-up cycle scans anyway
        }
        LOG.info("Notification listener connected: rescanning the trigger log");
        producer.asyncSendBody("direct:pgforce-wake", "listener-reconnected");
    }
}
