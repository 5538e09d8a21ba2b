package io.pgforce.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.EndToEndWrites;
import io.pgforce.triggerlog.OperatorActions;
import io.pgforce.triggerlog.TriggerLogBrowser;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values an application writes that Salesforce's APIs cannot carry, or that would arrive changed:
 * each fails its own record (FAILED, one clear sf_message, listed as a write error, resubmittable
 * once fixed), never its neighbours, the batch or the connection; another mapping writes meanwhile.
 */
@QuarkusTest
@EndToEnd
class BadValuesTest extends EndToEndWrites {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    TriggerLogBrowser browser;
    @Inject
    OperatorActions operatorActions;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            escape sequence      | account | description       | E'esc\\x1b[31mred'        | Name 'Ok'            | column description holds U+001B
            U+0001               | account | description       | E'a\\x01b'                | Name 'Ok'            | U+0001
            U+0008               | account | description       | E'a\\x08b'                | Name 'Ok'            | U+0008
            U+000B               | account | description       | E'a\\x0bb'                | Name 'Ok'            | U+000B
            U+000C               | account | description       | E'a\\x0cb'                | Name 'Ok'            | U+000C
            U+000E               | account | description       | E'a\\x0eb'                | Name 'Ok'            | U+000E
            U+001F in a name     | contact | firstname         | E'a\\x1fb'                | LastName 'Ok'        | column firstname holds U+001F
            U+FFFE               | account | description       | U&'a\\FFFEb'              | Name 'Ok'            | U+FFFE
            U+FFFF               | account | description       | U&'a\\FFFFb'              | Name 'Ok'            | U+FFFF
            BC date              | contact | birthdate         | '0044-03-15 BC'           | LastName 'Ok'        | column birthdate holds 0044-03-15 BC
            infinite date        | contact | birthdate         | 'infinity'                | LastName 'Ok'        | column birthdate holds infinity
            date before 1700     | contact | birthdate         | '1699-12-31'              | LastName 'Ok'        | 1700-01-01 to 4000-12-31
            date after 4000      | contact | birthdate         | '4001-01-01'              | LastName 'Ok'        | 1700-01-01 to 4000-12-31
            NaN                  | account | numberofemployees | 'NaN'                     | Name 'Ok'            | column numberofemployees holds NaN
            Infinity             | account | numberofemployees | 'Infinity'                | Name 'Ok'            | column numberofemployees holds Infinity
            """)
    void aValueThatCannotBeSentFailsItsRecordAloneAndIsResubmittableOnceFixed(String name, String table, String column, String value,
                                                                              String other, String expected) throws Exception {
        String otherColumn = other.substring(0, other.indexOf(' ')).toLowerCase();
        String otherValue = other.substring(other.indexOf(' ') + 1);
        // one bad row among good ones of its mapping, in one transaction with another mapping's rows
        t.transaction(db -> {
            db.update("INSERT INTO salesforce." + table + " (" + otherColumn + ", external_id__c) SELECT " + otherValue + ", 'G-' || g FROM generate_series(1, 4) g");
            db.update("INSERT INTO salesforce." + table + " (" + otherColumn + ", " + column + ", external_id__c) VALUES (" + otherValue + ", " + value + ", 'BAD')");
            db.update("INSERT INTO salesforce." + table + " (" + otherColumn + ", external_id__c) SELECT " + otherValue + ", 'H-' || g FROM generate_series(1, 4) g");
            db.update("INSERT INTO salesforce.\"case\" (subject, external_id__c) SELECT 'meanwhile', 'C-' || g FROM generate_series(1, 3) g");
        });
        t.drained(WAIT);
        // and the other mapping keeps writing after it
        t.db.update("INSERT INTO salesforce.\"case\" (subject, external_id__c) VALUES ('after', 'C-4')");
        t.drained(WAIT);

        Map<String, Object> bad = t.db.query("SELECT l.id, l.state, l.sf_message FROM salesforce._trigger_log l JOIN salesforce." + table
                + " r ON r.id = l.record_id AND l.table_name = '" + table + "' WHERE r.external_id__c = 'BAD'").get(0);
        assertThat(bad).containsEntry("state", "FAILED");
        assertThat((String) bad.get("sf_message")).startsWith("INVALID_VALUE: ").contains(expected).doesNotContain("Exception");
        assertThat(t.states("FAILED")).as("only the bad row failed").isEqualTo(1);
        assertThat(t.states("SUCCESS")).isEqualTo(12);
        assertThat(t.sf.org().count("Case")).isEqualTo(4);
        assertThat(t.db.scalar("SELECT _hc_lastop FROM salesforce." + table + " WHERE external_id__c = 'BAD'")).isEqualTo("FAILED");
        assertThat(errorIds()).containsExactly(((Number) bad.get("id")).longValue());

        // fixed and resubmitted, it goes
        t.db.update("UPDATE salesforce." + table + " SET " + column + " = NULL WHERE external_id__c = 'BAD'");
        operatorActions.retry(OperatorActions.Selection.ids(List.of(((Number) bad.get("id")).longValue())));
        t.drained(WAIT);
        assertThat(t.states("FAILED")).isZero();
        t.record(table.equals("account") ? "Account" : "Contact", "BAD");
    }

    @Test
    void aDeleteAfterAFailedInsertIsDoneAtOnceWithNothingToDelete() {
        t.db.update("INSERT INTO salesforce.account (name, description, external_id__c) VALUES ('x', E'bad\\x1b', 'GONE')");
        t.drained(WAIT);
        t.db.update("DELETE FROM salesforce.account WHERE external_id__c = 'GONE'");
        t.drained(WAIT);

        List<Map<String, Object>> rows = t.db.query("SELECT action, state, sf_message FROM salesforce._trigger_log ORDER BY id");
        assertThat(rows.get(1)).containsEntry("action", "DELETE").containsEntry("state", "IGNORED");
        assertThat((String) rows.get(1).get("sf_message")).contains("never reached Salesforce");
    }

    @Test
    void aDeleteInTheSameCycleAsItsFailedInsertIsDoneWithNothingToDelete() {
        t.transaction(db -> {
            db.update("INSERT INTO salesforce.account (name, description, external_id__c) VALUES ('x', E'bad\\x1b', 'GONE')");
            db.update("DELETE FROM salesforce.account WHERE external_id__c = 'GONE'");
        });
        t.drained(WAIT);

        List<Map<String, Object>> rows = t.db.query("SELECT action, state, sf_message FROM salesforce._trigger_log ORDER BY id");
        assertThat(rows.get(0)).containsEntry("state", "FAILED");
        assertThat(rows.get(1)).containsEntry("action", "DELETE").containsEntry("state", "IGNORED");
    }

    @ParameterizedTest(name = "sfid set to {0}")
    @CsvSource(nullValues = "NULL", textBlock = """
            '001000000000999AAA'
            NULL
            """)
    void anSfidTheApplicationChangesIsNotKeptAndEveryChangeGoesToTheRecordOfTheRow(String edited) {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('linked', 'S-1')");
        t.drained(WAIT);
        String sfid = (String) t.db.scalar("SELECT sfid FROM salesforce.account");

        // the sfid alone: nothing to send, the row keeps its Id and says why
        t.db.update("UPDATE salesforce.account SET sfid = ? WHERE external_id__c = 'S-1'", edited);
        assertThat(t.db.scalar("SELECT sfid FROM salesforce.account")).isEqualTo(sfid);
        assertThat((String) t.db.scalar("SELECT _hc_err FROM salesforce.account")).contains("READ_ONLY_COLUMN", "sfid");
        // with another column: the change goes to the row's record
        t.db.update("UPDATE salesforce.account SET sfid = ?, name = 'renamed' WHERE external_id__c = 'S-1'", edited);
        t.drained(WAIT);
        t.db.update("UPDATE salesforce.account SET name = 'renamed again' WHERE external_id__c = 'S-1'");
        t.drained(WAIT);

        assertThat(t.states("SUCCESS")).isEqualTo(3);
        assertThat(t.db.scalar("SELECT sfid FROM salesforce.account")).isEqualTo(sfid);
        assertThat(t.sf.org().find(sfid).orElseThrow().get("Name")).isEqualTo("renamed again");
        assertThat(t.sf.org().count("Account")).isEqualTo(1);
    }

    private List<Long> errorIds() {
        try {
            return browser.errors(null, 100, 0).rows().stream().map(TriggerLogBrowser.Row::id).toList();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
