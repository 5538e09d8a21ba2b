package io.pgforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.process.OneRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged application, as a new user runs it, with a mapping file that is wrong: it must
 * stop at once with one line that says where the mistake is, and no stack trace.
 */
class BadConfigurationIT {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            unique identifier not a field | unique_identifier: Emial__c      | LastName: varchar(80)   | mapping 'Contact', field 'Emial__c'
            unknown field type            | unique_identifier: LastName      | LastName: varchr(80)    | mapping 'Contact', field 'LastName'
            unknown write algorithm       | write_algorithm: fastest         | LastName: varchar(80)   | 'write_algorithm' must be ordered or merged
            """)
    void aBadMappingFileStopsStartUpWithOneLine(String name, String setting, String field, String expected) throws Exception {
        boolean connectionSetting = setting.startsWith("write_algorithm");
        Path file = dir.resolve("mapping.yaml");
        Files.writeString(file, String.join("\n",
                "connection:",
                "  schema: salesforce",
                connectionSetting ? "  " + setting : "",
                "mappings:",
                "  - object: Contact",
                connectionSetting ? "" : "    " + setting,
                "    fields:",
                "      " + field,
                ""));

        assertOneLine(run(file), file, expected);
    }

    @Test
    void aMissingMappingFileStopsStartUpWithOneLine() throws Exception {
        Path file = dir.resolve("no-such-mapping.yaml");

        assertOneLine(run(file), file, "file not found");
    }

    private static void assertOneLine(OneRun run, Path file, String expected) {
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isNotZero();
        List<String> lines = run.lines();
        assertThat(lines).as("output").hasSize(1);
        assertThat(lines.get(0)).startsWith("Invalid mapping configuration in " + file).contains(expected)
                .doesNotContain("Exception").doesNotContain("at io.");
    }

    /** Runs the packaged application with this mapping file and no database it could reach. */
    private OneRun run(Path mappingFile) throws IOException, InterruptedException {
        return OneRun.of(Path.of("").toAbsolutePath(), Map.of("pgforce.mapping.file", mappingFile.toString(),
                "pgforce.db.url", "jdbc:postgresql://127.0.0.1:1/none"), Duration.ofSeconds(20));
    }
}
