package io.pgforce.simulator;

import static io.pgforce.simulator.SimulatorClients.sobject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.SaveResult;
import com.sforce.soap.partner.UpsertResult;
import com.sforce.soap.partner.fault.UnexpectedErrorFault;
import com.sforce.soap.partner.sobject.SObject;
import com.sforce.ws.ConnectionException;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The data rules a real org applies, each through Salesforce's own SOAP client. */
@ExtendWith(SimulatorExtension.class)
class SimulatorDataRulesTest {

    private SalesforceSimulator sf;
    private PartnerConnection soap;

    @BeforeEach
    void login(SalesforceSimulator sf) throws ConnectionException {
        this.sf = sf;
        soap = SimulatorClients.partner(sf);
    }

    private SaveResult create(SObject s) throws ConnectionException {
        return soap.create(new SObject[] {s})[0];
    }

    private static String code(SaveResult r) {
        return r.getErrors()[0].getStatusCode().toString();
    }

    private SimRecord stored(SaveResult r) {
        return sf.org().find(r.getId()).orElseThrow();
    }

    @Test
    void stringsAreTrimmedAndEmptyOnesAreNull() throws ConnectionException {
        SimRecord a = stored(create(sobject("Account", "Name", "  Acme  ", "Phone", "   ")));
        assertThat(a.get("Name")).isEqualTo("Acme");
        assertThat(a.get("Phone")).isNull();
    }

    @Test
    void numbersAreDoublesWith15SignificantDigits() throws ConnectionException {
        SimRecord a = stored(create(sobject("Account", "Name", "A", "AnnualRevenue", "1234567890.123456789")));
        assertThat(a.get("AnnualRevenue")).isEqualTo(1234567890.12346);
        assertThat(code(create(sobject("Account", "Name", "A", "NumberOfEmployees", "2.5")))).isEqualTo("NUMBER_OUTSIDE_VALID_RANGE");
        assertThat(code(create(sobject("Account", "Name", "A", "NumberOfEmployees", "many")))).isEqualTo("INVALID_TYPE_ON_FIELD_IN_RECORD");
    }

    @Test
    void datesAndBooleansAreTyped() throws ConnectionException {
        SimRecord c = stored(create(sobject("Contact", "LastName", "Doe", "Birthdate", "1990-04-01")));
        assertThat(c.get("Birthdate")).isEqualTo(LocalDate.of(1990, 4, 1));
        SimRecord i = stored(create(sobject("Invoice__c", "Amount__c", "10", "Paid__c", "true", "Issued_At__c", "2024-05-01T10:15:00Z")));
        assertThat(i.get("Paid__c")).isEqualTo(true);
        assertThat(i.get("Issued_At__c").toString()).isEqualTo("2024-05-01T10:15:00Z");
    }

    @Test
    void tooLongStringsFailUnlessTruncationIsAllowed() throws ConnectionException {
        String longName = "x".repeat(90);
        SaveResult r = create(sobject("Contact", "LastName", longName));
        assertThat(code(r)).isEqualTo("STRING_TOO_LONG");
        assertThat(r.getErrors()[0].getMessage()).isEqualTo("Last Name: data value too large: " + longName + " (max length=80)");

        soap.setAllowFieldTruncationHeader(true);
        assertThat(stored(create(sobject("Contact", "LastName", longName))).get("LastName")).isEqualTo("x".repeat(80));
    }

    @Test
    void requiredFieldsAreRequired() throws ConnectionException {
        SaveResult r = create(sobject("Opportunity", "Name", "Deal"));
        assertThat(code(r)).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(r.getErrors()[0].getMessage()).isEqualTo("Required fields are missing: [StageName, CloseDate]");
    }

    @Test
    void uniqueAndExternalIdValuesCannotRepeat() throws ConnectionException {
        SaveResult first = create(sobject("Account", "Name", "A", "External_Id__c", "K-1"));
        SaveResult second = create(sobject("Account", "Name", "B", "External_Id__c", "k-1"));
        assertThat(code(second)).isEqualTo("DUPLICATE_VALUE");
        assertThat(second.getErrors()[0].getMessage()).isEqualTo("duplicate value found: External_Id__c duplicates value on record with id: " + first.getId());
    }

    @Test
    void referencesMustPointAtLiveRecordsOfTheRightType() throws ConnectionException {
        SaveResult account = create(sobject("Account", "Name", "A"));
        SaveResult contact = create(sobject("Contact", "LastName", "Doe"));
        assertThat(create(sobject("Contact", "LastName", "Doe", "AccountId", account.getId())).isSuccess()).isTrue();
        assertThat(code(create(sobject("Contact", "LastName", "Doe", "AccountId", contact.getId())))).isEqualTo("INVALID_CROSS_REFERENCE_KEY");
        assertThat(code(create(sobject("Contact", "LastName", "Doe", "AccountId", "001nonsense")))).isEqualTo("MALFORMED_ID");
    }

