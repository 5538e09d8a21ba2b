package io.pgforce.read;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The suite's application with the read side on (the test profile has it off, so that the write tests see only their writes). */
public class ReadTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("pgforce.read.enabled", "true");
    }
}
