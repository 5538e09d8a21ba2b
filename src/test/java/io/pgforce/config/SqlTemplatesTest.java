package io.pgforce.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The layout of the schema's SQL files, and the one message a mistake in one gives: the file and the statement. */
class SqlTemplatesTest {

    private static final String FILE = """
            -- what the file holds; ${placeholders} in comments are not filled

            -- a comment before a statement
            -- name: greeting
            SELECT ${greeting}
              -- kept: a comment in a statement is part of it
              FROM ${table}

            -- name: piece
            ${value}
            """;

    private final SqlTemplates templates = SqlTemplates.parse("schema/test.sql", FILE);

    @Test
    void aStatementIsItsLinesAsWrittenWithItsPlaceholdersFilledOnce() {
        assertThat(templates.names()).containsExactly("greeting", "piece");
        assertThat(templates.fill("greeting", Map.of("greeting", "'${table}'", "table", "\"t\"", "unused", "x")))
                .isEqualTo("SELECT '${table}'\n  -- kept: a comment in a statement is part of it\n  FROM \"t\"");
        assertThat(templates.fill("piece", Map.of("value", "$1 \\ $fn$"))).isEqualTo("$1 \\ $fn$");
    }

    @Test
    void aMissingValueNamesTheFileTheStatementAndThePlaceholder() {
        assertThatThrownBy(() -> templates.fill("greeting", Map.of("greeting", "1")))
                .hasMessage("schema/test.sql, statement greeting: no value for ${table}");
    }

    @Test
    void anUnknownStatementNamesTheFile() {
        assertThatThrownBy(() -> templates.fill("farewell", Map.of()))
                .hasMessage("schema/test.sql has no statement named farewell");
    }

    @Test
    void aBrokenLayoutNamesTheFileTheLineAndTheStatement() {
        assertThat(List.of(
                layoutError("-- name: a\nSELECT 1\n-- name: b\nSELECT 2\n"),
                layoutError("-- name: a\n\nSELECT 1\n"),
                layoutError("-- name: a\nSELECT 1\n\nSELECT 2\n"),
                layoutError("-- name: a\nSELECT 1\n\n-- name: a\nSELECT 2\n")))
                .containsExactly(
                        "schema/test.sql line 3: a blank line must end statement a before b starts",
                        "schema/test.sql line 2: statement a is empty",
                        "schema/test.sql line 4: SQL outside a statement (after statement a): a '-- name:' line starts one, a blank line ends it",
                        "schema/test.sql line 4: a second statement named a");
    }

    /** The real files load with the DDL they generate: GeneratedDdlTest. */
    @Test
    void aFileNotOnTheClasspathIsNamed() {
        assertThatThrownBy(() -> SqlTemplates.load("schema/missing.sql")).hasMessage("schema/missing.sql is not on the classpath");
    }

    private static String layoutError(String text) {
        try {
            SqlTemplates.parse("schema/test.sql", text);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for:\n" + text);
    }
}
