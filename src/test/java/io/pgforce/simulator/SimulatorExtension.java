package io.pgforce.simulator;

import io.pgforce.testing.Simulators;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a fresh simulated org: one simulator per test class on a free loopback port,
 * reset before every test, stopped after the class. Tests receive it as a parameter.
 */
public class SimulatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SimulatorExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        SalesforceSimulator sim = Simulators.forTest().build().start();
        context.getStore(NS).put("simulator", sim);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        SalesforceSimulator sim = context.getStore(NS).remove("simulator", SalesforceSimulator.class);
        if (sim != null) {
            sim.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        simulator(context).reset();
    }

    private static SalesforceSimulator simulator(ExtensionContext context) {
        ExtensionContext c = context;
        while (c != null) {
            SalesforceSimulator sim = c.getStore(NS).get("simulator", SalesforceSimulator.class);
            if (sim != null) {
                return sim;
            }
            c = c.getParent().orElse(null);
        }
        throw new IllegalStateException("No simulator started for " + context.getDisplayName());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == SalesforceSimulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return simulator(extension);
    }
}
