package io.pgforce.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The running mapping file of an import test: a copy of {@code source}, which an applied import
 * may overwrite (keeping {@code <file>.bak}), put back before each test.
 */
public record MappingFileCopy(Path source, Path file) {

    /** The test profile of a class that runs the application on a copy: its subclass (a public one, with no arguments) names the copy. */
    public abstract static class Profile implements QuarkusTestProfile {

        private final MappingFileCopy copy;

        protected Profile(MappingFileCopy copy) {
            this.copy = copy;
        }

        /** The copy as the mapping file, and no admin token. */
        @Override
        public Map<String, String> getConfigOverrides() {
            copy.restore();
            return Map.of("pgforce.mapping.file", copy.file().toString(), "pgforce.admin.token", "");
        }
    }

    void restore() {
        try {
            Files.createDirectories(file.getParent());
            Files.copy(source, file, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(backup());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path backup() {
        return Path.of(file + ".bak");
    }

    /** A refused import wrote nothing: the file as it was, and no backup. */
    void assertUntouched() throws IOException {
        assertThat(Files.readString(file)).isEqualTo(Files.readString(source));
        assertThat(backup()).doesNotExist();
    }
}
