package io.pgforce.config;

import io.quarkus.runtime.ExecutionMode;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.postgresql.Driver;

/**
 * Every setting pgforce reads, with what it may be: one table, checked as the configuration
 * is read at start-up (a config source factory, like the mapping file's, that adds no source), so
 * before any bean exists and before anything touches the database, Salesforce or the HTTP port.
 * The first setting that is not valid stops start-up with one line naming it, its value and what
 * is allowed (an {@link InvalidConfigurationException}). Frameworks would take a mistyped value
 * quietly ({@code maybe} is false to Quarkus, {@code -1} a batch size) or fail with pages of
 * stack trace much later.
 */
public class SettingsValidation implements ConfigSourceFactory {

    /** What a setting may be: the sentence an operator reads, and the test; an optional setting may be unset or empty. */
    record Rule(String allowed, boolean optional, Predicate<String> accepts) {

        boolean allows(String value) {
            if (value == null || value.isBlank()) {
                return optional;
            }
            try {
                return accepts.test(value.strip());
            } catch (RuntimeException notParsed) {
                return false;
            }
        }

        Rule orUnset() {
            return new Rule(allowed + ", or unset", true, accepts);
        }

        /** The old name of a renamed setting (RenamedSettings): unset unless an operator still sets it, then held to its old rule. */
        Rule renamed() {
            return new Rule(allowed, true, accepts);
        }
    }

