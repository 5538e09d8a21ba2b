package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.schema.SchemaInstaller;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestMappings;
import io.pgforce.testing.TestSchema;
import io.pgforce.testing.UserSession;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applying a page of records to a mapping table, on a real PostgreSQL without the application:
 * matching by sfid and unique identifier, deletes, rows a Salesforce state must not overwrite,
 * values that do not fit, the watermark, the bypass, the writer lease.
 */
class PageApplyTest {

    private static final String T1 = "2024-01-01T12:00:00.000+0000";
    private static final String T2 = "2024-01-01T12:00:05.000+0000";

    @TempDir
    Path dir;
    UserSession user;
    DataSource engine;
    ReadStates states;
    PageApply apply;
    Mapping account;
    Mapping contact;
    Mapping lead;

    /** The database this runs on; the subclass runs it on Debian's PostgreSQL. */
    protected TestDatabase newDatabase() {
        return TestDatabase.create("page_apply");
    }

    @BeforeEach
    void schema() {
        TestDatabase db = newDatabase();
        MappingSet set = TestMappings.fromYaml(dir, """
                mappings:
                  - object: Account
                    unique_identifier: External_Id__c
                    fields: {Name: varchar(255), Description: varchar(10), NumberOfEmployees: integer, External_Id__c: varchar(255)}
                  - object: Contact
                    access: read_only
                    fields: {LastName: varchar(80), Birthdate: date}
                    relationships: [{name: Account, object: Account, external_id: External_Id__c}]
                  - object: Lead
                    fields: {LastName: varchar(80), Email: {type: varchar(80), direction: write_only}}
                """);
        engine = db.engineDataSource();
        SchemaInstaller.install(engine, set, TestSchema.LOCK_TIMEOUT);
        account = set.byObject("Account").orElseThrow();
        contact = set.byObject("Contact").orElseThrow();
        lead = set.byObject("Lead").orElseThrow();
        user = db.userSession();
        user.update("INSERT INTO salesforce._hc_writer (id, owner, expires_at) VALUES (1, 'host-a', now() + interval '1 hour')");
        states = new ReadStates(engine, "salesforce", Duration.ofMinutes(2));
        apply = new PageApply(engine, states, "salesforce", "host-a");
    }

    @AfterEach
    void close() {
        user.close();
    }

    private ReadRun begun(Mapping m) throws Exception {
        ReadRun run = new ReadRun(m);
        states.begin(run);
        return run;
    }

    private ReadRun read(Mapping m, String... records) throws Exception {
        ReadRun run = begun(m);
        page(run, records);
        return run;
    }

