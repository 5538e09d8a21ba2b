package io.pgforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A native executable holds only the resources and reflection it was told about, and this machine
 * cannot build one (no GraalVM or Mandrel). These checks keep the native profile honest: every
 * resource pgforce reads at run time is in quarkus.native.resources.includes, and every class
 * Jackson binds on pgforce's behalf is registered for reflection.
 */
class NativeRegistrationTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Path RESOURCES = Path.of("src/main/resources");
    private static final Pattern DTO_IMPORT = Pattern.compile("^import (org\\.apache\\.camel\\.component\\.salesforce\\.api\\.dto\\.[\\w.]+);", Pattern.MULTILINE);
    private static final Pattern RESOURCE_LITERAL = Pattern.compile("getResource(?:AsStream)?\\(\"/?([^\"]+)\"\\)|RESOURCE = \"/?([^\"]+)\"");
    private static final Pattern WSDL_URL = Pattern.compile("wsdlURL: (\\S+)");
    /** camel-salesforce reads these on every login and every error, whatever pgforce asks it. */
    private static final List<String> ALWAYS_BOUND = List.of(
            "org.apache.camel.component.salesforce.internal.dto.LoginToken",
            "org.apache.camel.component.salesforce.internal.dto.LoginError",
            "org.apache.camel.component.salesforce.internal.dto.RestErrors",
            "org.apache.camel.component.salesforce.api.dto.RestError");

    @Test
    void everyResourceReadAtRunTimeIsInTheNativeImage() throws IOException {
        List<PathMatcher> includes = new ArrayList<>();
        String property = applicationProperties().getProperty("quarkus.native.resources.includes", "");
        for (String glob : property.split(",")) {
            if (!glob.isBlank()) {
                includes.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.strip()));
            }
        }
        Set<String> needed = new TreeSet<>();
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            files.filter(Files::isRegularFile).map(f -> RESOURCES.relativize(f).toString())
                    .filter(r -> !r.startsWith("META-INF/")) // service files: Quarkus registers them itself
                    .forEach(needed::add);
        }
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path r : routes.toList()) {
                needed.add("routes/" + r.getFileName());
                collect(WSDL_URL.matcher(Files.readString(r)), needed);
            }
        }
        try (Stream<Path> sources = Files.walk(MAIN)) {
            for (Path s : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                collect(RESOURCE_LITERAL.matcher(Files.readString(s)), needed);
            }
        }
        assertThat(needed).as("resources found").contains("wsdl/partner.wsdl", "simulator/default-schema.yaml", "routes/errors.yaml");
        for (String resource : needed) {
            assertThat(includes.stream().anyMatch(m -> m.matches(Path.of(resource))))
                    .as("%s is read at run time but not in quarkus.native.resources.includes (%s)", resource, property).isTrue();
        }
    }

    @Test
    void everyClassJacksonBindsIsRegisteredForReflection() throws Exception {
        Set<String> bound = new TreeSet<>(ALWAYS_BOUND);
        try (Stream<Path> sources = Files.walk(MAIN)) {
            for (Path s : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = DTO_IMPORT.matcher(Files.readString(s));
                while (m.find()) {
                    bound.add(m.group(1));
                }
            }
        }
        RegisterForReflection registration = Class.forName("io.pgforce.salesforce.SalesforceJsonTypes").getAnnotation(RegisterForReflection.class);
        assertThat(registration).as("@RegisterForReflection on io.pgforce.salesforce.SalesforceJsonTypes").isNotNull();
        assertThat(registration.registerFullHierarchy()).as("their fields' types too").isTrue();
        Set<String> registered = new TreeSet<>(List.of(registration.classNames()));
        for (Class<?> c : registration.targets()) {
            registered.add(c.getName());
        }
        assertThat(registered).as("classes registered for reflection").containsAll(bound);
        for (String name : registered) {
            Class.forName(name); // a misspelt name would register nothing
        }
    }

    @Test
    void everyCliCommandClassIsRegisteredForReflection() throws Exception {
        Class<?> cli = Class.forName("io.pgforce.admin.cli.PgforceCli");
        Set<Class<?>> commands = new java.util.HashSet<>(List.of(cli));
        for (Class<?> nested : cli.getDeclaredClasses()) {
            if (java.util.Arrays.stream(nested.getDeclaredFields()).anyMatch(f -> f.getAnnotations().length > 0)) {
                commands.add(nested);
            }
        }
        RegisterForReflection registration = cli.getAnnotation(RegisterForReflection.class);
        assertThat(registration).as("@RegisterForReflection on the CLI (picocli binds its options by reflection)").isNotNull();
        assertThat(List.of(registration.targets())).containsAll(commands);
    }

    private static void collect(Matcher m, Set<String> into) {
        while (m.find()) {
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    into.add(m.group(g));
                }
            }
        }
    }

    private static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(r);
        }
        return p;
    }
}
