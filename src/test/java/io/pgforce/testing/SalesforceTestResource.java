package io.pgforce.testing;

import io.pgforce.simulator.Credentials;
import io.pgforce.simulator.SalesforceSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.Map;

/** A simulated org for a Quarkus test application, logged into over HTTP like a real one. */
public class SalesforceTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init argument: the org refuses every login from the start (a test profile sets it). */
    public static final String REFUSE_LOGINS = "refuse-logins";

    private static volatile SalesforceSimulator simulator;
    private boolean refuseLogins;

    @Override
    public void init(Map<String, String> initArgs) {
        refuseLogins = Boolean.parseBoolean(initArgs.get(REFUSE_LOGINS));
    }

    @Override
    public Map<String, String> start() {
        simulator = SalesforceSimulator.builder().bulkProcessingDelay(Duration.ofMillis(20)).build().start();
        simulator.faults().refuseLogins(refuseLogins);
        Credentials c = simulator.credentials();
        return Map.of(
                "camel.component.salesforce.login-url", simulator.loginUrl(),
                "camel.component.salesforce.client-id", c.clientId(),
                "camel.component.salesforce.client-secret", c.clientSecret(),
                "camel.component.salesforce.user-name", c.username(),
                "camel.component.salesforce.password", c.password());
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    /** The org the running test application writes to. */
    public static SalesforceSimulator simulator() {
        return simulator;
    }
}