    private void page(ReadRun run, String... records) throws Exception {
        String page = "{\"totalSize\": " + records.length + ", \"done\": true, \"records\": [" + String.join(", ", records) + "]}";
        apply.apply(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)), run);
    }

    private static String account(String id, String stamp, String name, String description, String externalId) {
        return """
                {"attributes": {"type": "Account", "url": "/services/data/v62.0/sobjects/Account/%s"}, "Id": "%s", "IsDeleted": false,
                 "SystemModstamp": "%s", "CreatedDate": "2023-12-31T09:00:00.000+0000", "Name": %s, "Description": %s,
                 "NumberOfEmployees": 12.0, "External_Id__c": %s}""".formatted(id, id, stamp, json(name), json(description), json(externalId));
    }

    private static String deleted(String id, String stamp) {
        return """
                {"attributes": {"type": "Account"}, "Id": "%s", "IsDeleted": true, "SystemModstamp": "%s", "CreatedDate": "%s",
                 "Name": "gone", "Description": null, "NumberOfEmployees": null, "External_Id__c": null}""".formatted(id, stamp, T1);
    }

    private static String json(String text) {
        return text == null ? "null" : "\"" + text + "\"";
    }

    private void asEngine(String sql) throws Exception {
        try (Connection c = engine.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private List<Map<String, Object>> accounts() {
        return user.query("SELECT sfid, name, description, numberofemployees, external_id__c, _hc_lastop, _hc_err, isdeleted, "
                + "systemmodstamp::text AS stamp, createddate::text AS created FROM salesforce.account ORDER BY id");
    }

    private Map<String, Object> state(Mapping m) {
        return user.query("SELECT phase, watermark AT TIME ZONE 'UTC' AS watermark, records_applied, records_failed, api_calls "
                + "FROM salesforce._pgforce_read_state WHERE table_name = ?", m.table()).get(0);
    }

    @Test
    void newRecordsBecomeSyncedRowsThatAreNotCaptured() throws Exception {
        ReadRun run = read(account, account("001000000000001AAA", T1, "Acme", "Big", "A-1"), account("001000000000002AAA", T2, "Globex", null, "A-2"));

        assertThat(accounts()).extracting(r -> r.get("sfid") + " " + r.get("name") + " " + r.get("description") + " " + r.get("numberofemployees") + " "
                + r.get("external_id__c") + " " + r.get("_hc_lastop") + " " + r.get("isdeleted") + " " + r.get("stamp") + " " + r.get("created"))
                .containsExactly("001000000000001AAA Acme Big 12 A-1 SYNCED false 2024-01-01 12:00:00 2023-12-31 09:00:00",
                        "001000000000002AAA Globex null 12 A-2 SYNCED false 2024-01-01 12:00:05 2023-12-31 09:00:00");
        assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log")).as("the read's writes are not captured").isZero();
        assertThat(run.applied()).isEqualTo(2);
        assertThat(run.hasMore()).isFalse();
        assertThat(state(account)).containsEntry("watermark", java.sql.Timestamp.valueOf("2024-01-01 12:00:05"))
                .containsEntry("records_applied", 2L).containsEntry("api_calls", 1L).containsEntry("phase", "LOADING");
    }

    @Test
    void aRecordReadAgainChangesNothing() throws Exception {
        String acme = account("001000000000001AAA", T1, "Acme", "Big", "A-1");
        read(account, acme);
        long xmin = user.count("SELECT xmin::text::bigint FROM salesforce.account");

        ReadRun again = read(account, acme);

        assertThat(again.applied()).isZero();
        assertThat(user.count("SELECT xmin::text::bigint FROM salesforce.account")).as("the row was not written again").isEqualTo(xmin);
        assertThat(user.count("SELECT count(*) FROM salesforce.account")).isOne();
    }

    @Test
    void changedRecordsUpdateTheirRowsAndDeletedOnesRemoveThem() throws Exception {
        read(account, account("001000000000001AAA", T1, "Acme", "Big", "A-1"), account("001000000000002AAA", T1, "Globex", null, "A-2"));

        ReadRun poll = read(account, account("001000000000001AAA", T2, "Acme Corp", "Bigger", "A-1"), deleted("001000000000002AAA", T2));

        assertThat(poll.applied()).isEqualTo(2);
        assertThat(accounts()).extracting(r -> r.get("sfid") + " " + r.get("name") + " " + r.get("stamp"))
                .containsExactly("001000000000001AAA Acme Corp 2024-01-01 12:00:05");
        assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log")).isZero();
    }

    @Test
    void aRowPgforceWroteWhoseSfidIsNotBackIsMatchedByItsUniqueIdentifier() throws Exception {
        // as a row is between its insert's success in Salesforce and the write-back: no sfid, nothing queued
        asEngine("INSERT INTO salesforce.account (name, external_id__c, _hc_lastop) VALUES ('Initech', 'U-1', 'PENDING')");

        read(account, account("001000000000009AAA", T1, "Initech", null, "U-1"));

        assertThat(accounts()).extracting(r -> r.get("sfid") + " " + r.get("external_id__c") + " " + r.get("_hc_lastop"))
                .containsExactly("001000000000009AAA U-1 SYNCED");
    }

    @Test
    void aRowWithAChangeNotYetWrittenKeepsItsValuesAndNoSecondRowIsMade() throws Exception {
        read(account, account("001000000000001AAA", T1, "Acme", null, "A-1"), account("001000000000002AAA", T1, "Globex", null, "A-2"));
        // the application changes one row, deletes another and inserts a third: all queued
        user.update("UPDATE salesforce.account SET name = 'Acme (local)' WHERE sfid = '001000000000001AAA'");
        user.update("DELETE FROM salesforce.account WHERE sfid = '001000000000002AAA'");
        user.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Hooli', 'H-1')");

        ReadRun poll = read(account, account("001000000000001AAA", T2, "Acme (remote)", null, "A-1"), account("001000000000002AAA", T2, "Globex", null, "A-2"),
                account("001000000000003AAA", T2, "Hooli", null, "H-1"));

        assertThat(poll.applied()).isZero();
        assertThat(accounts()).extracting(r -> r.get("sfid") + " " + r.get("name") + " " + r.get("_hc_lastop"))
                .containsExactly("001000000000001AAA Acme (local) PENDING", "null Hooli PENDING");
    }

    @Test
    void aChangeWrittenBeforeTheReadBeganNoLongerHoldsItsRow() throws Exception {
        read(account, account("001000000000001AAA", T1, "Acme", null, "A-1"));
        user.update("UPDATE salesforce.account SET name = 'Acme (local)'");
        user.update("UPDATE salesforce._trigger_log SET state = 'SUCCESS', processed_at = now() - interval '1 minute'");

        read(account, account("001000000000001AAA", T2, "Acme (remote)", null, "A-1"));

        assertThat(accounts()).extracting(r -> r.get("name") + " " + r.get("_hc_lastop")).containsExactly("Acme (remote) SYNCED");
    }

    @Test
    void aChangeWrittenWhileThePageWasReadHoldsItsRow() throws Exception {
        read(account, account("001000000000001AAA", T1, "Acme", null, "A-1"));
        ReadRun run = begun(account);
        // written after the query was sent: the page's state is older than the row's
        user.update("UPDATE salesforce.account SET name = 'Acme (local)'");
        user.update("UPDATE salesforce._trigger_log SET state = 'SUCCESS', processed_at = clock_timestamp()");

        page(run, account("001000000000001AAA", T1, "Acme", null, "A-1"));

        assertThat(accounts()).extracting(r -> r.get("name")).containsExactly("Acme (local)");
    }

    @Test
    void aDeleteWrittenWhileThePageWasReadDoesNotBringTheRowBack() throws Exception {
        read(account, account("001000000000001AAA", T1, "Acme", null, "A-1"));
        ReadRun run = begun(account);
        // the application deletes the row and pgforce writes the delete after the query was sent:
        // the page still holds the record alive
        user.update("DELETE FROM salesforce.account WHERE sfid = '001000000000001AAA'");
        user.update("UPDATE salesforce._trigger_log SET state = 'SUCCESS', processed_at = clock_timestamp()");

        page(run, account("001000000000001AAA", T1, "Acme", null, "A-1"));

        assertThat(accounts()).as("the deleted row stays deleted").isEmpty();
    }

    @Test
    void aValueThatDoesNotFitFailsItsRecordAloneAndTheWatermarkMovesOn() throws Exception {
        ReadRun run = read(account, account("001000000000001AAA", T1, "Acme", "Big", "A-1"), account("001000000000002AAA", T1, "Globex", "Enormously big", "A-2"),
                account("001000000000003AAA", T2, "Hooli", "Small", "A-3"));

        assertThat(accounts()).extracting(r -> r.get("name")).containsExactly("Acme", "Hooli");
        assertThat(run.failed()).isOne();
        assertThat(state(account)).containsEntry("records_failed", 1L).containsEntry("records_applied", 2L)
                .containsEntry("watermark", java.sql.Timestamp.valueOf("2024-01-01 12:00:05"));
    }

    @Test
    void aRecordThatFailedIsCountedAgainOnlyOnceItChanged() throws Exception {
        String tooLong = account("001000000000002AAA", T1, "Globex", "Enormously big", "A-2");
        read(account, tooLong);

        read(account, tooLong); // read again in the overlap, as it was
        assertThat(state(account)).containsEntry("records_failed", 1L);
        read(account, account("001000000000002AAA", T2, "Globex", "Still far too big", "A-2"));
        assertThat(state(account)).containsEntry("records_failed", 2L);
    }

    @Test
    void aUniqueIdentifierAnotherRowHoldsFailsItsRecordAlone() throws Exception {
        read(account, account("001000000000001AAA", T1, "Acme", null, "E-1"));

        ReadRun run = read(account, account("001000000000002AAA", T2, "Acme again", null, "E-1"), account("001000000000003AAA", T2, "Hooli", null, "E-2"));

        assertThat(run.failed()).isOne();
        assertThat(accounts()).extracting(r -> r.get("sfid") + " " + r.get("external_id__c"))
                .containsExactly("001000000000001AAA E-1", "001000000000003AAA E-2");
    }

    @Test
    void aReadOnlyTableGetsRelationshipColumnsAndDates() throws Exception {
        read(contact, """
                {"attributes": {"type": "Contact"}, "Id": "003000000000001AAA", "IsDeleted": false, "SystemModstamp": "%s", "CreatedDate": "%s",
                 "LastName": "Doe", "Birthdate": "1990-05-17", "Account": {"attributes": {"type": "Account"}, "External_Id__c": "A-1"}}""".formatted(T1, T1),
                """
                {"attributes": {"type": "Contact"}, "Id": "003000000000002AAA", "IsDeleted": false, "SystemModstamp": "%s", "CreatedDate": "%s",
                 "LastName": "Roe", "Birthdate": null, "Account": null}""".formatted(T1, T1));

        assertThat(user.query("SELECT sfid, lastname, birthdate::text AS b, account__r__external_id__c AS a, _hc_lastop FROM salesforce.contact ORDER BY sfid"))
                .extracting(r -> r.get("sfid") + " " + r.get("lastname") + " " + r.get("b") + " " + r.get("a") + " " + r.get("_hc_lastop"))
                .containsExactly("003000000000001AAA Doe 1990-05-17 A-1 SYNCED", "003000000000002AAA Roe null null SYNCED");
        assertThat(user.count("SELECT count(*) FROM salesforce._trigger_log")).isZero();
    }

    @Test
    void aWriteOnlyColumnIsNeitherFilledOnInsertNorOverwrittenOnUpdate() throws Exception {
        // a record carrying the field anyway: the query does not select it, nor does the apply write it
        String lead = """
                {"attributes": {"type": "Lead"}, "Id": "00Q000000000001AAA", "IsDeleted": false, "SystemModstamp": "%s", "CreatedDate": "%s",
                 "LastName": "%s", "Email": "%s"}""";
        read(this.lead, lead.formatted(T1, T1, "Doe", "stale@example.com"));
        assertThat(user.query("SELECT lastname, email FROM salesforce.lead")).extracting(r -> r.get("lastname") + " " + r.get("email"))
                .as("a new row's write_only column stays NULL").containsExactly("Doe null");

        asEngine("UPDATE salesforce.lead SET email = 'doe@example.com'");
        read(this.lead, lead.formatted(T2, T1, "Doe-Roe", "stale@example.com"));

        assertThat(user.query("SELECT lastname, email FROM salesforce.lead")).extracting(r -> r.get("lastname") + " " + r.get("email"))
                .containsExactly("Doe-Roe doe@example.com");
    }

    @Test
    void withoutAUniqueIdentifierANewRecordIsNotAddedWhileAnInsertThatMayHaveCreatedItAwaitsItsId() throws Exception {
        String lead = """
                {"attributes": {"type": "Lead"}, "Id": "%s", "IsDeleted": false, "SystemModstamp": "%s", "CreatedDate": "%s", "LastName": "%s"}""";
        // the application inserts a lead; pgforce has sent it (12:00:00) and waits for Salesforce's answer
        user.update("INSERT INTO salesforce.lead (lastname) VALUES ('Doe')");
        asEngine("UPDATE salesforce._trigger_log SET state = 'PENDING', sent_at = '2024-01-01 12:00:00+00'");

        // a poll meets the record the insert created, and one changed long before it was sent
        read(this.lead, lead.formatted("00Q000000000009AAA", T1, T1, "Doe"), lead.formatted("00Q000000000008AAA", "2024-01-01T10:00:00.000+0000",
                "2024-01-01T10:00:00.000+0000", "Older"));

        assertThat(user.query("SELECT sfid, lastname FROM salesforce.lead ORDER BY id")).extracting(r -> r.get("sfid") + " " + r.get("lastname"))
                .as("no second Doe: the insert's answer brings its Id").containsExactly("null Doe", "00Q000000000008AAA Older");
        assertThat(state(this.lead).get("watermark")).as("kept before the record held back, so that the next poll reads it again")
                .isEqualTo(java.sql.Timestamp.valueOf("2024-01-01 11:59:59.999"));

        // the write-back: the row gets its Id, the change is settled; the next poll matches the record by it
        asEngine("UPDATE salesforce.lead SET sfid = '00Q000000000009AAA' WHERE lastname = 'Doe'");
        asEngine("UPDATE salesforce._trigger_log SET state = 'SUCCESS', processed_at = now()");
        read(this.lead, lead.formatted("00Q000000000009AAA", T1, T1, "Doe"));

        assertThat(user.query("SELECT sfid, lastname FROM salesforce.lead ORDER BY id")).extracting(r -> r.get("sfid") + " " + r.get("lastname"))
                .containsExactly("00Q000000000009AAA Doe", "00Q000000000008AAA Older");
    }

    @Test
    void aTableThatHoldsRowsIsPolledFromItsNewestStampNotLoadedAgain() throws Exception {
        asEngine("INSERT INTO salesforce.account (sfid, name, systemmodstamp) VALUES ('001000000000001AAA', 'Acme', '2024-01-01 12:00:00'), "
                + "('001000000000002AAA', 'Globex', '2024-01-01 11:00:00')");

        ReadRun taken = begun(account);
        ReadRun empty = begun(contact);

        assertThat(taken.soql()).contains("WHERE SystemModstamp >= 2024-01-01T11:58:00Z ORDER BY");
        assertThat(taken.loading()).isFalse();
        assertThat(empty.soql()).doesNotContain("WHERE");
        assertThat(empty.loading()).isTrue();
        assertThat(state(account)).containsEntry("phase", "SYNCED");
        assertThat(state(contact)).containsEntry("phase", "LOADING");
    }

    @Test
    void anInstanceThatLostTheWriterLeaseWritesNothing() throws Exception {
        ReadRun run = begun(account);
        user.update("UPDATE salesforce._hc_writer SET owner = 'host-b'");

        assertThatThrownBy(() -> page(run, account("001000000000001AAA", T1, "Acme", null, "A-1"))).isInstanceOf(NotTheWriterException.class);
        assertThat(user.count("SELECT count(*) FROM salesforce.account")).isZero();
        assertThat(state(account)).containsEntry("api_calls", 0L);
    }
}
