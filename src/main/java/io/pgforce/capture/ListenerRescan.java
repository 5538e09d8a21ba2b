package io.pgforce.capture;

import io.pgforce.database.ListenerConnected;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

/** Notifications sent while the listener was disconnected are lost: every (re)connect wakes a rescan. */
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
            return; // the first connection happens during start-up, which scans anyway
        }
        LOG.info("Notification listener reconnected: rescanning the trigger log");
        producer.asyncSendBody("direct:pgforce-wake", "listener-reconnected");
    }
}
