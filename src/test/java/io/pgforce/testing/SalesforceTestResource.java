package io.pgforce.testing;

import io.pgforce.simulator.SalesforceSimulator;
import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;
import java.util.Map;

/**
 * A simulated org for a Quarkus test application, logged into over HTTP like a real one: the
 * default org, or what the class's {@link EndToEnd} asks for (its schema, logins refused).
 */
public class SalesforceTestResource implements QuarkusTestResourceConfigurableLifecycleManager<EndToEnd> {

    private static volatile SalesforceSimulator simulator;
    private boolean refuseLogins;
    private String schema = "";

    @Override
    public void init(EndToEnd endToEnd) {
        refuseLogins = endToEnd.refuseLogins();
        schema = endToEnd.simulatorSchema();
    }

    @Override
    public Map<String, String> start() {
        SalesforceSimulator.Builder builder = Simulators.forTest();
        if (!schema.isEmpty()) {
            builder.schema(EndToEnd.SIMULATOR_SCHEMAS.resolve(schema));
        }
        simulator = builder.build().start();
        simulator.faults().refuseLogins(refuseLogins);
        return Simulators.loginProperties(simulator.loginUrl(), simulator.credentials());
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
