package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.AbstractQueryRecordsBase;
import org.apache.camel.component.salesforce.api.dto.CreateSObjectResult;
import org.apache.camel.component.salesforce.api.dto.DeleteSObjectResult;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;
import org.apache.camel.component.salesforce.api.dto.SaveSObjectResult;
import org.apache.camel.component.salesforce.api.dto.UpsertSObjectResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** camel-salesforce's own REST query, sObject and sObject collections operations, unchanged, against the simulator. */
@ExtendWith(SimulatorExtension.class)
class CamelSalesforceRestConformanceTest {

    /**
     * An Account as camel-salesforce's generated DTOs look: Java fields named as the API names them
     * (camel's null filter reads a field by its JSON name, and finds an external ID's accessors by it).
     */
    public static class Account extends AbstractDescribedSObjectBase {

        private String External_Id__c;
        private Integer NumberOfEmployees;

        public Account() {
            getAttributes().setType("Account");
        }

        static Account named(String name, String externalId) {
            Account a = new Account();
            a.setName(name);
            a.setExternal_Id__c(externalId);
            return a;
        }

        @JsonProperty("External_Id__c")
        public String getExternal_Id__c() {
            return External_Id__c;
        }

        @JsonProperty("External_Id__c")
        public void setExternal_Id__c(String externalId) {
            this.External_Id__c = externalId;
        }

        @JsonProperty("NumberOfEmployees")
        public Integer getNumberOfEmployees() {
            return NumberOfEmployees;
        }

        @JsonProperty("NumberOfEmployees")
        public void setNumberOfEmployees(Integer numberOfEmployees) {
            this.NumberOfEmployees = numberOfEmployees;
        }

        @Override
        public SObjectDescription description() {
            SObjectDescription d = new SObjectDescription();
            d.setName("Account");
            return d;
        }
    }

    /** A page of Accounts, as camel's generated QueryRecords classes are. */
    public static class QueryRecordsAccount extends AbstractQueryRecordsBase<Account> {
    }

    private static final String RECORDS = "sObjectClass=" + QueryRecordsAccount.class.getName();

    private CamelContext camel;
    private ProducerTemplate producer;

