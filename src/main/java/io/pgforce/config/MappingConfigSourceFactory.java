package io.pgforce.config;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Publishes the mapping file's connection settings as configuration ({@code pgforce.schema},
 * {@code pgforce.write-algorithm}, ...), so routes and beans read them like any other property
 * and the mapping file stays their single source of truth. Loading it here, as the configuration
 * is read, also makes an invalid or missing mapping file the first thing start-up reports.
 */
public class MappingConfigSourceFactory implements ConfigSourceFactory {

    /** Above application.properties (250), below environment variables (300). */
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue file = context.getValue("pgforce.mapping.file");
        if (file == null || file.getValue() == null || file.getValue().isBlank()) {
            return List.of();
        }
        Path path = Path.of(file.getValue());
        if (!Files.isRegularFile(path) && ExecutionMode.current() == ExecutionMode.UNSET) {
            return List.of(); // the build: the mapping file belongs to the running application, not to the build
        }
        ConnectionSettings c = MappingCache.load(path).connection();
        Map<String, String> properties = Map.of(
                "pgforce.schema", c.schema(),
                "pgforce.write-algorithm", c.writeAlgorithm().name().toLowerCase(Locale.ROOT),
                "pgforce.api-version", c.apiVersion(),
                "pgforce.bulk.enabled", String.valueOf(c.bulkEnabled()));
        return List.of(new PropertiesConfigSource(properties, "pgforce mapping file " + path, ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
