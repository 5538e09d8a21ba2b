package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sforce.soap.partner.Connector;
import com.sforce.soap.partner.DeleteResult;
import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.SaveResult;
import com.sforce.soap.partner.UpsertResult;
import com.sforce.soap.partner.fault.LoginFault;
import com.sforce.soap.partner.fault.UnexpectedErrorFault;
import com.sforce.soap.partner.sobject.SObject;
import com.sforce.ws.ConnectionException;
import com.sforce.ws.ConnectorConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Salesforce's own partner client (WSC), unchanged, against the simulator. */
@ExtendWith(SimulatorExtension.class)
class WscPartnerConformanceTest {

    private SalesforceSimulator sf;
    private PartnerConnection connection;

    @BeforeEach
    void login(SalesforceSimulator sf) throws ConnectionException {
        this.sf = sf;
        connection = SimulatorClients.partner(sf);
    }

    private static SObject account(String name, String externalId) {
        SObject a = new SObject();
        a.setType("Account");
        a.setField("Name", name);
        if (externalId != null) {
            a.setField("External_Id__c", externalId);
        }
        return a;
    }

    @Test
    void loginGivesASessionAndTheServerUrl() throws ConnectionException {
        assertThat(connection.getConfig().getSessionId()).startsWith(sf.org().orgId().substring(0, 15) + "!");
        assertThat(connection.getConfig().getServiceEndpoint()).startsWith(sf.loginUrl() + "/services/Soap/u/62.0/00D");
    }

    @Test
    void wrongPasswordIsALoginFault() {
        ConnectorConfig config = new ConnectorConfig();
        config.setUsername(sf.credentials().username());
        config.setPassword("wrong");
        config.setAuthEndpoint(sf.loginUrl() + "/services/Soap/u/62.0");
        assertThatThrownBy(() -> Connector.newConnection(config)).isInstanceOfSatisfying(LoginFault.class,
                f -> assertThat(f.getExceptionCode().toString()).isEqualTo("INVALID_LOGIN"));
    }

