package io.pgforce.testing;

import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;
import java.util.Map;

/** The mapping file an {@link EndToEnd} test application runs with, when the class names one. */
public class MappingTestResource implements QuarkusTestResourceConfigurableLifecycleManager<EndToEnd> {

    private String mapping = "";

    @Override
    public void init(EndToEnd endToEnd) {
        mapping = endToEnd.mapping();
    }

    @Override
    public Map<String, String> start() {
        return mapping.isEmpty() ? Map.of() : Map.of("pgforce.mapping.file", EndToEnd.MAPPINGS.resolve(mapping).toString());
    }

    @Override
    public void stop() {
        // nothing was started
    }
}
