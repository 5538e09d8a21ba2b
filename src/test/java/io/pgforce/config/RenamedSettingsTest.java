package io.pgforce.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A renamed duration is one setting under two names, each in its own unit; the old name counts where its source outranks the new one's. */
class RenamedSettingsTest {

    /** application.properties' defaults (ordinal 250) under the new names, and what an operator sets above them (an environment variable: 300). */
    private static SmallRyeConfig config(String profile, Map<String, String> defaults, Map<String, String> operator) {
        return new SmallRyeConfigBuilder().withProfile(profile).addDefaultInterceptors().withInterceptors(new RenamedSettings())
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(defaults, "application.properties", 250), new PropertiesConfigSource(operator, "environment", 300))
                .build();
    }

    private static final Map<String, String> DEFAULTS = Map.of(
            "pgforce.retry.initial-delay", "1s",
            "pgforce.writer.lease-lifetime", "30s",
            "pgforce.archive.delay", "1h",
            "pgforce.archive.retention", "31d");

    @Test
    void theOldNameReadsTheNewNamesValueInItsUnit() {
        SmallRyeConfig config = config("prod", DEFAULTS, Map.of());

        assertThat(config.getValue("pgforce.retry.initial-delay-ms", long.class)).isEqualTo(1000);
        assertThat(config.getValue("pgforce.writer.lease-seconds", long.class)).isEqualTo(30);
        assertThat(config.getValue("pgforce.archive.delay-seconds", long.class)).isEqualTo(3600);
        assertThat(config.getValue("pgforce.archive.retention-days", int.class)).isEqualTo(31);
    }

    @Test
    void aValueUnderTheOldNameAboveTheDefaultsIsHonouredUnderTheNewName() {
        SmallRyeConfig config = config("prod", DEFAULTS, Map.of("pgforce.retry.initial-delay-ms", "500", "pgforce.archive.retention-days", "7"));

        assertThat(config.getValue("pgforce.retry.initial-delay", Duration.class)).isEqualTo(Duration.ofMillis(500));
        assertThat(config.getValue("pgforce.retry.initial-delay-ms", long.class)).isEqualTo(500);
        assertThat(config.getValue("pgforce.archive.retention", Duration.class)).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void inTheSameSourceTheNewNameWins() {
        SmallRyeConfig config = config("prod", DEFAULTS, Map.of("pgforce.retry.initial-delay-ms", "500", "pgforce.retry.initial-delay", "2s"));

        assertThat(config.getValue("pgforce.retry.initial-delay", Duration.class)).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.getValue("pgforce.retry.initial-delay-ms", long.class)).isEqualTo(2000);
    }

    @Test
    void aProfilesValueUnderTheOldNameCounts() {
        SmallRyeConfig config = config("test", DEFAULTS, Map.of("%test.pgforce.writer.lease-seconds", "3"));

        assertThat(config.getValue("pgforce.writer.lease-lifetime", Duration.class)).isEqualTo(Duration.ofSeconds(3));
        assertThat(config("prod", DEFAULTS, Map.of("%test.pgforce.writer.lease-seconds", "3")).getValue("pgforce.writer.lease-lifetime", Duration.class))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aValueThatDoesNotConvertKeepsTheNameItWasSetWith() {
        SmallRyeConfig config = config("prod", DEFAULTS, Map.of("pgforce.retry.initial-delay-ms", "soon", "pgforce.writer.lease-lifetime", "1500ms"));

        assertThat(config.getConfigValue("pgforce.retry.initial-delay").getName()).isEqualTo("pgforce.retry.initial-delay-ms");
        assertThat(config.getConfigValue("pgforce.retry.initial-delay").getValue()).isEqualTo("soon");
        assertThat(config.getConfigValue("pgforce.writer.lease-seconds").getName()).isEqualTo("pgforce.writer.lease-lifetime");
        assertThat(config.getConfigValue("pgforce.writer.lease-seconds").getValue()).isEqualTo("1500ms");
    }

    @Test
    void theMappingInterfaceReadsAValueSetUnderTheOldName() {
        Map<String, String> defaults = Map.of("pgforce.retry.initial-delay", "1s", "pgforce.retry.max-delay", "60s",
                "pgforce.retry.record-errors", "UNABLE_TO_LOCK_ROW", "pgforce.retry.record-attempts", "5", "pgforce.retry.record-delay", "200ms");
        // unknown keys under a mapping's prefix stop start-up, as in Quarkus: the old name must not count as one
        RetrySettings retry = new SmallRyeConfigBuilder().withInterceptors(new RenamedSettings()).addDefaultInterceptors()
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(defaults, "application.properties", 250),
                        new PropertiesConfigSource(Map.of("pgforce.retry.initial-delay-ms", "500"), "environment", 300))
                .withMapping(RetrySettings.class).build().getConfigMapping(RetrySettings.class);

        assertThat(retry.initialDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(retry.backoff().delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(retry.recordBackoff().delay(0)).isEqualTo(Duration.ofMillis(200));
    }
}
