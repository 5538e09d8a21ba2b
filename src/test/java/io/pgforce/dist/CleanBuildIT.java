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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh build of the application, as README's commands make it (through the Maven wrapper),
 * prints no warning a user is asked to act on. The build is the packaging of a copy of the sources
 * (no tests, no distribution, no image: their output is the tests' own), where Quarkus' build prints
 * its warnings. One is known and left (docs/testing.md, "What a build prints"): Quarkus' JAXB support
 * walking Camel's XML model into classes no Jandex index holds; it is let through only while every
 * class it names was reached from that model, so that a warning of pgforce's own making still fails.
 */
class CleanBuildIT {

    /** What the application's build reads: the pom, its sources and resources, the Maven set-up. */
    private static final List<String> BUILD_INPUTS = List.of("pom.xml", "application.properties", "routes", "src/main", ".mvn", "mvnw");

    /** How each class of the known warning was reached: from a JAXB-annotated class of Camel's XML model. */
    private static final Pattern FROM_CAMEL_XML_MODEL =
            Pattern.compile("JaxbProcessor annotated with @jakarta\\.xml\\.bind\\.annotation\\.Xml\\w+ > org\\.apache\\.camel\\.model\\..*");
    private static final Pattern UNINDEXED = Pattern.compile("\t- (\\S+) \\(sources?: (.*)\\)");
    private static final String CAMEL_XML_MODEL_WARNING = "[WARNING] [io.quarkus.deployment.steps.ReflectiveHierarchyStep] Unable to properly register";

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
        assertThat(output.lines().filter(l -> l.startsWith("[WARNING]") || l.contains(" WARN "))
                .filter(l -> !l.startsWith(CAMEL_XML_MODEL_WARNING)))
                .as("warnings in the build's output:\n%s", output).isEmpty();
        output.lines().map(UNINDEXED::matcher).filter(Matcher::matches).forEach(m -> {
            for (String source : m.group(2).split(", ")) {
                assertThat(source).as("how %s was reached", m.group(1)).matches(FROM_CAMEL_XML_MODEL);
            }
        });
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
