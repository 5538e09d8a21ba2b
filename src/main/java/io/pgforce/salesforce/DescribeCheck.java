package io.pgforce.salesforce;

import io.pgforce.connection.ConnectionStatus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Checks every mapping against the org's describe at start-up: a mapping Salesforce cannot take
 * stops start-up with a message naming the field. If the org cannot be reached now, or refuses
 * the credentials, that is not the mapping's fault: pgforce starts in the matching connection
 * state, capture goes on, and every cycle checks again before it claims anything.
 */
@ApplicationScoped
public class DescribeCheck {

    void onStart(@Observes StartupEvent event, OrgSchema org, ConnectionStatus status,
                 DescribeSettings settings) {
        if (!settings.checkAtStartup()) {
            return;
        }
        try {
            org.ensureLoaded();
        } catch (SalesforceUnavailableException e) {
            status.failed(e);
        }
    }
}
