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
    /** The test profile's values, beside the test classpath's empty application.properties. */
    private static final Path TEST_PROPERTIES = Path.of("src/test/resources/application-test.properties");
    /** A setting as application.properties defines it (also commented out), as a bean injects it, as a route reads it. */
    private static final Pattern NAMED = Pattern.compile("(?m)^#?(?:%\\w+\\.)?(pgforce\\.[a-z0-9.-]+)=|@ConfigProperty\\(name = \"(pgforce\\.[^\"]+)\""
            + "|\\{\\{(pgforce\\.[^}:]+)|properties:(pgforce\\.[^}:]+)");

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)");
    /** An abstract method of an interface: a type, a name, no parameters, no body. */
    private static final Pattern MAPPED_METHOD = Pattern.compile("(?m)^    (?!default)([\\w<>.]+) (\\w+)\\(\\);");

    private static SmallRyeConfig config(String profile, Map<String, String> overrides) throws IOException {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().withProfile(profile).addDefaultInterceptors().withInterceptors(new RenamedSettings())
                .withSources(new PropertiesConfigSource(PROPERTIES.toUri().toURL()), new PropertiesConfigSource(overrides, "overrides", 400));
        if (profile.equals("test")) {
            builder.withSources(new PropertiesConfigSource(TEST_PROPERTIES.toUri().toURL(), 260));
        }
        return builder.build();
    }

    @ParameterizedTest(name = "profile {0}")
    @ValueSource(strings = {"prod", "dev", "test"})
    void everyProfileOfApplicationPropertiesPasses(String profile) throws Exception {
        SmallRyeConfig config = config(profile, Map.of());

        assertThatCode(() -> SettingsValidation.check(config::getConfigValue)).doesNotThrowAnyException();
    }

    @Test
    void everySettingPgforceReadsHasARule() throws Exception {
        TreeSet<String> named = new TreeSet<>();
        for (Path root : new Path[] {PROPERTIES, TEST_PROPERTIES, Path.of("routes"), Path.of("src/main/java")}) {
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

        named.addAll(mappedSettings());
        assertThat(named).hasSizeGreaterThan(40);
        assertThat(SettingsValidation.RULES.keySet()).containsAll(named);
    }

    /** The keys the @ConfigMapping interfaces read: prefix plus each abstract method's name in kebab case. */
    private static TreeSet<String> mappedSettings() throws IOException {
        TreeSet<String> keys = new TreeSet<>();
        try (var files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher prefix = MAPPING.matcher(source);
                if (prefix.find()) {
                    Matcher method = MAPPED_METHOD.matcher(source);
                    while (method.find()) {
                        if (source.contains("interface " + method.group(1) + " {")) {
                            continue; // a nested group: its keys are its own methods'
                        }
                        keys.add(prefix.group(1) + "." + method.group(2).replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        assertThat(keys).as("the mapping interfaces' keys").contains("pgforce.retry.initial-delay", "pgforce.writer.lease-lifetime");
        return keys;
    }

    @Test
    void aBadValueIsOneLineNamingTheSettingItsValueAndWhatIsAllowed() throws Exception {
        SmallRyeConfig config = config("prod", Map.of("pgforce.poll.batch-size", "0"));

        assertThatThrownBy(() -> SettingsValidation.check(config::getConfigValue))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid setting pgforce.poll.batch-size=0: must be a whole number from 1 to 1000000");
    }

    @Test
    void aPasswordInABadUrlIsNotShown() throws Exception {
        SmallRyeConfig config = config("prod", Map.of("pgforce.db.url", "jdbc:postgres://db/app?user=u&password=s3cret",
                "pgforce.notify.webhook.url", "hooks://u:s3cret@example.com/x"));

        assertThatThrownBy(() -> SettingsValidation.check(config::getConfigValue))
                .hasMessage("Invalid setting pgforce.db.url=jdbc:postgres://db/app?user=u&password=***: must be a PostgreSQL JDBC URL "
                        + "(jdbc:postgresql://host:port/database), or unset");
        SmallRyeConfig webhook = config("prod", Map.of("pgforce.notify.webhook.url", "hooks://u:s3cret@example.com/x"));
        assertThatThrownBy(() -> SettingsValidation.check(webhook::getConfigValue))
                .hasMessageStartingWith("Invalid setting pgforce.notify.webhook.url=hooks://u:***@example.com/x: must be");
    }

    @Test
    void theBenchmarksSettingsPass() throws Exception {
        // the benchmark's engine runs cycles back to back (bench/src/io/pgforce/bench/Engine.java)
        SmallRyeConfig config = config("prod", Map.of("pgforce.poll.min-interval", "0", "pgforce.bulk.poll.initial-delay", "100ms"));

        assertThatCode(() -> SettingsValidation.check(config::getConfigValue)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "pgforce.retry.max-delay-ms=-1|Invalid setting pgforce.retry.max-delay-ms=-1: must be a whole number of milliseconds from 1 to 3600000",
            "pgforce.retry.max-delay-ms=soon|Invalid setting pgforce.retry.max-delay-ms=soon: must be a whole number of milliseconds from 1 to 3600000",
            "pgforce.retry.max-delay=-1s|Invalid setting pgforce.retry.max-delay=-1s: must be a duration from 1ms to 1h, such as 500ms or 30s",
            "pgforce.retry.max-delay=2h|Invalid setting pgforce.retry.max-delay=2h: must be a duration from 1ms to 1h, such as 500ms or 30s",
            "pgforce.writer.lease-lifetime=1500ms|Invalid setting pgforce.writer.lease-lifetime=1500ms: must be a duration from 3s to 1h in whole seconds, such as 30s or 2h",
            "pgforce.archive.retention=36h|Invalid setting pgforce.archive.retention=36h: must be a duration from 1d to 36500d in whole days, such as 7d",
            "pgforce.archive.retention-days=0|Invalid setting pgforce.archive.retention-days=0: must be a whole number of days from 1 to 36500"})
    void aRenamedSettingIsJudgedByTheNameItWasSetWith(String setting) throws Exception {
        assertRefusedWithItsLine(setting);
    }

    /** {@code key=value|the line}: the value, set in production, stops start-up with that line. */
    private static void assertRefusedWithItsLine(String setting) throws Exception {
        String[] keyValue = setting.split("\\|")[0].split("=", 2);
        SmallRyeConfig config = config("prod", Map.of(keyValue[0], keyValue[1]));

        assertThatThrownBy(() -> SettingsValidation.check(config::getConfigValue)).hasMessage(setting.split("\\|")[1]);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "pgforce.read.interval=500ms|Invalid setting pgforce.read.interval=500ms: must be a duration from 1s to 1d in whole seconds, such as 30s or 2h",
            "pgforce.read.overlap=-2m|Invalid setting pgforce.read.overlap=-2m: must be a duration from 0 to 1h in whole seconds, such as 30s or 2h",
            "pgforce.read.page-size=5000|Invalid setting pgforce.read.page-size=5000: must be a whole number from 200 to 2000",
            "pgforce.read.concurrency=0|Invalid setting pgforce.read.concurrency=0: must be a whole number from 1 to 25",
            "pgforce.read.tick=0s|Invalid setting pgforce.read.tick=0s: must be a duration from 10ms to 60s, such as 500ms or 30s",
            "pgforce.read.enabled=yes|Invalid setting pgforce.read.enabled=yes: must be true or false"})
    void aBadReadSettingIsOneLine(String setting) throws Exception {
        assertRefusedWithItsLine(setting);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "pgforce.api.max-share=0|Invalid setting pgforce.api.max-share=0: must be a number above 0 and at most 1, such as 0.8 (the share of the org's daily API requests pgforce goes up to)",
            "pgforce.api.max-share=1.5|Invalid setting pgforce.api.max-share=1.5: must be a number above 0 and at most 1, such as 0.8 (the share of the org's daily API requests pgforce goes up to)",
            "pgforce.api.max-share=half|Invalid setting pgforce.api.max-share=half: must be a number above 0 and at most 1, such as 0.8 (the share of the org's daily API requests pgforce goes up to)",
            "pgforce.api.recheck-interval=0s|Invalid setting pgforce.api.recheck-interval=0s: must be a duration from 1s to 1h in whole seconds, such as 30s or 2h"})
    void aBadApiSettingIsOneLine(String setting) throws Exception {
        assertRefusedWithItsLine(setting);
    }

    @Test
    void aRenamedSettingPassesUnderEitherName() throws Exception {
        SmallRyeConfig config = config("prod", Map.of("pgforce.retry.max-delay-ms", "5000", "pgforce.archive.retention", "7d"));

        assertThatCode(() -> SettingsValidation.check(config::getConfigValue)).doesNotThrowAnyException();
    }
}