    @BeforeEach
    void camel(SalesforceSimulator sf) throws Exception {
        SalesforceComponent salesforce = SimulatorClients.salesforce(sf);
        salesforce.setPackages(Account.class.getPackageName()); // the retrieve operation finds its DTO class by the object's name
        camel = SimulatorClients.camel(salesforce);
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    private static List<String> ids(List<Account> records) {
        return records.stream().map(Account::getId).toList();
    }

    @Test
    void queryAndQueryMorePageThroughMoreThan2000Records(SalesforceSimulator sf) {
        List<String> created = TestRecords.accounts(sf, 4500);
        QueryRecordsAccount page = producer.requestBody("salesforce:query?" + RECORDS,
                "SELECT Id, Name, External_Id__c, SystemModstamp FROM Account ORDER BY Name", QueryRecordsAccount.class);
        assertThat(page.getTotalSize()).isEqualTo(4500);
        assertThat(page.getRecords()).hasSize(2000);
        assertThat(page.getRecords().get(0).getSystemModstamp()).isNotNull();
        List<String> read = new ArrayList<>(ids(page.getRecords()));
        int pages = 1;
        while (!page.getDone()) {
            page = producer.requestBody("salesforce:queryMore?" + RECORDS, page.getNextRecordsUrl(), QueryRecordsAccount.class);
            read.addAll(ids(page.getRecords()));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(read).containsExactlyElementsOf(created);
    }

    @Test
    void aStreamedQueryFollowsTheLocatorsByItself(SalesforceSimulator sf) {
        List<String> created = TestRecords.accounts(sf, 4500);
        Iterator<?> rows = producer.requestBody("salesforce:query?streamQueryResult=true&" + RECORDS, "SELECT Id, Name FROM Account", Iterator.class);
        List<String> read = new ArrayList<>();
        rows.forEachRemaining(r -> read.add(((Account) r).getId()));
        assertThat(read).containsExactlyElementsOf(created);
        assertThat(sf.calls().calls("REST", "queryMore")).hasSize(2);
    }

    @Test
    void queryAllSeesTheDeletedRecord(SalesforceSimulator sf) {
        List<String> created = TestRecords.accounts(sf, 3);
        TestRecords.delete(sf, created.get(1));
        String soql = "SELECT Id, Name, IsDeleted FROM Account WHERE IsDeleted = true";
        QueryRecordsAccount deleted = producer.requestBody("salesforce:queryAll?" + RECORDS, soql, QueryRecordsAccount.class);
        assertThat(ids(deleted.getRecords())).containsExactly(created.get(1));
        assertThat(deleted.getRecords().get(0).isIsDeleted()).isTrue();
        assertThat(producer.requestBody("salesforce:query?" + RECORDS, soql, QueryRecordsAccount.class).getRecords()).isEmpty();
    }

    @Test
    void createUpdateUpsertAndDeleteOneRecord(SalesforceSimulator sf) {
        CreateSObjectResult created = producer.requestBody("salesforce:createSObject", Account.named("Acme", "A-1"), CreateSObjectResult.class);
        assertThat(created.getSuccess()).isTrue();
        String id = created.getId();
        assertThat(sf.org().find(id).orElseThrow().get("Name")).isEqualTo("Acme");

        Account change = new Account();
        change.setId(id);
        change.setNumberOfEmployees(7);
        producer.requestBody("salesforce:updateSObject", change);
        assertThat(sf.org().find(id).orElseThrow().get("NumberOfEmployees")).isEqualTo(7.0);

        String byExternalId = "salesforce:upsertSObject?sObjectIdName=External_Id__c";
        UpsertSObjectResult inserted = producer.requestBody(byExternalId, Account.named("Globex", "G-1"), UpsertSObjectResult.class);
        assertThat(inserted.getCreated()).isTrue();
        UpsertSObjectResult updated = producer.requestBody(byExternalId, Account.named("Globex 2", "G-1"), UpsertSObjectResult.class);
        assertThat(updated.getCreated()).isFalse();
        assertThat(updated.getId()).isEqualTo(inserted.getId());
        assertThat(sf.org().find(inserted.getId()).orElseThrow().get("Name")).isEqualTo("Globex 2");

        Account gone = new Account();
        gone.setId(id);
        producer.requestBody("salesforce:deleteSObject", gone);
        assertThat(sf.org().find(id).orElseThrow().deleted()).isTrue();

        assertThatThrownBy(() -> producer.requestBody("salesforce:createSObject", Account.named(null, "X-1"), CreateSObjectResult.class))
                .isInstanceOf(CamelExecutionException.class)
                .satisfies(e -> {
                    SalesforceException cause = (SalesforceException) e.getCause();
                    assertThat(cause.getStatusCode()).isEqualTo(400);
                    assertThat(cause.getErrors()).extracting(RestError::getErrorCode).containsExactly("REQUIRED_FIELD_MISSING");
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSObjectCollectionsOperations(SalesforceSimulator sf) {
        List<SaveSObjectResult> created = producer.requestBody("salesforce:compositeCreateSObjectCollections",
                List.of(Account.named("A", "A-1"), Account.named(null, "A-2"), Account.named("C", "C-1")), List.class);
        assertThat(created).extracting(SaveSObjectResult::getSuccess).containsExactly(true, false, true);
        assertThat(created.get(1).getErrors()).extracting(RestError::getErrorCode).containsExactly("REQUIRED_FIELD_MISSING");
        String a = created.get(0).getId();
        String c = created.get(2).getId();

        Account changeA = new Account();
        changeA.setId(a);
        changeA.setNumberOfEmployees(1);
        Account changeC = new Account();
        changeC.setId(c);
        changeC.setNumberOfEmployees(3);
        List<SaveSObjectResult> updated = producer.requestBody("salesforce:compositeUpdateSObjectCollections", List.of(changeA, changeC), List.class);
        assertThat(updated).extracting(SaveSObjectResult::getSuccess).containsExactly(true, true);
        assertThat(sf.org().find(c).orElseThrow().get("NumberOfEmployees")).isEqualTo(3.0);

        List<UpsertSObjectResult> upserted = producer.requestBodyAndHeaders("salesforce:compositeUpsertSObjectCollections",
                List.of(Account.named("A again", "A-1"), Account.named("D", "D-1")),
                Map.of(SalesforceEndpointConfig.SOBJECT_NAME, "Account", SalesforceEndpointConfig.SOBJECT_EXT_ID_NAME, "External_Id__c"), List.class);
        assertThat(upserted).extracting(UpsertSObjectResult::getCreated).containsExactly(false, true);
        assertThat(upserted.get(0).getId()).isEqualTo(a);

        List<Account> retrieved = producer.requestBodyAndHeaders("salesforce:compositeRetrieveSObjectCollections", null,
                Map.of(SalesforceEndpointConfig.SOBJECT_IDS, List.of(a, c), SalesforceEndpointConfig.SOBJECT_FIELDS, List.of("Id", "Name", "NumberOfEmployees"),
                        SalesforceEndpointConfig.SOBJECT_NAME, "Account", SalesforceEndpointConfig.SOBJECT_CLASS, Account.class.getName()), List.class);
        assertThat(retrieved).extracting(Account::getName).containsExactly("A again", "C");
        assertThat(retrieved.get(1).getNumberOfEmployees()).isEqualTo(3);

        List<DeleteSObjectResult> deleted = producer.requestBodyAndHeader("salesforce:compositeDeleteSObjectCollections", List.of(a, c),
                SalesforceEndpointConfig.ALL_OR_NONE, false, List.class);
        assertThat(deleted).extracting(DeleteSObjectResult::getSuccess).containsExactly(true, true);
        assertThat(sf.org().count("Account")).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void allOrNoneRollsTheCollectionBack(SalesforceSimulator sf) {
        List<SaveSObjectResult> results = producer.requestBodyAndHeader("salesforce:compositeCreateSObjectCollections",
                List.of(Account.named("A", "A-1"), Account.named(null, "A-2")), SalesforceEndpointConfig.ALL_OR_NONE, true, List.class);
        assertThat(results).extracting(SaveSObjectResult::getSuccess).containsExactly(false, false);
        assertThat(results.get(0).getErrors()).extracting(RestError::getErrorCode).containsExactly("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(results.get(1).getErrors()).extracting(RestError::getErrorCode).containsExactly("REQUIRED_FIELD_MISSING");
        assertThat(sf.org().count("Account")).isZero();
    }
}
