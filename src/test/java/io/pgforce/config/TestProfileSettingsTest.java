package io.pgforce.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The test profile's values live in src/test/resources/application-test.properties: the packaged
 * application.properties holds no %test key, and Quarkus reads every one of the moved values
 * from the classpath as it reads application.properties.
 */
class TestProfileSettingsTest {

    @Test
    void theProductionFileHoldsNoTestProfileKey() throws IOException {
        assertThat(Files.readAllLines(Path.of("application.properties"))).noneMatch(line -> line.startsWith("%test."));
    }

    @Test
    void everyValueOfTheTestProfileFileIsAppliedInTheTestProfile() throws IOException {
        Properties moved = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/test/resources/application-test.properties"))) {
            moved.load(in);
        }
        // the default sources are Quarkus' own: application.properties (and its profile files) on the classpath, ordinal 250
        SmallRyeConfig config = new SmallRyeConfigBuilder().withProfile("test").addDefaultSources().addDefaultInterceptors().build();

        assertThat(moved).isNotEmpty();
        // a @TestProfile run earlier in this JVM may leave its overrides as system properties, which outrank the file
        moved.forEach((key, value) -> {
            if (System.getProperty((String) key) == null) {
                assertThat(config.getConfigValue((String) key).getValue()).as((String) key).isEqualTo(value);
            }
        });
        assertThat(config.getConfigValue("pgforce.poll.batch-size").getValue()).as("a default of application.properties").isEqualTo("50000");
    }
}
