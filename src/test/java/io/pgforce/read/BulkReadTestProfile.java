package io.pgforce.read;

import java.util.HashMap;
import java.util.Map;

/** The read tests' application with a Bulk threshold the tests can reach quickly, and results pages small enough to count. */
public class BulkReadTestProfile extends ReadTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("pgforce.read.bulk-threshold", "3000");
        overrides.put("pgforce.read.bulk-page-size", "1000");
        return overrides;
    }
}
