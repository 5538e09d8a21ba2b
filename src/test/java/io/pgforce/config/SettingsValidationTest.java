package io.pgforce.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The settings table against application.properties: every profile's values pass, and every setting pgforce reads has a rule. */
class SettingsValidationTest {

    private static final Path PROPERTIES = Path.of("application.properties");
    /** A setting as application.properties defines it (also commented out), as a bean injects it, as a route reads it. */
    private static final Pattern NAMED = Pattern.compile("(?m)^#?(?:%\\w+\\.)?(pgforce\\.[a-z0-9.-]+)=|@ConfigProperty\\(name = \"(pgforce\\.[^\"]+)\""
            + "|\\{\\{(pgforce\\.[^}:]+)|properties:(pgforce\\.[^}:]+)");

    private static SmallRyeConfig config(String profile, Map<String, String> overrides) throws IOException {
        return new SmallRyeConfigBuilder().withProfile(profile).addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(PROPERTIES.toUri().toURL()), new PropertiesConfigSource(overrides, "overrides", 400)).build();
    }

    @ParameterizedTest(name = "profile {0}")
    @ValueSource(strings = {"prod", "dev", "test"})
    void everyProfileOfApplicationPropertiesPasses(String profile) throws Exception {
        SmallRyeConfig config = config(profile, Map.of());

        assertThatCode(() -> SettingsValidation.check(key -> config.getConfigValue(key).getValue())).doesNotThrowAnyException();
    }

    @Test
    void everySettingPgforceReadsHasARule() throws Exception {
        TreeSet<String> named = new TreeSet<>();
        for (Path root : new Path[] {PROPERTIES, Path.of("routes"), Path.of("src/main/java")}) {
            try (var files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Matcher m = NAMED.matcher(Files.readString(file));
                    while (m.find()) {
                        for (int g = 1; g <= m.groupCount(); g++) {
                            if (m.group(g) != null) {
                                named.add(m.group(g));
                            }
                        }
                    }
                }
            }
        }

        assertThat(named).hasSizeGreaterThan(40);
        assertThat(SettingsValidation.RULES.keySet()).containsAll(named);
    }

    @Test
    void aBadValueIsOneLineNamingTheSettingItsValueAndWhatIsAllowed() throws Exception {
        SmallRyeConfig config = config("prod", Map.of("pgforce.poll.batch-size", "0"));

        assertThatThrownBy(() -> SettingsValidation.check(key -> config.getConfigValue(key).getValue()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid setting pgforce.poll.batch-size=0: must be a whole number from 1 to 1000000");
    }

    @Test
    void aPasswordInABadUrlIsNotShown() throws Exception {
        SmallRyeConfig config = config("prod", Map.of("pgforce.db.url", "jdbc:postgres://db/app?user=u&password=s3cret",
                "pgforce.notify.webhook.url", "hooks://u:s3cret@example.com/x"));

        assertThatThrownBy(() -> SettingsValidation.check(key -> config.getConfigValue(key).getValue()))
                .hasMessage("Invalid setting pgforce.db.url=jdbc:postgres://db/app?user=u&password=***: must be a PostgreSQL JDBC URL "
                        + "(jdbc:postgresql://host:port/database), or unset");
        SmallRyeConfig webhook = config("prod", Map.of("pgforce.notify.webhook.url", "hooks://u:s3cret@example.com/x"));
        assertThatThrownBy(() -> SettingsValidation.check(key -> webhook.getConfigValue(key).getValue()))
                .hasMessageStartingWith("Invalid setting pgforce.notify.webhook.url=hooks://u:***@example.com/x: must be");
    }

    @Test
    void theBenchmarksSettingsPass() throws Exception {
        // the benchmark's engine runs cycles back to back (bench/src/io/pgforce/bench/Engine.java)
        SmallRyeConfig config = config("prod", Map.of("pgforce.poll.min-interval", "0", "pgforce.bulk.poll-initial-ms", "100"));

        assertThatCode(() -> SettingsValidation.check(key -> config.getConfigValue(key).getValue())).doesNotThrowAnyException();
    }
}
