package io.pgforce.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgforce.plan.Ordering;
import io.pgforce.plan.WriteAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MappingLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsTheYamlFormat() throws IOException {
        MappingSet set = MappingLoader.load(write("m.yaml", """
                connection:
                  schema: sync
                  write_algorithm: merged
                  api_version: 58.0
                  bulk_writes: false
                  write_concurrency: 8
                  ordering: record
                  assignment_rules: {Lead: default, Case: 01Q5e000000AbCdEAK}
                mappings:
                  - object: Account
                    unique_identifier: External_Id__c
                    fields:
                      Id: varchar(18)
                      Name: varchar(255)
                      NumberOfEmployees: {type: double precision}
                      External_Id__c: character varying(64)
                  - object: Contact
                    table: person
                    access: read_only
                    fields: {LastName: text}
                    relationships:
                      - {name: Account, external_id: External_Id__c}
                      - {name: Invoice__r, external_id: Number__c, type: varchar(20)}
                """));

        assertThat(set.connection()).isEqualTo(new ConnectionSettings("sync", WriteAlgorithm.MERGED, "58.0", false,
                java.util.Map.of("Lead", "default", "Case", "01Q5e000000AbCdEAK"), 8, Ordering.RECORD, false));
        Mapping account = set.byObject("Account").orElseThrow();
        assertThat(account.table()).isEqualTo("account");
        assertThat(account.readWrite()).isTrue();
        assertThat(account.fields()).extracting(MappingField::name).containsExactly("Name", "NumberOfEmployees", "External_Id__c");
        assertThat(account.fields()).extracting(f -> f.type().sql()).containsExactly("varchar(255)", "double precision", "varchar(64)");
        assertThat(account.uniqueIdentifierColumn()).isEqualTo("external_id__c");

        Mapping contact = set.byTable("person").orElseThrow();
        assertThat(contact.access()).isEqualTo(Access.READ_ONLY);
        assertThat(contact.relationships()).containsExactly(
                new Relationship("Account", "Account", "External_Id__c", "account__r__external_id__c", PgType.VARCHAR_255),
                new Relationship("Invoice__r", "Invoice__c", "Number__c", "invoice__r__number__c", new PgType("varchar(20)")));
        assertThat(contact.capturedColumns()).containsExactly("lastname", "account__r__external_id__c", "invoice__r__number__c");
    }

    @Test
    void defaultsMatchTheOriginal() throws IOException {
        MappingSet set = MappingLoader.load(write("m.yml", "mappings: [{object: Lead, fields: {LastName: varchar(80)}}]"));
        assertThat(set.connection()).isEqualTo(new ConnectionSettings("salesforce", WriteAlgorithm.ORDERED, "62.0", true, java.util.Map.of(), 1, Ordering.LOG, false));
        assertThat(set.mappings().get(0).access()).isEqualTo(Access.READ_WRITE);
    }

    @Test
    void importsTheOriginalsMappingExportAsIs() {
        MappingSet set = MappingLoader.load(Path.of("src/test/resources/mappings/heroku-connect-export.json"));

        assertThat(set.connection()).isEqualTo(new ConnectionSettings("salesforce", WriteAlgorithm.ORDERED, "62.0", true, java.util.Map.of(), 1, Ordering.LOG, false));
        assertThat(set.mappings()).extracting(Mapping::object).containsExactly("Account", "Contact", "Product2");
        Mapping account = set.byObject("Account").orElseThrow();
        assertThat(account.uniqueIdentifier()).isEqualTo("External_Id__c");
        assertThat(account.fields()).extracting(MappingField::name).containsExactly("Name", "Description", "NumberOfEmployees", "External_Id__c");
        Mapping contact = set.byObject("Contact").orElseThrow();
        assertThat(contact.field("AccountId").orElseThrow().type()).isEqualTo(PgType.SFID);
        assertThat(contact.relationships()).containsExactly(
                new Relationship("Account", "Account", "External_Id__c", "account__r__external_id__c", PgType.VARCHAR_255));
        assertThat(set.byObject("Product2").orElseThrow().access()).isEqualTo(Access.READ_ONLY);
    }

    @Test
    void exportFeaturesSelectMergedWritesAndDisableBulk() throws IOException {
        MappingSet set = MappingLoader.load(write("export.json", """
                {"version": 1,
                 "connection": {"name": "app:DATABASE_URL:crm", "api_version": "38.0",
                                "features": {"poll_db_no_merge": false, "disable_bulk_writes": true}},
                 "mappings": [{"object_name": "Invoice__c",
                               "config": {"access": "read_write", "fields": {"Id": {}, "Amount__c": {}, "Customer__r__Ext__c": {}, "IsPaid__c": {}}}}]}
                """));
        assertThat(set.connection()).isEqualTo(new ConnectionSettings("crm", WriteAlgorithm.MERGED, "38.0", false, java.util.Map.of(), 1, Ordering.LOG, false));
        Mapping invoice = set.mappings().get(0);
        assertThat(invoice.table()).isEqualTo("invoice__c");
        assertThat(invoice.relationships()).containsExactly(
                new Relationship("Customer__r", "Customer__c", "Ext__c", "customer__r__ext__c", PgType.VARCHAR_255));
        assertThat(invoice.field("IsPaid__c").orElseThrow().type()).isEqualTo(PgType.BOOLEAN);
    }

    @Test
    void aFieldsDirectionIsReadBesideItsTypeAndEveryOtherFieldGoesBothWays() throws IOException {
        MappingSet set = MappingLoader.load(write("direction.yaml", """
                mappings:
                  - object: Account
                    unique_identifier: External_Id__c
                    fields:
                      Name: varchar(255)
                      Rating__c: {type: varchar(40), direction: read_only}
                      Notes__c: {type: text, direction: write_only}
                      Phone: {type: varchar(40), direction: read_write}
                      External_Id__c: varchar(255)
                    relationships:
                      - {name: Parent, object: Account, external_id: External_Id__c}
                """));

        Mapping account = set.mappings().get(0);
        assertThat(account.fields()).extracting(MappingField::name, MappingField::direction).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Name", FieldDirection.READ_WRITE), org.assertj.core.groups.Tuple.tuple("Rating__c", FieldDirection.READ_ONLY),
                org.assertj.core.groups.Tuple.tuple("Notes__c", FieldDirection.WRITE_ONLY), org.assertj.core.groups.Tuple.tuple("Phone", FieldDirection.READ_WRITE),
                org.assertj.core.groups.Tuple.tuple("External_Id__c", FieldDirection.READ_WRITE));
        assertThat(account.field("Rating__c").orElseThrow().type().sql()).isEqualTo("varchar(40)");
        // a read_only field is never sent, so its changes are not captured; a write_only one is never read
        assertThat(account.capturedColumns()).containsExactly("name", "notes__c", "phone", "external_id__c", "parent__r__external_id__c");
        assertThat(account.capturedTypes()).doesNotContainKey("rating__c");
        assertThat(account.sentFields()).extracting(MappingField::name).containsExactly("Name", "Notes__c", "Phone", "External_Id__c");
        assertThat(account.readFields()).extracting(MappingField::name).containsExactly("Name", "Rating__c", "Phone", "External_Id__c");
        // the YAML written from it reads back the same
        assertThat(MappingLoader.load(write("again.yaml", MappingWriter.yaml(set))).mappings()).isEqualTo(set.mappings());
    }

    @Test
    void atomicTransactionsAreWrittenBackAsRead() throws IOException {
        MappingSet set = MappingLoader.load(write("atomic.yaml", "connection: {atomic_transactions: true}\nmappings: [{object: Lead, fields: {LastName: varchar(80)}}]"));
        assertThat(set.connection().atomicTransactions()).isTrue();
        assertThat(MappingLoader.load(write("again.yaml", MappingWriter.yaml(set))).connection()).isEqualTo(set.connection());
    }

    @Test
    void theOrderingIsWrittenBackAsRead() throws IOException {
        MappingSet set = MappingLoader.load(write("ordering.yaml", "connection: {ordering: record}\nmappings: [{object: Lead, fields: {LastName: varchar(80)}}]"));
        assertThat(set.connection().ordering()).isEqualTo(Ordering.RECORD);
        assertThat(MappingLoader.load(write("again.yaml", MappingWriter.yaml(set))).connection()).isEqualTo(set.connection());
    }

    @Test
    void theOriginalsExportKnowsNoDirection() {
        MappingSet set = MappingLoader.load(Path.of("src/test/resources/mappings/heroku-connect-export.json"));
        assertThat(set.mappings()).flatExtracting(Mapping::fields).extracting(MappingField::direction).containsOnly(FieldDirection.READ_WRITE);
    }

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                Arguments.of("not parseable", "mappings: [object: Account", "cannot parse at line"),
                Arguments.of("not a document", "- just a list", "expected a mapping document"),
                Arguments.of("unknown top-level key", "mapings: []", "unknown key 'mapings'"),
                Arguments.of("no mappings", "connection: {schema: x}\nmappings: []", "'mappings' must be a non-empty list"),
                Arguments.of("unknown connection key", "connection: {algorithm: merged}\nmappings: [{object: A, fields: {B: text}}]", "unknown key 'algorithm' in 'connection'"),
                Arguments.of("bad algorithm", "connection: {write_algorithm: fastest}\nmappings: [{object: A, fields: {B: text}}]", "'write_algorithm' must be ordered or merged, found 'fastest'"),
                Arguments.of("bad atomic transactions", "connection: {atomic_transactions: yes please}\nmappings: [{object: A, fields: {B: text}}]",
                        "'atomic_transactions' must be true or false, found 'yes please'"),
                Arguments.of("atomic transactions merged", "connection: {atomic_transactions: true, write_algorithm: merged}\nmappings: [{object: A, fields: {B: text}}]",
                        "'atomic_transactions: true' needs 'write_algorithm: ordered'"),
                Arguments.of("bad ordering", "connection: {ordering: fastest}\nmappings: [{object: A, fields: {B: text}}]", "'ordering' must be log or record, found 'fastest'"),
                Arguments.of("bad api version", "connection: {api_version: latest}\nmappings: [{object: A, fields: {B: text}}]", "'api_version' must be a Salesforce API version"),
                Arguments.of("api version out of range", "connection: {api_version: 10.0}\nmappings: [{object: A, fields: {B: text}}]", "outside the supported range"),
                Arguments.of("write concurrency out of range", "connection: {write_concurrency: 0}\nmappings: [{object: A, fields: {B: text}}]",
                        "'write_concurrency' must be a whole number from 1 to 16, found '0'"),
                Arguments.of("write concurrency beyond an int", "connection: {write_concurrency: 4294967297}\nmappings: [{object: A, fields: {B: text}}]",
                        "'write_concurrency' must be a whole number from 1 to 16, found '4294967297'"),
                Arguments.of("write concurrency not a number", "connection: {write_concurrency: many}\nmappings: [{object: A, fields: {B: text}}]",
                        "'write_concurrency' must be a whole number from 1 to 16, found 'many'"),
                Arguments.of("bad bulk flag", "connection: {bulk_writes: maybe}\nmappings: [{object: A, fields: {B: text}}]", "'bulk_writes' must be true or false"),
                Arguments.of("schema injection", "connection: {schema: \"x; DROP TABLE y\"}\nmappings: [{object: A, fields: {B: text}}]", "schema 'x; DROP TABLE y' is not a valid Postgres schema name"),
                Arguments.of("assignment rule on Account", "connection: {assignment_rules: {Account: default}}\nmappings: [{object: A, fields: {B: text}}]", "mapping 'Account': assignment rules apply only to Lead and Case"),
                Arguments.of("bad assignment rule id", "connection: {assignment_rules: {Lead: 123}}\nmappings: [{object: A, fields: {B: text}}]", "assignment rule must be 'default' or an assignment rule Id"),
                Arguments.of("mapping without object", "mappings: [{fields: {B: text}}]", "mapping '#1': 'object' (the Salesforce object API name) is required"),
                Arguments.of("unknown mapping key", "mappings: [{object: Account, feilds: {B: text}}]", "mapping 'Account': unknown key 'feilds' in the mapping"),
                Arguments.of("bad object name", "mappings: [{object: \"Acc-ount\", fields: {B: text}}]", "mapping 'Acc-ount': not a valid Salesforce object API name"),
                Arguments.of("table injection", "mappings: [{object: Account, table: \"account; drop\", fields: {B: text}}]", "table 'account; drop' is not a valid table name"),
                Arguments.of("bad access", "mappings: [{object: Account, access: write, fields: {B: text}}]", "'access' must be read_write or read_only, found 'write'"),
                Arguments.of("no fields", "mappings: [{object: Account}]", "mapping 'Account': 'fields' must map each Salesforce field name"),
                Arguments.of("only system fields", "mappings: [{object: Account, fields: {Id: varchar(18)}}]", "a read_write mapping needs at least one field"),
                Arguments.of("field name injection", "mappings: [{object: Account, fields: {\"Name\\\"); DROP\": text}}]", "field 'Name\"); DROP': not a valid Salesforce field API name"),
                Arguments.of("type injection", "mappings: [{object: Account, fields: {Name: \"text; DROP TABLE x\"}}]", "field 'Name': unsupported Postgres type 'text; DROP TABLE x'"),
                Arguments.of("unknown type", "mappings: [{object: Account, fields: {Name: string}}]", "field 'Name': unsupported Postgres type 'string'"),
                Arguments.of("system column clash", "mappings: [{object: Account, fields: {Sfid: varchar(18)}}]", "field 'Sfid': column 'sfid' is a system column"),
                Arguments.of("duplicate column", "mappings: [{object: Account, fields: {Name: text, NAME: text}}]", "field 'NAME': column 'name' is also used by 'Name'"),
                Arguments.of("relationship in fields", "mappings: [{object: Contact, fields: {Account__r__Ext__c: text}}]", "field 'Account__r__Ext__c': relationship columns go under 'relationships'"),
                Arguments.of("relationship without external id", "mappings: [{object: Contact, fields: {LastName: text}, relationships: [{name: Account}]}]", "field 'Account': 'external_id' is required"),
                Arguments.of("relationship bad name", "mappings: [{object: Contact, fields: {LastName: text}, relationships: [{name: \"A b\", external_id: X__c}]}]", "'A b' is not a valid Salesforce API name"),
                Arguments.of("unique identifier not a field", "mappings: [{object: Account, unique_identifier: Ext__c, fields: {Name: text}}]", "field 'Ext__c': the unique identifier must be one of the mapping's fields"),
                Arguments.of("object mapped twice", "mappings: [{object: Account, fields: {Name: text}}, {object: account, table: acc2, fields: {Name: text}}]", "mapping 'account': the object is mapped twice"),
                Arguments.of("table used twice", "mappings: [{object: Account, fields: {Name: text}}, {object: Lead, table: account, fields: {Name: text}}]", "mapping 'Lead': table 'account' is already used by mapping 'Account'"),
                // what Postgres cannot create must not pass: it would fail the schema install on every cycle
                Arguments.of("numeric beyond Postgres", "mappings: [{object: Account, fields: {Amount__c: \"numeric(1000,2000)\"}}]", "field 'Amount__c': unsupported Postgres type 'numeric(1000,2000)'"),
                Arguments.of("numeric without digits", "mappings: [{object: Account, fields: {Amount__c: \"numeric(0,0)\"}}]", "field 'Amount__c': unsupported Postgres type 'numeric(0,0)'"),
                Arguments.of("numeric precision 1001", "mappings: [{object: Account, fields: {Amount__c: \"numeric(1001)\"}}]", "field 'Amount__c': unsupported Postgres type 'numeric(1001)'"),
                Arguments.of("varchar of nothing", "mappings: [{object: Account, fields: {Name: \"varchar(0)\"}}]", "field 'Name': unsupported Postgres type 'varchar(0)'"),
                Arguments.of("system schema", "connection: {schema: pg_catalog}\nmappings: [{object: A, fields: {B: text}}]", "schema 'pg_catalog' is reserved by Postgres"),
                Arguments.of("toast schema", "connection: {schema: pg_toast}\nmappings: [{object: A, fields: {B: text}}]", "schema 'pg_toast' is reserved by Postgres"),
                Arguments.of("pg_ schema", "connection: {schema: pg_sync}\nmappings: [{object: A, fields: {B: text}}]", "schema 'pg_sync' is reserved by Postgres"),
                Arguments.of("schema too long for its notify channel", "connection: {schema: " + "s".repeat(49) + "}\nmappings: [{object: A, fields: {B: text}}]",
                        "schema '" + "s".repeat(49) + "' is longer than 48 characters"),
                Arguments.of("information schema", "connection: {schema: information_schema}\nmappings: [{object: A, fields: {B: text}}]", "schema 'information_schema' is reserved by Postgres"),
                // a YAML field states its type: nothing is guessed (only an export, which has no types, is)
                Arguments.of("field without type", "mappings: [{object: Account, fields: {Name: }}]", "mapping 'Account', field 'Name': no Postgres type"),
                Arguments.of("field with empty type", "mappings: [{object: Account, fields: {Name: {}}}]", "mapping 'Account', field 'Name': no Postgres type"),
                Arguments.of("field with a list for a type", "mappings: [{object: Account, fields: {Name: [text]}}]", "mapping 'Account', field 'Name': the type must be one Postgres type, not array"),
                // a key twice is a mistake whichever of the two was meant
                Arguments.of("field twice", "mappings:\n  - object: Account\n    fields:\n      Name: text\n      Name: varchar(80)\n", "key 'Name' appears twice (the second at line 5"),
                Arguments.of("connection setting twice", "connection:\n  schema: a\n  schema: b\nmappings: [{object: A, fields: {B: text}}]", "key 'schema' appears twice (the second at line 3"),
                Arguments.of("mappings twice", "mappings: [{object: A, fields: {B: text}}]\nmappings: [{object: C, fields: {D: text}}]", "key 'mappings' appears twice (the second at line 2"),
                Arguments.of("two YAML documents", "mappings: [{object: A, fields: {B: text}}]\n---\nmappings: [{object: C, fields: {D: text}}]\n",
                        "more follows the document at line 3, column 1 (a second YAML document?)"),
                Arguments.of("export key twice", "{\"version\": 1, \"version\": 1}", "key 'version' appears twice (the second at line 1"),
                // the read side's interval: whole seconds, from a second to a day
                Arguments.of("poll interval not a duration", "mappings: [{object: Account, poll_interval: soon, fields: {Name: text}}]",
                        "mapping 'Account': 'poll_interval' must be a duration in whole seconds such as 30s or 10m from 1 second to 1 day, found 'soon'"),
                Arguments.of("poll interval below a second", "mappings: [{object: Account, poll_interval: 500ms, fields: {Name: text}}]",
                        "'poll_interval' must be a duration in whole seconds such as 30s or 10m from 1 second to 1 day, found '500ms'"),
                Arguments.of("poll interval above a day", "mappings: [{object: Account, poll_interval: 2d, fields: {Name: text}}]",
                        "found '2d'"),
                // a field's direction: only within a read_write mapping, never on what both sides match records by
                Arguments.of("unknown direction", "mappings: [{object: Account, fields: {Name: {type: text, direction: read}}}]",
                        "mapping 'Account', field 'Name': 'direction' must be read_write, read_only or write_only, found 'read'"),
                Arguments.of("direction without a type", "mappings: [{object: Account, fields: {Name: {direction: read_only}}}]",
                        "mapping 'Account', field 'Name': no Postgres type"),
                Arguments.of("direction in a read_only mapping", "mappings: [{object: Account, access: read_only, fields: {Name: {type: text, direction: write_only}}}]",
                        "mapping 'Account', field 'Name': 'direction' means nothing in a read_only mapping, whose fields are all read from Salesforce only"),
                Arguments.of("read_only unique identifier", "mappings: [{object: Account, unique_identifier: Ext__c, fields: {Name: text, Ext__c: {type: text, direction: read_only}}}]",
                        "mapping 'Account', field 'Ext__c': the unique identifier goes both ways (inserts are upserts on it, and records read are matched to rows by it): remove its direction"),
                Arguments.of("write_only unique identifier", "mappings: [{object: Account, unique_identifier: Ext__c, fields: {Name: text, Ext__c: {type: text, direction: write_only}}}]",
                        "field 'Ext__c': the unique identifier goes both ways"),
                Arguments.of("direction on a relationship", "mappings: [{object: Contact, fields: {LastName: text}, relationships: [{name: Account, external_id: X__c, direction: read_only}]}]",
                        "mapping 'Contact', field 'Account': a relationship goes both ways: to read or write a lookup one way, map its Id field (e.g. AccountId) with a direction instead"),
                Arguments.of("nothing left to send", "mappings: [{object: Account, fields: {Name: {type: text, direction: read_only}}}]",
                        "mapping 'Account': a read_write mapping needs at least one field it writes to Salesforce (every field is read_only: make the mapping access: read_only)"),
                Arguments.of("export polling seconds not a number", "{\"version\": 1, \"mappings\": [{\"object_name\": \"Account\", "
                        + "\"config\": {\"sf_polling_seconds\": \"often\", \"fields\": {\"Name\": {}}}}]}",
                        "mapping 'Account': 'sf_polling_seconds' must be a whole number of seconds from 1 second to 1 day, found 'often'"),
                // accelerated polling: a change event hurries a read, so a mapping must read something
                Arguments.of("accelerated polling not a boolean", "mappings: [{object: Account, accelerated_polling: often, fields: {Name: text}}]",
                        "mapping 'Account': 'accelerated_polling' must be true or false, found 'often'"),
                Arguments.of("accelerated polling of a mapping that reads nothing", "mappings: [{object: Account, accelerated_polling: true, "
                        + "fields: {Name: {type: text, direction: write_only}}}]",
                        "mapping 'Account': 'accelerated_polling' needs a mapping that reads a field from Salesforce (every field is write_only)"),
                Arguments.of("export notify not a boolean", "{\"version\": 1, \"mappings\": [{\"object_name\": \"Account\", "
                        + "\"config\": {\"sf_notify_enabled\": \"yes\", \"fields\": {\"Name\": {}}}}]}",
                        "mapping 'Account': 'sf_notify_enabled' must be true or false, found 'yes'"));
    }

    @Test
    void acceleratedPollingIsReadFromEitherFormatAndWrittenBack() throws IOException {
        MappingSet yaml = MappingLoader.load(write("accelerated.yaml", "mappings: [{object: Account, accelerated_polling: true, poll_interval: 10m, fields: {Name: text}}, "
                + "{object: Contact, access: read_only, accelerated_polling: true, fields: {LastName: text}}, {object: Lead, fields: {Company: text}}]"));
        MappingSet export = MappingLoader.load(write("accelerated.json", """
                {"version": 1, "mappings": [
                  {"object_name": "Account", "config": {"access": "read_write", "sf_notify_enabled": true, "fields": {"Name": {}}}},
                  {"object_name": "Contact", "config": {"access": "read_only", "sf_notify_enabled": false, "fields": {"LastName": {}}}},
                  {"object_name": "Lead", "config": {"access": "read_only", "fields": {"Company": {}}}}]}
                """));

        assertThat(yaml.mappings()).extracting(Mapping::acceleratedPolling).containsExactly(true, true, false);
        assertThat(export.mappings()).extracting(Mapping::acceleratedPolling).containsExactly(true, false, false);
        assertThat(MappingLoader.load(write("again.yaml", MappingWriter.yaml(yaml))).mappings()).isEqualTo(yaml.mappings());
        assertThat(MappingLoader.load(write("again.json", MappingWriter.export(export).toString())).mappings()).extracting(Mapping::acceleratedPolling)
                .containsExactly(true, false, false);
    }

    @Test
    void aMappingsPollIntervalIsReadFromEitherFormat() throws IOException {
        MappingSet yaml = MappingLoader.load(write("poll.yaml", "mappings: [{object: Account, poll_interval: 30s, fields: {Name: text}}, {object: Lead, fields: {Company: text}}]"));
        MappingSet export = MappingLoader.load(Path.of("src/test/resources/mappings/heroku-connect-export.json"));

        assertThat(yaml.byObject("Account").orElseThrow().pollInterval()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(yaml.byObject("Lead").orElseThrow().pollInterval()).as("pgforce.read.interval").isNull();
        assertThat(export.byObject("Account").orElseThrow().pollInterval()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(MappingLoader.load(write("again.yaml", MappingWriter.yaml(yaml))).mappings()).isEqualTo(yaml.mappings());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigurations")
    void badConfigurationIsRejectedWithItsFileMappingAndField(String kind, String yaml, String expected) throws IOException {
        Path file = write("bad.yaml", yaml);
        assertThatThrownBy(() -> MappingLoader.load(file))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("Invalid mapping configuration in " + file)
                .hasMessageContaining(expected);
    }

    @Test
    void aYamlMistakeIsOneLineWithItsLineAndColumn() throws IOException {
        Path file = write("bad.yaml", "connection:\n  schema: salesforce\n mappings:\n  - object: Account\n");
        assertThatThrownBy(() -> MappingLoader.load(file))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("Invalid mapping configuration in " + file + ": cannot parse at line 3, column 2: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void utf16IsNamedAsNotUtf8() throws IOException {
        Path file = dir.resolve("utf16.yaml");
        Files.write(file, "mappings: [{object: A, fields: {B: text}}]".getBytes(java.nio.charset.StandardCharsets.UTF_16));
        assertThatThrownBy(() -> MappingLoader.load(file)).hasMessage("Invalid mapping configuration in " + file + ": the file is not UTF-8 text (UTF-16?)");
    }

    @Test
    void binaryIsNamedAsNotUtf8() throws IOException {
        Path file = dir.resolve("binary.yaml");
        Files.write(file, new byte[] {'m', 'a', (byte) 0xC3, (byte) 0x28, 0x1f, (byte) 0xff});
        assertThatThrownBy(() -> MappingLoader.load(file)).hasMessage("Invalid mapping configuration in " + file
                + ": the file is not UTF-8 text (byte 3 is not UTF-8)");
    }

    @Test
    void aUtf8ByteOrderMarkIsRead() throws IOException {
        Path file = dir.resolve("bom.yaml");
        Files.writeString(file, "\uFEFFmappings: [{object: A, fields: {B: text}}]");
        assertThat(MappingLoader.load(file).mappings()).hasSize(1);
    }

    @Test
    void oneDocumentWithItsStartAndEndMarkersIsRead() throws IOException {
        Path file = write("markers.yaml", "---\nmappings: [{object: A, fields: {B: text}}]\n...\n");
        assertThat(MappingLoader.load(file).mappings()).hasSize(1);
    }

    @Test
    void theLimitsPostgresAcceptsAreAccepted() throws IOException {
        MappingSet set = MappingLoader.load(write("limits.yaml",
                "mappings: [{object: A, fields: {B: varchar(10485760), C: \"numeric(1000,1000)\", D: \"numeric(1)\", E: \"numeric(1000,0)\"}}]"));
        assertThat(set.mappings().get(0).fields()).extracting(f -> f.type().sql())
                .containsExactly("varchar(10485760)", "numeric(1000,1000)", "numeric(1)", "numeric(1000,0)");
    }

    @Test
    void aDirectoryIsNamedAsSuch() {
        assertThatThrownBy(() -> MappingLoader.load(dir)).hasMessage("Invalid mapping configuration in " + dir
                + ": is a directory (set pgforce.mapping.file to a YAML mapping file or a Heroku Connect mapping export JSON)");
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> MappingLoader.load(file)).hasMessageContaining(file + ": file not found");
    }

    @Test
    void unsupportedExportVersionIsRejected() throws IOException {
        Path file = write("export.json", "{\"version\": 2, \"mappings\": [{\"object_name\": \"Account\", \"config\": {}}]}");
        assertThatThrownBy(() -> MappingLoader.load(file)).hasMessageContaining("unsupported mapping export 'version' 2");
    }

    @Test
    void exportMappingWithoutFieldsIsNamed() throws IOException {
        Path file = write("export.json", "{\"version\": 1, \"mappings\": [{\"object_name\": \"Account\", \"config\": {\"access\": \"read_write\"}}]}");
        assertThatThrownBy(() -> MappingLoader.load(file)).hasMessageContaining("mapping 'Account': 'config.fields' must list the mapped fields");
    }
}
