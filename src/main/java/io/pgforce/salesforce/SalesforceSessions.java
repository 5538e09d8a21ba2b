package io.pgforce.salesforce;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.internal.SalesforceSession;

/**
 * One OAuth login serves both APIs: camel-salesforce's session (used by its Bulk and REST
 * operations) also supplies the SOAP session id, since Salesforce accepts an OAuth access token
 * in the partner API's SessionHeader.
 */
@ApplicationScoped
@Unremovable
public class SalesforceSessions {

    private final CamelContext camel;

    @Inject
    SalesforceSessions(CamelContext camel) {
        this.camel = camel;
    }

    private SalesforceSession session() {
        SalesforceSession session = camel.getComponent("salesforce", SalesforceComponent.class).getSession();
        if (session == null) {
            throw new SalesforceUnavailableException("The salesforce component has not started");
        }
        return session;
    }

    /** The current access token, logging in first if there is none yet (the component logs in lazily). */
    public String accessToken() {
        SalesforceSession session = session();
        String token = session.getAccessToken();
        return token != null ? token : login(null);
    }

    public String instanceUrl() {
        accessToken();
        return session().getInstanceUrl();
    }

    /** Replaces a token Salesforce no longer accepts; a failed login means Salesforce is unavailable for now. */
    public String renew(String staleToken) {
        return login(staleToken);
    }

    /** A refused login waits in its own state (see {@link SalesforceFailures#classifyLogin}); any other failed login waits as an outage. */
    private String login(String staleToken) {
        try {
            return session().login(staleToken);
        } catch (SalesforceException e) {
            if (SalesforceFailures.classifyLogin(e) == SalesforceFailures.Kind.CREDENTIALS_REFUSED) {
                throw new SalesforceUnauthorizedException("Salesforce refuses pgforce's credentials: " + e.getMessage(), e);
            }
            throw new SalesforceUnavailableException("Salesforce login failed: " + e.getMessage(), e);
        }
    }
}