    @Test
    void parentsCanBeReferencedByExternalId() throws ConnectionException {
        SaveResult account = create(sobject("Account", "Name", "A", "External_Id__c", "P-1"));
        SObject child = sobject("Contact", "LastName", "Doe");
        child.setField("Account", sobject("Account", "External_Id__c", "P-1"));
        assertThat(stored(create(child)).get("AccountId")).isEqualTo(account.getId());

        SObject orphan = sobject("Contact", "LastName", "Roe");
        orphan.setField("Account", sobject("Account", "External_Id__c", "P-404"));
        SaveResult r = create(orphan);
        assertThat(code(r)).isEqualTo("INVALID_CROSS_REFERENCE_KEY");
        assertThat(r.getErrors()[0].getMessage()).isEqualTo("Foreign key external ID: P-404 not found for field External_Id__c in entity Account");
    }

    @Test
    void deletedRecordsCannotBeWritten() throws ConnectionException {
        SaveResult a = create(sobject("Account", "Name", "A"));
        soap.delete(new String[] {a.getId()});
        SObject update = sobject("Account", "Name", "B");
        update.setId(a.getId());
        assertThat(code(soap.update(new SObject[] {update})[0])).isEqualTo("ENTITY_IS_DELETED");
        assertThat(stored(a).deleted()).isTrue();
        assertThat(stored(a).get("IsDeleted")).isEqualTo(true);
    }

    @Test
    void readOnlyFieldsCannotBeWritten() throws ConnectionException {
        SaveResult r = create(sobject("Account", "Name", "A", "LastActivityDate", "2024-01-01"));
        assertThat(code(r)).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
        assertThat(r.getErrors()[0].getFields()).containsExactly("LastActivityDate");

        SaveResult created = create(sobject("Account", "Name", "A", "AccountSource__c", "web"));
        SObject update = sobject("Account", "AccountSource__c", "phone");
        update.setId(created.getId());
        assertThat(code(soap.update(new SObject[] {update})[0])).as("createable but not updateable").isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
    }

    @Test
    void validationRulesRun() throws ConnectionException {
        SaveResult r = create(sobject("Account", "Name", "A", "NumberOfEmployees", "-1"));
        assertThat(code(r)).isEqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        assertThat(r.getErrors()[0].getMessage()).isEqualTo("Number of employees cannot be negative");
    }

    @Test
    void upsertMatchesOnTheExternalId() throws ConnectionException {
        UpsertResult[] r = soap.upsert("External_Id__c", new SObject[] {sobject("Account", "Name", "A", "External_Id__c", "U-1")});
        UpsertResult[] again = soap.upsert("External_Id__c", new SObject[] {sobject("Account", "Name", "B", "External_Id__c", "U-1")});
        assertThat(r[0].isCreated()).isTrue();
        assertThat(again[0].isCreated()).isFalse();
        assertThat(sf.org().find(r[0].getId()).orElseThrow().get("Name")).isEqualTo("B");
        assertThat(soap.upsert("External_Id__c", new SObject[] {sobject("Account", "Name", "C")})[0].getErrors()[0].getStatusCode().toString())
                .isEqualTo("MISSING_ARGUMENT");
    }

    @Test
    void allOrNoneRollsTheWholeCallBack() throws ConnectionException {
        soap.setAllOrNoneHeader(true);
        SaveResult[] r = soap.create(new SObject[] {sobject("Account", "Name", "Kept?"), sobject("Account", "Description", "no name")});
        assertThat(r[0].isSuccess()).isFalse();
        assertThat(r[0].getErrors()[0].getStatusCode().toString()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(code(r[1])).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(sf.org().count("Account")).isZero();
    }

    @Test
    void assignmentRulesAreRecordedOnLeadsAndCases() throws ConnectionException {
        soap.setAssignmentRuleHeader(null, true);
        SaveResult lead = create(sobject("Lead", "LastName", "Doe", "Company", "Co"));
        SaveResult account = create(sobject("Account", "Name", "A"));
        assertThat(stored(lead).assignmentRule()).isEqualTo("default");
        assertThat(stored(account).assignmentRule()).isNull();
    }

    @Test
    void moreThanTenChunksFailAndTheSameIdTwiceFails() throws ConnectionException {
        SObject[] alternating = new SObject[12];
        for (int i = 0; i < alternating.length; i++) {
            alternating[i] = i % 2 == 0 ? sobject("Account", "Name", "A" + i) : sobject("Contact", "LastName", "C" + i);
        }
        assertThatThrownBy(() -> soap.create(alternating)).isInstanceOfSatisfying(UnexpectedErrorFault.class,
                f -> assertThat(f.getExceptionMessage()).startsWith("Cannot have more than 10 chunks in a single operation"));
        assertThat(sf.org().count("Account")).isZero();

        SaveResult a = create(sobject("Account", "Name", "A"));
        SObject u1 = sobject("Account", "Name", "B");
        u1.setId(a.getId());
        SObject u2 = sobject("Account", "Name", "C");
        u2.setId(a.getId());
        SaveResult[] twice = soap.update(new SObject[] {u1, u2});
        assertThat(twice).allSatisfy(x -> assertThat(code(x)).isEqualTo("DUPLICATE_VALUE"));
        assertThat(twice[0].getErrors()[0].getMessage()).startsWith("Duplicate id in list: ");
    }
}