    @Test
    void createUpdateUpsertDeleteWithRecordErrors() throws ConnectionException {
        SObject noName = new SObject();
        noName.setType("Account");
        noName.setField("Description", "no name");
        SaveResult[] created = connection.create(new SObject[] {account("  Acme  ", "A-1"), noName});

        assertThat(created[0].isSuccess()).isTrue();
        assertThat(created[0].getId()).startsWith("001").hasSize(18);
        assertThat(created[1].isSuccess()).isFalse();
        assertThat(created[1].getErrors()[0].getStatusCode().toString()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(created[1].getErrors()[0].getMessage()).isEqualTo("Required fields are missing: [Name]");
        assertThat(created[1].getErrors()[0].getFields()).containsExactly("Name");
        assertThat(sf.org().find(created[0].getId()).orElseThrow().get("Name")).isEqualTo("Acme");

        SObject update = new SObject();
        update.setType("Account");
        update.setId(created[0].getId());
        update.setField("NumberOfEmployees", "12");
        update.setFieldsToNull(new String[] {"External_Id__c"});
        SaveResult[] updated = connection.update(new SObject[] {update});
        assertThat(updated[0].isSuccess()).isTrue();
        assertThat(sf.org().find(created[0].getId()).orElseThrow().get("NumberOfEmployees")).isEqualTo(12.0);
        assertThat(sf.org().find(created[0].getId()).orElseThrow().get("External_Id__c")).isNull();

        UpsertResult[] upserted = connection.upsert("External_Id__c", new SObject[] {account("Globex", "G-1"), account("Globex Corp", "G-1")});
        assertThat(upserted[0].isSuccess()).isTrue();
        assertThat(upserted[0].isCreated()).isTrue();
        assertThat(upserted[1].isCreated()).isFalse();
        assertThat(upserted[1].getId()).isEqualTo(upserted[0].getId());

        DeleteResult[] deleted = connection.delete(new String[] {created[0].getId()});
        assertThat(deleted[0].isSuccess()).isTrue();
        DeleteResult[] again = connection.delete(new String[] {created[0].getId()});
        assertThat(again[0].getErrors()[0].getStatusCode().toString()).isEqualTo("ENTITY_IS_DELETED");
    }

    @Test
    void anOAuthAccessTokenServesAsTheSessionId() throws Exception {
        String token = OAuthTestClient.passwordToken(sf).get("access_token").asText();
        ConnectorConfig config = new ConnectorConfig();
        config.setSessionId(token);
        config.setServiceEndpoint(sf.instanceUrl() + "/services/Soap/u/62.0");
        PartnerConnection byToken = Connector.newConnection(config);

        assertThat(byToken.create(new SObject[] {account("By token", null)})[0].isSuccess()).isTrue();
    }

    @Test
    void anExpiredSessionIsTheInvalidSessionIdFault() {
        sf.sessions().expireAll();
        assertThatThrownBy(() -> connection.create(new SObject[] {account("x", null)})).isInstanceOfSatisfying(UnexpectedErrorFault.class,
                f -> assertThat(f.getExceptionCode().toString()).isEqualTo("INVALID_SESSION_ID"));
    }

    @Test
    void moreThan200RecordsIsTheExceededIdLimitFault() {
        SObject[] many = new SObject[201];
        for (int i = 0; i < many.length; i++) {
            many[i] = account("n" + i, null);
        }
        assertThatThrownBy(() -> connection.create(many)).isInstanceOfSatisfying(UnexpectedErrorFault.class,
                f -> assertThat(f.getExceptionCode().toString()).isEqualTo("EXCEEDED_ID_LIMIT"));
        assertThat(sf.org().count("Account")).isZero();
    }

    @Test
    void anUnknownFieldIsTheInvalidFieldFault() {
        SObject bad = account("x", null);
        bad.setField("Nope__c", "1");
        assertThatThrownBy(() -> connection.create(new SObject[] {bad})).isInstanceOfSatisfying(com.sforce.soap.partner.fault.InvalidFieldFault.class,
                f -> assertThat(f.getExceptionMessage()).contains("No such column 'Nope__c' on entity 'Account'"));
    }

    @Test
    void faultsShowThroughTheSoapApi() throws ConnectionException {
        sf.faults().maintenance(true);
        SaveResult during = connection.create(new SObject[] {account("m", null)})[0];
        assertThat(during.getErrors()[0].getStatusCode().toString()).isEqualTo("INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE");
        sf.faults().maintenance(false);

        sf.faults().lockRows(1.0, 1);
        assertThat(connection.create(new SObject[] {account("l", null)})[0].getErrors()[0].getStatusCode().toString()).isEqualTo("UNABLE_TO_LOCK_ROW");
        sf.faults().lockRows(0, 1);

        // the JDK's HttpURLConnection, under WSC, silently sends a POST again when the connection drops:
        // both attempts are committed and lost, and a plain create duplicates (why pgforce upserts)
        sf.faults().loseResponses(2);
        assertThatThrownBy(() -> connection.create(new SObject[] {account("lost", null)})).isInstanceOf(ConnectionException.class);
        assertThat(sf.org().records("Account")).extracting(r -> r.get("Name")).as("committed all the same").containsExactly("lost", "lost");

        sf.faults().dailyApiLimit(sf.faults().apiRequests());
        assertThatThrownBy(() -> connection.create(new SObject[] {account("x", null)})).isInstanceOfSatisfying(UnexpectedErrorFault.class,
                f -> assertThat(f.getExceptionCode().toString()).isEqualTo("REQUEST_LIMIT_EXCEEDED"));
    }

    @Test
    void responsesCarryTheLimitInfoHeader() throws ConnectionException {
        connection.create(new SObject[] {account("a", null)});
        assertThat(connection.getLimitInfoHeader().getLimitInfo()[0].getType()).isEqualTo("API REQUESTS");
        assertThat(connection.getLimitInfoHeader().getLimitInfo()[0].getCurrent()).isPositive();
    }

    @Test
    void latencyIsAddedPerRecord() throws ConnectionException {
        SObject[] forty = new SObject[40];
        for (int i = 0; i < forty.length; i++) {
            forty[i] = account("n" + i, null);
        }
        sf.faults().latency(0, 5);
        long start = System.nanoTime();
        connection.create(forty);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(200));
    }
}
