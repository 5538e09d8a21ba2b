package io.pgforce.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh build of the application, as README's commands make it (through the Maven wrapper),
 * prints no warning. The build is the packaging of a copy of the sources (no tests, no distribution,
 * no image: their output is the tests' own), where Quarkus' build prints its warnings.
 */
class CleanBuildIT {

    /** What the application's build reads: the poms, the sources and resources, the Maven set-up. */
    private static final List<String> BUILD_INPUTS = List.of("pom.xml", "build", "application.properties", "routes", "src/main", ".mvn", "mvnw");

    @Test
    void packagingPrintsNoWarning(@TempDir Path copy) throws Exception {
        for (String input : BUILD_INPUTS) {
            copyTree(Path.of(input), copy.resolve(input));
        }
        Path log = copy.resolve("build.log");
        Process build = new ProcessBuilder("./mvnw", "-B", "-o", "package",
                "-Dmaven.test.skip=true", "-Dassembly.skipAssembly=true", "-Dpgforce.image.skip=true")
                .directory(copy.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        build.getOutputStream().close();
        assertThat(build.waitFor(3, TimeUnit.MINUTES)).as("the build ends").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(build.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(l -> l.startsWith("[WARNING]") || l.contains(" WARN ")))
                .as("warnings in the build's output:\n%s", output).isEmpty();
    }

    private static void copyTree(Path from, Path to) {
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