    private static final long HOUR_MS = 3_600_000;
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern ERROR_CODES = Pattern.compile("[A-Z_]+(\\s*,\\s*[A-Z_]+)*");
    private static final Pattern API_VERSION = Pattern.compile("\\d{2}\\.0");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;\\s]*");
    private static final Pattern URL_PASSWORD = Pattern.compile("(//[^/:@\\s]+:)[^@/\\s]*@");

    /** Key -> rule, for every {@code pgforce.*} setting and the framework settings a user sets most. */
    static final Map<String, Rule> RULES = rules();

    private static Map<String, Rule> rules() {
        Map<String, Rule> r = new LinkedHashMap<>();
        // mapping and routes: what the file or directory holds is checked where it is read (MappingLoader, RoutesConfigSourceFactory)
        r.put("pgforce.mapping.file", text("the path of a YAML mapping file or a mapping export JSON"));
        r.put("pgforce.routes.dir", text("a directory of route files").orUnset());
        // published from the mapping file's connection settings; set by hand they must still be what a mapping file may say
        r.put("pgforce.schema", rule("a Postgres schema name (lower-case letters, digits and underscores, at most 63)", Identifiers::isPostgresName));
        r.put("pgforce.write-algorithm", rule("ordered or merged", v -> v.equals("ordered") || v.equals("merged")));
        r.put("pgforce.api-version", rule("a Salesforce API version from 20.0 to 99.0, such as 62.0",
                v -> API_VERSION.matcher(v).matches() && Double.parseDouble(v) >= 20)); // as MappingValidator
        r.put("pgforce.bulk.enabled", bool());
        // database
        r.put("pgforce.db.url", rule("a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)",
                v -> Driver.parseURL(v, new Properties()) != null).orUnset());
        r.put("pgforce.db.username", anything());
        r.put("pgforce.db.password", anything());
        r.put("pgforce.db.operations-pool-size", whole(1, 100));
        r.put("pgforce.embedded.data-dir", text("a directory"));
        r.put("pgforce.embedded.port", port());
        r.put("pgforce.embedded.durable", bool());
        r.put("pgforce.schema.lock-timeout", positiveDuration());
        r.put("pgforce.schema.adopt", bool());
        // polling and claiming
        r.put("pgforce.poll.interval", positiveDuration());
        r.put("pgforce.poll.min-interval", rule("a duration of 0 or more such as 0, 500ms or 10s (0: a cycle may follow the last at once)",
                v -> !DurationConverter.parseDuration(v).isNegative()));
        r.put("pgforce.poll.batch-size", whole(1, 1_000_000));
        r.put("pgforce.claim.commit-consistent", bool());
        r.put("pgforce.claim.max-wait", positiveDuration());
        r.put("pgforce.claim.recheck-interval", positiveDuration());
        r.put("pgforce.notify.channel", rule("a Postgres name (lower-case letters, digits and underscores, at most 63): camel-pgevent listens to plain names only",
                Identifiers::isPostgresName));
        r.put("pgforce.notify.reconnect-delay", milliseconds(1, HOUR_MS));
        // the writer lease and Camel's leadership
        r.put("pgforce.instance-id", anything());
        // renewed every third of it: a shorter lease would be renewed more often than a second
        r.put("pgforce.writer.lease-seconds", whole(3, 3600).renamed());
        r.put("pgforce.writer.lease-lifetime", duration(Duration.ofSeconds(3), HOUR, ChronoUnit.SECONDS));
        r.put("pgforce.cluster.namespace", rule("a name of letters, digits, '.', '_' and '-'", v -> NAME.matcher(v).matches()));
        r.put("pgforce.cluster.standby-check", positiveDuration());
        // Salesforce
        r.put("pgforce.soap.default-address", httpUrl());
        r.put("pgforce.retry.record-errors", rule("a comma-separated list of Salesforce error codes such as UNABLE_TO_LOCK_ROW",
                v -> ERROR_CODES.matcher(v).matches()));
        r.put("pgforce.retry.record-attempts", whole(1, 100));
        r.put("pgforce.retry.record-delay-ms", milliseconds(1, HOUR_MS).renamed());
        r.put("pgforce.retry.record-delay", delay());
        r.put("pgforce.soap.allow-field-truncation", bool());
        r.put("pgforce.api.max-share", rule("a number above 0 and at most 1, such as 0.8 (the share of the org's daily API requests pgforce goes up to)",
                v -> Double.parseDouble(v) > 0 && Double.parseDouble(v) <= 1));
        r.put("pgforce.api.recheck-interval", duration(Duration.ofSeconds(1), HOUR, ChronoUnit.SECONDS));
        r.put("pgforce.bulk.poll-initial-ms", milliseconds(1, HOUR_MS).renamed());
        r.put("pgforce.bulk.poll.initial-delay", delay());
        r.put("pgforce.bulk.poll-max-ms", milliseconds(1, HOUR_MS).renamed());
        r.put("pgforce.bulk.poll.max-delay", delay());
        r.put("pgforce.retry.initial-delay-ms", milliseconds(1, HOUR_MS).renamed());
        r.put("pgforce.retry.initial-delay", delay());
        r.put("pgforce.retry.max-delay-ms", milliseconds(1, HOUR_MS).renamed());
        r.put("pgforce.retry.max-delay", delay());
        r.put("pgforce.describe.check-at-startup", bool());
        r.put("pgforce.simulator.enabled", bool());
        r.put("pgforce.simulator.port", whole(1, 65_535));
        r.put("camel.component.salesforce.login-url", httpUrl());
        r.put("camel.component.salesforce.authentication-type", rule("one of " + Arrays.stream(AuthenticationType.values()).map(Enum::name).collect(Collectors.joining(", ")),
                v -> Arrays.stream(AuthenticationType.values()).anyMatch(t -> t.name().equalsIgnoreCase(v))));
        // reading
        r.put("pgforce.read.enabled", bool());
        r.put("pgforce.read.interval", duration(Mapping.SHORTEST_POLL_INTERVAL, Mapping.LONGEST_POLL_INTERVAL, ChronoUnit.SECONDS));
        r.put("pgforce.read.overlap", duration(Duration.ZERO, HOUR, ChronoUnit.SECONDS));
        r.put("pgforce.read.page-size", whole(200, 2000));
        r.put("pgforce.read.bulk-threshold", rule("a whole number (0 or less: loads never use Bulk)", v -> inRange(v, Integer.MIN_VALUE, Integer.MAX_VALUE)));
        r.put("pgforce.read.bulk-page-size", whole(200, 50_000));
        // Salesforce lets an org run at most 25 requests of 20 s or more at once, the writer's included
        r.put("pgforce.read.concurrency", whole(1, 25));
        r.put("pgforce.read.tick", duration(Duration.ofMillis(10), Duration.ofMinutes(1), ChronoUnit.MILLIS));
        r.put("pgforce.read.stream-resubscribe", duration(Duration.ofSeconds(10), HOUR, ChronoUnit.SECONDS));
        // failure notifications
        r.put("pgforce.notify.webhook.url", httpUrl().orUnset());
        r.put("pgforce.notify.attempts", rule("a whole number from 0 to 1000 (0: not tried again)", v -> inRange(v, 0, 1000)));
        r.put("pgforce.notify.initial-delay-ms", milliseconds(1, HOUR_MS).renamed());
        r.put("pgforce.notify.initial-delay", delay());
        r.put("pgforce.notify.max-delay-ms", milliseconds(1, HOUR_MS).renamed());
        r.put("pgforce.notify.max-delay", delay());
        r.put("pgforce.notify.queue-size", whole(1, 1_000_000));
        // housekeeping: a negative delay or retention would archive and purge at once
        r.put("pgforce.archive.interval", positiveDuration());
        r.put("pgforce.archive.delay-seconds", rule("a whole number of seconds from 0 to 31536000 (a year)", v -> inRange(v, 0, 31_536_000)).renamed());
        r.put("pgforce.archive.delay", duration(Duration.ZERO, Duration.ofDays(365), ChronoUnit.SECONDS));
        r.put("pgforce.archive.retention-days", rule("a whole number of days from 1 to 36500", v -> inRange(v, 1, 36_500)).renamed());
        r.put("pgforce.archive.retention", duration(Duration.ofDays(1), Duration.ofDays(36_500), ChronoUnit.DAYS));
        // operations
        r.put("pgforce.admin.token", anything());
        r.put("pgforce.admin.open-without-token", bool());
        r.put("pgforce.health.max-backlog-age", positiveDuration());
        r.put("quarkus.http.port", port().orUnset());
        // the demo run
        r.put("pgforce.demo.workload.enabled", bool());
        r.put("pgforce.demo.workload.period", positiveDuration());
        r.put("pgforce.demo.workload.rows", whole(1, 1000));
        return Collections.unmodifiableMap(r);
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (ExecutionMode.current() == ExecutionMode.UNSET) {
            return List.of(); // the build: the settings belong to the running application
        }
        check(context::getValue);
        return List.of();
    }

    /**
     * Throws for the first setting whose value its rule does not allow. A renamed setting's value
     * read under its other name keeps the name it was set with (RenamedSettings): it is judged
     * there, once, as written.
     */
    static void check(Function<String, ConfigValue> values) {
        RULES.forEach((key, rule) -> {
            ConfigValue configValue = values.apply(key);
            if (configValue != null && configValue.getName() != null && !configValue.getName().equals(key) && RULES.containsKey(configValue.getName())) {
                return;
            }
            String value = configValue == null ? null : configValue.getValue();
            if (!rule.allows(value)) {
                throw new InvalidConfigurationException("Invalid setting " + key + "=" + shown(value) + ": must be " + rule.allowed());
            }
        });
    }

    /**
     * The value as typed, but never a password a URL carries ({@code password=...}, {@code user:secret@});
     * an empty one, or one with spaces, quoted so that the line shows where it ends.
     */
    private static String shown(String value) {
        if (value == null) {
            return "''";
        }
        String masked = URL_PASSWORD.matcher(PASSWORD_PARAMETER.matcher(value).replaceAll("$1***")).replaceAll("$1***@");
        return masked.isBlank() || !masked.equals(masked.strip()) || masked.contains(" ") ? "'" + masked + "'" : masked;
    }

    // ------------------------------------------------------------------ kinds of rule

    private static Rule rule(String allowed, Predicate<String> accepts) {
        return new Rule(allowed, false, accepts);
    }

    private static Rule anything() {
        return new Rule("anything", true, v -> true);
    }

    private static Rule text(String allowed) {
        return rule(allowed, v -> true);
    }

    /** Strictly true or false: Quarkus reads any other word as false. */
    private static Rule bool() {
        return rule("true or false", v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"));
    }

    private static Rule whole(long min, long max) {
        return rule("a whole number from " + min + " to " + max, v -> inRange(v, min, max));
    }

    private static Rule milliseconds(long min, long max) {
        return rule("a whole number of milliseconds from " + min + " to " + max, v -> inRange(v, min, max));
    }

    private static Rule port() {
        return rule("a port from 0 to 65535 (0: a free one)", v -> inRange(v, 0, 65_535));
    }

    private static boolean inRange(String value, long min, long max) {
        long n = Long.parseLong(value);
        return n >= min && n <= max;
    }

    /** As Quarkus reads a duration (10s, 5m, 500ms, PT1S; a bare number is seconds), and at least a millisecond. */
    private static Rule positiveDuration() {
        return rule("a positive duration such as 500ms, 10s, 5m or PT1S", v -> {
            Duration d = DurationConverter.parseDuration(v);
            return d != null && d.toMillis() >= 1;
        });
    }

    /** A back-off's delay: from a millisecond to an hour, as the whole milliseconds it replaced. */
    private static Rule delay() {
        return duration(Duration.ofMillis(1), HOUR, ChronoUnit.MILLIS);
    }

    /** A duration from {@code least} to {@code most} in whole {@code unit}s: what the old name of the setting held, and what a route is given. */
    private static Rule duration(Duration least, Duration most, ChronoUnit unit) {
        String whole = switch (unit) {
            case MILLIS -> ", such as 500ms or 30s";
            case SECONDS -> " in whole seconds, such as 30s or 2h";
            case DAYS -> " in whole days, such as 7d";
            default -> throw new IllegalArgumentException(unit.toString());
        };
        return rule("a duration from " + shortly(least) + " to " + shortly(most) + whole, v -> {
            Duration d = DurationConverter.parseDuration(v);
            return d != null && d.compareTo(least) >= 0 && d.compareTo(most) <= 0 && d.toNanos() % unit.getDuration().toNanos() == 0;
        });
    }

    private static String shortly(Duration d) {
        return d.isZero() ? "0" : d.toDaysPart() > 0 && d.toHoursPart() == 0 ? d.toDays() + "d" : d.toHours() > 0 && d.toMinutesPart() == 0 ? d.toHours() + "h"
                : d.toSeconds() > 0 && d.toMillisPart() == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** An http or https URL with a host (camel-salesforce and the HTTP client would fail on anything else only when first used). */
    private static Rule httpUrl() {
        return rule("an http or https URL with a host, such as https://login.salesforce.com", v -> {
            try {
                URI uri = new URI(v);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && !uri.getHost().isBlank();
            } catch (URISyntaxException e) {
                return false;
            }
        });
    }
}
