package io.pgforce.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.config.MappingSet;
import io.pgforce.testing.TestMappings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DDL pgforce generates, to the byte, for a representative mapping set. Functions and triggers
 * are stamped with a hash of their DDL: a change here rewrites them on every installation, so it
 * must be meant. {@code schema/generated-ddl.txt} was written by the code of commit b3433ab, before
 * the SQL moved into resources, and changed since on purpose only where the status function keeps
 * a row's sfid (the application's change of it is not kept), where the read side's state table
 * came, and where its columns for the operations surface and a Bulk load were added; a change that is meant writes the new output to {@code target/generated-ddl.txt}, to be
 * reviewed and copied over.
 */
class GeneratedDdlTest {

    private static final String EXPECTED = "/schema/generated-ddl.txt";

    /** read-only; read-write with a reserved word for a name; with a unique identifier and a relationship, truncate: delete. */
    private static final String MAPPINGS = """
            connection: {schema: sync}
            mappings:
              - {object: Product2, access: read_only, fields: {Name: varchar(255)}}
              - {object: Case, fields: {Subject: varchar(255)}}
              - object: Account
                unique_identifier: External_Id__c
                fields: {Name: varchar(255), NumberOfEmployees: double precision, External_Id__c: varchar(64)}
              - object: Contact
                truncate: delete
                unique_identifier: External_Id__c
                relationships: [{name: Account, object: Account, external_id: External_Id__c}]
                fields: {LastName: varchar(80), External_Id__c: varchar(255)}
            """;

    @TempDir
    Path dir;

    @Test
    void isWhatItWasBeforeTheSqlMovedIntoResources() throws IOException {
        MappingSet set = TestMappings.fromYaml(dir, MAPPINGS);
        SchemaDdl ddl = new SchemaDdl(set.connection().schema(), Set.of(), false, false);
        List<Requirement> needed = new ArrayList<>(ddl.shared());
        set.mappings().forEach(m -> needed.addAll(ddl.mappingTable(m)));
        needed.addAll(ddl.noCapture("unmapped"));
        needed.addAll(ddl.logColumns());
        String actual = render(needed);

        String expected;
        try (InputStream in = GeneratedDdlTest.class.getResourceAsStream(EXPECTED)) {
            assertThat(in).as(EXPECTED + " on the classpath").isNotNull();
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!actual.equals(expected)) {
            Path written = Path.of("target/generated-ddl.txt");
            Files.createDirectories(written.getParent());
            Files.writeString(written, actual);
        }
        assertThat(actual).as("the generated DDL (written to target/generated-ddl.txt)").isEqualTo(expected);
    }

    /** Each requirement's statements, each statement ended by a line with a lone semicolon. */
    private static String render(List<Requirement> needed) {
        StringBuilder out = new StringBuilder();
        for (Requirement r : needed) {
            out.append("-- ").append(r.getClass().getSimpleName()).append('\n');
            for (String statement : r.ddl()) {
                out.append(statement).append("\n;\n");
            }
        }
        return out.toString();
    }
}
