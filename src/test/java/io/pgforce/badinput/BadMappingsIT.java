package io.pgforce.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.Simulators;
import io.pgforce.testing.process.OneRun;
import io.pgforce.testing.process.ScratchPostgres;
import io.pgforce.testing.process.SimulatorProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged application, as an operator runs it, with a mapping file that is wrong: it must
 * stop at once (not run on in DB_UNAVAILABLE) with one line that names the file and says where the
 * mistake is, exit status 1, and no stack trace. A mapping the org refuses is found once Camel
 * has started (its describe is asked through Camel): then the line comes last, and nothing has
 * been created in the database.
 */
class BadMappingsIT {

    private static final String VALID_CONNECTION = "connection: {schema: salesforce}\n";
    private static final Duration WITHIN = Duration.ofSeconds(60);
    /** The row's "content" for a mapping file that is a directory. */
    private static final byte[] DIRECTORY = new byte[0];

    @TempDir
    Path dir;

    static Stream<Arguments> badFiles() {
        return Stream.of(
                row("no such file", null, "file not found"),
                row("empty file", "", "the file is empty"),
                Arguments.of("a directory", DIRECTORY, ": is a directory (set pgforce.mapping.file to a YAML mapping file"),
                row("unique identifier not a field", contact("    unique_identifier: Emial__c\n", "LastName: varchar(80)"),
                        "mapping 'Contact', field 'Emial__c': the unique identifier must be one of the mapping's fields"),
                row("unknown field type", contact("", "LastName: varchr(80)"), "mapping 'Contact', field 'LastName': unsupported Postgres type 'varchr(80)'"),
                row("unknown write algorithm", "connection: {write_algorithm: fastest}\n" + mapping("LastName: varchar(80)"),
                        "'write_algorithm' must be ordered or merged, found 'fastest'"),
                row("unknown ordering", "connection: {ordering: fastest}\n" + mapping("LastName: varchar(80)"),
                        "'ordering' must be log or record, found 'fastest'"),
                row("atomic transactions not true or false", "connection: {atomic_transactions: sometimes}\n" + mapping("LastName: varchar(80)"),
                        "'atomic_transactions' must be true or false, found 'sometimes'"),
                row("write concurrency beyond an int", "connection: {write_concurrency: 4294967297}\n" + mapping("LastName: varchar(80)"),
                        "'write_concurrency' must be a whole number from 1 to 16, found '4294967297'"),
                // Postgres cannot create these: they used to pass and leave pgforce in DB_UNAVAILABLE for ever
                row("numeric beyond Postgres", contact("", "Amount__c: numeric(1000,2000)"),
                        "mapping 'Contact', field 'Amount__c': unsupported Postgres type 'numeric(1000,2000)'"),
                row("numeric of no digits", contact("", "Amount__c: numeric(0,0)"), "mapping 'Contact', field 'Amount__c': unsupported Postgres type 'numeric(0,0)'"),
                row("varchar too long", contact("", "LastName: varchar(10485761)"), "field 'LastName': unsupported Postgres type 'varchar(10485761)'"),
                row("schema pg_catalog", "connection: {schema: pg_catalog}\n" + mapping("LastName: varchar(80)"), "schema 'pg_catalog' is reserved by Postgres"),
                row("schema pg_toast", "connection: {schema: pg_toast}\n" + mapping("LastName: varchar(80)"), "schema 'pg_toast' is reserved by Postgres"),
                row("schema pg_anything", "connection: {schema: pg_sync}\n" + mapping("LastName: varchar(80)"), "schema 'pg_sync' is reserved by Postgres"),
                row("schema information_schema", "connection: {schema: information_schema}\n" + mapping("LastName: varchar(80)"),
                        "schema 'information_schema' is reserved by Postgres"),
                // pg_notify refuses a channel name over 63 bytes: every capture trigger, so every write of the application, would fail
                row("schema too long for its notify channel", "connection: {schema: " + "s".repeat(49) + "}\n" + mapping("LastName: varchar(80)"),
                        "schema '" + "s".repeat(49) + "' is longer than 48 characters"),
                row("schema with a capital", "connection: {schema: Sales}\n" + mapping("LastName: varchar(80)"), "schema 'Sales' is not a valid Postgres schema name"),
                // YAML and text mistakes: one line with where, not SnakeYAML's excerpt with a caret
                row("YAML indentation", "connection:\n  schema: salesforce\n mappings:\n  - object: Contact\n",
                        ": cannot parse at line 3, column 2: expected <block end>, but found '<block mapping start>'"),
                row("YAML tab", "mappings:\n  - object: Contact\n    fields:\n\tLastName: text\n", ": cannot parse at line 4, column 1: found character '\\t(TAB)'"),
                row("YAML unclosed list", "mappings: [object: Contact\n", ": cannot parse at line 2, column 1: expected ',' or ']'"),
                Arguments.of("UTF-16 file", ("\uFEFF" + VALID_CONNECTION + mapping("LastName: varchar(80)")).getBytes(StandardCharsets.UTF_16LE),
                        ": the file is not UTF-8 text (UTF-16?)"),
                Arguments.of("binary file", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13}, ": the file is not UTF-8 text (byte 1 is not UTF-8)"),
                row("two YAML documents", VALID_CONNECTION + mapping("LastName: varchar(80)") + "---\n" + mapping("Email: varchar(80)"),
                        ": more follows the document at line 7, column 1 (a second YAML document?)"),
                row("a document that is a list", "- object: Contact\n", ": expected a mapping document (an object with 'mappings'), found array"),
                // a key twice: refused, whichever of the two was meant
                row("field twice", contact("", "LastName: varchar(80)\n      LastName: text"), ": key 'LastName' appears twice (the second at line 6"),
                row("schema twice", "connection:\n  schema: salesforce\n  schema: crm\n" + mapping("LastName: varchar(80)"),
                        ": key 'schema' appears twice (the second at line 3"),
                // a YAML field states its type
                row("field without type", contact("", "LastName:"), "mapping 'Contact', field 'LastName': no Postgres type given"),
                row("field with an empty type", contact("", "LastName: {}"), "mapping 'Contact', field 'LastName': no Postgres type given"));
    }

    // each row is a process of its own in a directory of its own: two start at once (failsafe's parallelism)
    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadMappingFileStopsStartUpWithOneLine(String name, byte[] content, String expected) throws Exception {
        Path file = dir.resolve(content == null ? "no-such-mapping.yaml" : "mapping.yaml");
        if (content == DIRECTORY) {
            Files.createDirectory(file);
        } else if (content != null) {
            Files.write(file, content);
        }
        // no database it could reach: the mistake must be found before anything is connected to
        OneRun run = OneRun.of(dir, Map.of("pgforce.mapping.file", file.toString(),
                "pgforce.db.url", "jdbc:postgresql://127.0.0.1:1/none", "quarkus.http.port", "0"), WITHIN);

        assertOneLine(run, file, expected);
    }

    // --- the describe check: a mapping the org cannot take stops start-up before the schema is installed

    private static ScratchPostgres pg;
    private static SimulatorProcess org;
    private static int databases;

    @BeforeAll
    static void databaseAndOrg() {
        pg = ScratchPostgres.shared();
        org = SimulatorProcess.start(Path.of("target/bad-mappings-simulator.log"));
    }

    @AfterAll
    static void stopOrg() {
        if (org != null) {
            org.close();
        }
    }

    static Stream<Arguments> mappingsTheOrgRefuses() {
        return Stream.of(
                Arguments.of("field the org does not have", "fields: {LastName: varchar(80), Emial__c: varchar(80)}",
                        "mapping 'Contact', field 'Emial__c': the org's Contact has no field named 'Emial__c'"),
                Arguments.of("relationship the org does not have", "fields: {LastName: varchar(80)}\n    relationships: [{name: Employer__r, external_id: Ext__c}]",
                        "mapping 'Contact', field 'employer__r__ext__c': the org's Contact has no relationship named 'Employer__r'"),
                Arguments.of("object the org does not have", "fields: {LastName: varchar(80)}", "the org has no object named 'Contct'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappingsTheOrgRefuses")
    void aMappingTheOrgRefusesStopsStartUpAndCreatesNothing(String name, String mapping, String expected) throws Exception {
        String object = expected.contains("'Contct'") ? "Contct" : "Contact";
        Path file = Files.writeString(dir.resolve("mapping.yaml"), "connection: {schema: refused}\nmappings:\n  - object: " + object + "\n    " + mapping + "\n");
        String url = pg.newDatabase("bad_mappings_" + ProcessHandle.current().pid() + "_" + (++databases));
        OneRun run = OneRun.of(dir, withOrgAndDatabase(file, url), WITHIN);

        assertTheLastLineOnly(run, "Invalid mapping configuration in " + file, expected);
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = 'refused'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("schemas named 'refused' left behind").isZero();
        }
    }

    // --- a valid mapping the database cannot lay out: one line at start-up, not DB_UNAVAILABLE for good

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            sfids a unique index refuses | CREATE TABLE taken.contact (id serial PRIMARY KEY, sfid varchar(18), lastname varchar(80)); INSERT INTO taken.contact (sfid, lastname) VALUES ('003000000000001AAA', 'a'), ('003000000000001AAA', 'b') | SQLSTATE 23505
            a view in the table's place  | CREATE VIEW taken.contact AS SELECT 1 AS id, NULL::varchar(18) AS sfid                                                                                                                                | SQLSTATE 42
            """)
    void aMappingTheDatabaseRefusesStopsStartUpWithOneLine(String name, String setup, String expected) throws Exception {
        Path file = Files.writeString(dir.resolve("mapping.yaml"), "connection: {schema: taken}\nmappings:\n  - object: Contact\n    fields: {LastName: varchar(80)}\n");
        String url = pg.newDatabase("bad_mappings_" + ProcessHandle.current().pid() + "_" + (++databases));
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password())) {
            c.createStatement().execute("CREATE SCHEMA taken; " + setup);
        }
        OneRun run = OneRun.of(dir, withOrgAndDatabase(file, url), WITHIN);

        assertTheLastLineOnly(run, "Cannot install schema 'taken': the database refuses it (" + expected, "Change the object it names, or the mapping");
    }

    /** The settings of a start with this mapping file, the simulated org and this scratch database. */
    private static Map<String, String> withOrgAndDatabase(Path file, String url) {
        Map<String, String> properties = new HashMap<>(Simulators.loginProperties(org.loginUrl(), org.credentials()));
        properties.putAll(Map.of("pgforce.mapping.file", file.toString(), "pgforce.db.url", url, "pgforce.db.username", pg.user(),
                "pgforce.db.password", pg.password(), "quarkus.http.port", "0"));
        return properties;
    }

    /** Camel has logged its start by the time the org and the database are asked: the mistake is still one line, the last. */
    private static void assertTheLastLineOnly(OneRun run, String start, String expected) {
        assertThat(run.exitCode()).as("exit status; output:%n%s", run.output()).isEqualTo(1);
        List<String> lines = run.lines();
        assertThat(lines.get(lines.size() - 1)).startsWith(start).contains(expected);
        assertThat(lines).filteredOn(l -> l.startsWith(start)).hasSize(1);
        assertThat(lines).filteredOn(l -> l.contains(" WARN ") || l.contains(" ERROR ")).isEmpty();
        assertThat(run.output()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void assertOneLine(OneRun run, Path file, String expected) {
        assertThat(run.exitCode()).as("exit status; output:%n%s", run.output()).isEqualTo(1);
        List<String> lines = run.lines();
        assertThat(lines).as("output").hasSize(1);
        assertThat(lines.get(0)).startsWith("Invalid mapping configuration in " + file).contains(expected);
        assertThat(run.output()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static Arguments row(String name, String yaml, String expected) {
        return Arguments.of(name, yaml == null ? null : yaml.getBytes(StandardCharsets.UTF_8), expected);
    }

    /** A Contact mapping with these fields (one per line, the first without indentation) and extra mapping keys. */
    private static String contact(String keys, String fields) {
        return VALID_CONNECTION + "mappings:\n  - object: Contact\n" + keys + "    fields:\n      " + fields + "\n";
    }

    private static String mapping(String fields) {
        return "mappings:\n  - object: Contact\n    fields:\n      " + fields + "\n";
    }
}
