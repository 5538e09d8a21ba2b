package io.pgforce.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The durations once named with their unit ({@code pgforce.retry.initial-delay-ms=1000}) are now
 * durations named without one ({@code pgforce.retry.initial-delay=1s}). Both names stay one
 * setting: each reads the value set under either, in its own unit, and a value set under the old
 * name counts where its source outranks the new name's (an environment variable with the old name
 * beats the default in application.properties; in the same file the new name wins). The old
 * names stay because operators' files and environments use them, and because Camel takes some of
 * these values only as numbers: the routes' redelivery delays (milliseconds) and the archive's
 * delay and retention (seconds, days) read the old names.
 *
 * <p>Runs outside the profile and expression interceptors (a higher priority), so both names are
 * resolved with their profile and expressions before they are compared.
 */
@Priority(Priorities.LIBRARY + 500)
public class RenamedSettings implements ConfigSourceInterceptor {

    /** A duration renamed: the old name held a whole number of {@code unit}s. */
    record Renamed(String oldName, String newName, ChronoUnit unit) {

        private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");

        /** The old name's number as a duration the new name may hold ({@code 500} ms: {@code 500ms}); null when it is not a number. */
        String toNew(String old) {
            String v = old.strip();
            if (!WHOLE.matcher(v).matches()) {
                return null;
            }
            return switch (unit) {
                case MILLIS -> v + "ms";
                case SECONDS -> v + "s";
                case DAYS -> v + "d";
                default -> throw new IllegalStateException(unit.toString());
            };
        }

        /** The new name's duration as the old name's whole number of units; null when it is none (not a duration, or a fraction of the unit). */
        String toOld(String duration) {
            Duration d;
            try {
                d = DurationConverter.parseDuration(duration.strip());
            } catch (RuntimeException notADuration) {
                return null;
            }
            if (d == null) {
                return null;
            }
            Duration one = unit.getDuration();
            return d.toNanos() % one.toNanos() == 0 ? String.valueOf(d.dividedBy(one)) : null;
        }
    }

    static final List<Renamed> RENAMED = List.of(
            new Renamed("pgforce.retry.initial-delay-ms", "pgforce.retry.initial-delay", ChronoUnit.MILLIS),
            new Renamed("pgforce.retry.max-delay-ms", "pgforce.retry.max-delay", ChronoUnit.MILLIS),
            new Renamed("pgforce.retry.record-delay-ms", "pgforce.retry.record-delay", ChronoUnit.MILLIS),
            new Renamed("pgforce.bulk.poll-initial-ms", "pgforce.bulk.poll.initial-delay", ChronoUnit.MILLIS),
            new Renamed("pgforce.bulk.poll-max-ms", "pgforce.bulk.poll.max-delay", ChronoUnit.MILLIS),
            new Renamed("pgforce.notify.initial-delay-ms", "pgforce.notify.initial-delay", ChronoUnit.MILLIS),
            new Renamed("pgforce.notify.max-delay-ms", "pgforce.notify.max-delay", ChronoUnit.MILLIS),
            new Renamed("pgforce.writer.lease-seconds", "pgforce.writer.lease-lifetime", ChronoUnit.SECONDS),
            new Renamed("pgforce.archive.delay-seconds", "pgforce.archive.delay", ChronoUnit.SECONDS),
            new Renamed("pgforce.archive.retention-days", "pgforce.archive.retention", ChronoUnit.DAYS));

    private static final Map<String, Renamed> BY_NAME = RENAMED.stream()
            .flatMap(r -> Stream.of(Map.entry(r.oldName(), r), Map.entry(r.newName(), r)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        Renamed renamed = BY_NAME.get(name);
        if (renamed == null) {
            return context.proceed(name);
        }
        ConfigValue older = present(context.proceed(renamed.oldName()));
        ConfigValue newer = present(context.proceed(renamed.newName()));
        boolean oldCounts = older != null && (newer == null || older.getConfigSourceOrdinal() > newer.getConfigSourceOrdinal());
        if (name.equals(renamed.newName())) {
            return oldCounts ? converted(older, renamed::toNew) : newer;
        }
        return oldCounts || newer == null ? older : converted(newer, renamed::toOld);
    }

    /**
     * The value in the other name's unit. It keeps the name it was set with, so that the settings
     * check judges it once, as written, by that name's rule (SettingsValidation); a value that does
     * not convert is passed on as written, for that check to name.
     */
    private static ConfigValue converted(ConfigValue value, Function<String, String> convert) {
        String converted = convert.apply(value.getValue());
        return converted == null ? value : value.withValue(converted);
    }

    /**
     * An old name is another spelling of the new one, not a setting of its own: the names listed
     * show the new one, so a config mapping does not take a value set under the old name for an
     * unknown key.
     */
    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Set<String> names = new LinkedHashSet<>();
        context.iterateNames().forEachRemaining(name -> {
            Renamed renamed = BY_NAME.get(name);
            names.add(renamed == null ? name : renamed.newName());
        });
        return names.iterator();
    }

    private static ConfigValue present(ConfigValue value) {
        return value == null || value.getValue() == null ? null : value;
    }
}
