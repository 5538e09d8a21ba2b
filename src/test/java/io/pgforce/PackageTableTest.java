package io.pgforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README's package table says which pgforce packages each package imports; this holds it to the
 * import lines of src/main, so the table (and the one-way drawing above it) cannot drift.
 */
class PackageTableTest {

    private static final Path SOURCES = Path.of("src/main/java/io/pgforce");
    private static final Pattern ROW = Pattern.compile("^\\| `io\\.pgforce(?:\\.(\\w+))?` \\|.*\\| ([a-z, ]+) \\|$", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.pgforce\\.([a-z]+)\\.", Pattern.MULTILINE);
    private static final String ROOT = "(entry point)";

    @Test
    void readmeListsWhatEachPackageImports() throws IOException {
        assertThat(readme()).isEqualTo(imports());
    }

    private static Map<String, Set<String>> readme() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        Matcher row = ROW.matcher(Files.readString(Path.of("README.md")));
        while (row.find()) {
            Set<String> used = new TreeSet<>();
            for (String p : row.group(2).split(",\\s*")) {
                if (!p.isBlank() && !p.equals("nothing")) {
                    used.add(p.trim());
                }
            }
            uses.put(row.group(1) == null ? ROOT : row.group(1), used);
        }
        return uses;
    }

    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(f);
                String pkg = relative.getNameCount() == 1 ? ROOT : relative.getName(0).toString();
                Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        return uses;
    }
}
