package io.pgforce.triggerlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgforce.config.SqlTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The trigger log's named SQL: every statement in its files is asked for by name in this package
 * (none is left over), each is filled for a schema with no placeholder left, the beans fill theirs
 * when they are made, and a name that is not there fails with one line naming the file.
 */
class TriggerLogSqlTest {

    private static final List<String> FILES = List.of("trigger-log.sql", "trigger-log-claims.sql", "trigger-log-settle.sql",
            "trigger-log-operator.sql", "trigger-log-housekeeping.sql");
    /** The values a statement gets from its bean besides the schema's (see each file's header). */
    private static final Map<String, String> OWN = Map.ofEntries(Map.entry("held", ""), Map.entry("neverInserted", "'n'"),
            Map.entry("heldNote", "'h'"), Map.entry("prefix", "'p'"), Map.entry("suffix", "'s'"), Map.entry("from", "x"),
            Map.entry("tables", ""), Map.entry("state", "'IGNORED'"), Map.entry("n", "0"), Map.entry("table", "t"), Map.entry("name", "'t'"),
            Map.entry("alias", "v"), Map.entry("rowFree", "true"), Map.entry("later", "true"), Map.entry("skippedRows", "SELECT 1"),
            Map.entry("skippedKeys", "NULL"), Map.entry("laterInLog", "true"), Map.entry("laterInArchive", "true"));

    private final FencedLog log = new FencedLog(null, "salesforce", "host-a");

    @Test
    void everyStatementIsAskedForByNameAndFilledWhole() throws IOException {
        String sources;
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/pgforce/triggerlog"))) {
            sources = files.map(TriggerLogSqlTest::read).collect(Collectors.joining("\n"));
        }
        for (String file : FILES) {
            SqlTemplates sql = SqlTemplates.load("schema/" + file);
            assertThat(sql.names()).as(file).isNotEmpty();
            for (String name : sql.names()) {
                assertThat(sources).as(file + ": statement " + name + " asked for by name").contains("\"" + name + "\"");
                assertThat(log.sql(sql, name, OWN)).as(file + ": " + name).doesNotContain("${");
            }
        }
    }

    @Test
    void theBeansFillTheirStatementsWhenMade() {
        assertThat(new Claims(log, true, Duration.ofSeconds(30))).isNotNull();
        assertThat(new Claims(log, false, null)).isNotNull();
        assertThat(new Settler(log)).isNotNull();
        assertThat(new OperatorActions(log)).isNotNull();
        assertThat(new Housekeeping(log)).isNotNull();
    }

    @Test
    void aMissingNameFailsWithOneLineNamingTheFile() {
        assertThatThrownBy(() -> log.sql(SqlTemplates.load("schema/trigger-log-claims.sql"), "no-such-statement"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema/trigger-log-claims.sql has no statement named no-such-statement");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
