package io.pgforce.demo;

import io.smallrye.config.ConfigMapping;

/** {@code pgforce.simulator.*}: the Salesforce simulator the demo run starts in-process. */
@ConfigMapping(prefix = "pgforce.simulator")
public interface SimulatorSettings {

    boolean enabled();

    int port();
}
