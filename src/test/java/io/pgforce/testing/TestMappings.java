package io.pgforce.testing;

import io.pgforce.config.MappingLoader;
import io.pgforce.config.MappingSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Mapping files for tests that exercise SQL without the Camel application. */
public final class TestMappings {

    private TestMappings() {
    }

    public static MappingSet fromYaml(Path dir, String yaml) {
        try {
            Path file = Files.createTempFile(dir, "mapping", ".yaml");
            Files.writeString(file, yaml);
            return MappingLoader.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
