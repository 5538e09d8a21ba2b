package io.pgforce.config;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Where Camel reads the routes from ({@code camel.main.routes-include-pattern}): the directory
 * {@code pgforce.routes.dir} names, else {@code routes/} in the working directory when there is
 * one, else the packaged copy. So an operator edits a route without a rebuild. A directory named
 * explicitly that does not exist is a configuration mistake, not a reason to run other routes.
 * The source's name says where the routes came from ({@link RoutesOrigin} logs it).
 */
public class RoutesConfigSourceFactory implements ConfigSourceFactory {

    static final String PROPERTY = "pgforce.routes.dir";
    static final String PATTERN = "camel.main.routes-include-pattern";
    static final String PACKAGED = "classpath:routes/*.yaml";
    private static final Path DEFAULT_DIR = Path.of("routes");

    /** Above application.properties (250), below environment variables (300). */
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (ExecutionMode.current() == ExecutionMode.UNSET) {
            return List.of(); // the build: it embeds the packaged copy (application.properties), whatever the build machine has
        }
        ConfigValue configured = context.getValue(PROPERTY);
        String pattern;
        String origin;
        if (configured != null && configured.getValue() != null && !configured.getValue().isBlank()) {
            Path dir = Path.of(configured.getValue().strip());
            if (!Files.isDirectory(dir)) {
                throw new InvalidConfigurationException("Invalid configuration: " + PROPERTY + " is " + dir.toAbsolutePath()
                        + ", which is not a directory (leave it unset to use routes/ in the working directory or the packaged routes)");
            }
            pattern = filePattern(dir);
            origin = "the directory " + PROPERTY + " names";
        } else if (Files.isDirectory(DEFAULT_DIR)) {
            pattern = filePattern(DEFAULT_DIR);
            origin = "the directory routes/ in the working directory";
        } else {
            pattern = PACKAGED;
            origin = "the packaged copy: no directory routes/ in " + Path.of("").toAbsolutePath();
        }
        return List.of(new RoutesSource(origin, pattern));
    }

    private static String filePattern(Path dir) {
        try {
            return "file:" + dir.toRealPath() + "/*.yaml";
        } catch (IOException e) {
            throw new InvalidConfigurationException("Invalid configuration: " + PROPERTY + ": cannot read " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** The include pattern, named for where it came from (its name is what the start-up line shows). */
    private static final class RoutesSource extends MapBackedConfigSource {
        RoutesSource(String origin, String pattern) {
            super(origin, Map.of(PATTERN, pattern), ORDINAL);
        }
    }
}
