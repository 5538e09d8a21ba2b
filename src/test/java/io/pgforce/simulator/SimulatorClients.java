package io.pgforce.simulator;

import com.sforce.soap.partner.Connector;
import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.sobject.SObject;
import com.sforce.ws.ConnectionException;
import com.sforce.ws.ConnectorConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.impl.DefaultCamelContext;

/** Clients nobody here wrote, pointed at a simulator: Salesforce's WSC partner connection and camel-salesforce. */
public final class SimulatorClients {

    private SimulatorClients() {
    }

    /** A WSC partner connection logged in with SOAP login(). */
    public static PartnerConnection partner(SalesforceSimulator sf) throws ConnectionException {
        ConnectorConfig config = new ConnectorConfig();
        config.setUsername(sf.credentials().username());
        config.setPassword(sf.credentials().password());
        config.setAuthEndpoint(sf.loginUrl() + "/services/Soap/u/62.0");
        return Connector.newConnection(config);
    }

    /** An sObject for WSC: its type, then field names and values in turn. */
    public static SObject sobject(String type, Object... fieldValues) {
        SObject s = new SObject();
        s.setType(type);
        for (int i = 0; i < fieldValues.length; i += 2) {
            s.setField((String) fieldValues[i], fieldValues[i + 1]);
        }
        return s;
    }

    /** A camel-salesforce component that logs in to the simulator with the password flow. */
    public static SalesforceComponent salesforce(SalesforceSimulator sf) {
        SalesforceComponent salesforce = new SalesforceComponent();
        salesforce.setLoginUrl(sf.loginUrl());
        salesforce.setClientId(sf.credentials().clientId());
        salesforce.setClientSecret(sf.credentials().clientSecret());
        salesforce.setUserName(sf.credentials().username());
        salesforce.setPassword(sf.credentials().password());
        salesforce.setAuthenticationType(AuthenticationType.USERNAME_PASSWORD);
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion("62.0");
        salesforce.setConfig(config);
        return salesforce;
    }

    /** A started Camel context whose {@code salesforce} component is {@link #salesforce}'s; close it after the test. */
    public static CamelContext camel(SalesforceComponent salesforce) {
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("salesforce", salesforce);
        camel.start();
        return camel;
    }
}
