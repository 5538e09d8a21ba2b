package io.pgforce.salesforce;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Checks every mapping against the org's describe at start-up: a mapping Salesforce cannot take
 * stops start-up with a message naming the field. If the org cannot be reached now, that is not
 * the user's fault: pgforce starts, capture goes on, and the check runs before the first write.
 */
@ApplicationScoped
public class DescribeCheck {

    private static final Logger LOG = Logger.getLogger(DescribeCheck.class);

    void onStart(@Observes StartupEvent event, OrgSchema org, @ConfigProperty(name = "pgforce.describe.check-at-startup") boolean enabled) {
        if (!enabled) {
            return;
        }
        try {
            org.ensureLoaded();
        } catch (SalesforceUnavailableException e) {
            LOG.warnf("Salesforce cannot be reached to check the mappings (%s); the check runs before the first write", e.getMessage());
        }
    }
}
