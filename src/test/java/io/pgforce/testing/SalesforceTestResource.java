package io.pgforce.testing;

import io.pgforce.simulator.SalesforceSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A simulated org for a Quarkus test application, logged into over HTTP like a real one. */
public class SalesforceTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init argument: the org refuses every login from the start (a test profile sets it). */
    public static final String REFUSE_LOGINS = "refuse-logins";
    /** Init argument: the org's schema file, instead of the simulator's default org. */
    public static final String SCHEMA = "schema";

    private static volatile SalesforceSimulator simulator;
    private boolean refuseLogins;
    private String schema;

    @Override
    public void init(Map<String, String> initArgs) {
        refuseLogins = Boolean.parseBoolean(initArgs.get(REFUSE_LOGINS));
        schema = initArgs.get(SCHEMA);
    }

    @Override
    public Map<String, String> start() {
        SalesforceSimulator.Builder builder = Simulators.forTest();
        if (schema != null) {
            builder.schema(java.nio.file.Path.of(schema));
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
