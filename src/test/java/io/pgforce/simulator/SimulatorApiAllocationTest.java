package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sforce.soap.partner.LimitInfo;
import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.fault.UnexpectedErrorFault;
import com.sforce.soap.partner.sobject.SObject;
import io.pgforce.testing.Simulators;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The org's daily API request allocation as Salesforce keeps it, over a rolling 24 hours on a clock
 * the test moves: every SOAP answer but login's carries LimitInfoHeader (read by Salesforce's WSC),
 * every REST answer, Bulk API 2.0 included, carries {@code Sforce-Limit-Info} (read by
 * camel-salesforce), a request over the allocation is refused with REQUEST_LIMIT_EXCEEDED, and a
 * test sets how much of it other integrations used.
 */
class SimulatorApiAllocationTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2030-01-01T10:00:00Z"));
    private SalesforceSimulator sf;

    @BeforeEach
    void start() {
        sf = Simulators.forTest().clock(clock).tokenTtl(Duration.ofDays(7)).build().start();
    }

    @AfterEach
    void stop() {
        sf.close();
    }

    private static LimitInfo apiRequests(PartnerConnection connection) {
        LimitInfo info = connection.getLimitInfoHeader().getLimitInfo()[0];
        assertThat(info.getType()).isEqualTo("API REQUESTS");
        return info;
    }

    private static void create(PartnerConnection connection) throws Exception {
        connection.create(new SObject[] {SimulatorClients.sobject("Account", "Name", "A")});
    }

    @Test
    void soapAnswersCarryTheUsageAndTheSpentAllocationIsRefused() throws Exception {
        PartnerConnection connection = SimulatorClients.partner(sf);
        sf.faults().dailyApiLimit(1000).apiRequestsUsed(997);
        create(connection);
        assertThat(apiRequests(connection).getCurrent()).isEqualTo(998);
        assertThat(apiRequests(connection).getLimit()).isEqualTo(1000);
        create(connection);
        create(connection);
        assertThat(apiRequests(connection).getCurrent()).isEqualTo(1000);

        assertThatThrownBy(() -> create(connection)).isInstanceOfSatisfying(UnexpectedErrorFault.class, f -> {
            assertThat(f.getExceptionCode().toString()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
            assertThat(f.getExceptionMessage()).isEqualTo("TotalRequests Limit exceeded.");
        });
    }

    @Test
    void theAllocationRecoversOverARolling24Hours() throws Exception {
        PartnerConnection connection = SimulatorClients.partner(sf);
        sf.faults().dailyApiLimit(10).apiRequestsUsed(6);
        clock.advance(Duration.ofHours(12));
        for (int i = 0; i < 4; i++) {
            create(connection);
        }
        assertThat(sf.faults().apiRequests()).isEqualTo(10);
        assertThatThrownBy(() -> create(connection)).isInstanceOf(UnexpectedErrorFault.class);

        clock.advance(Duration.ofHours(12).plusMinutes(1));
        assertThat(sf.faults().apiRequests()).as("the 6 of a day ago are gone, the 4 of 12 hours ago and the refused one count").isEqualTo(5);
        create(connection);
        assertThat(apiRequests(connection).getCurrent()).isEqualTo(6);

        clock.advance(Duration.ofHours(24));
        assertThat(sf.faults().apiRequests()).isZero();
    }

    @Test
    void restAndBulkAnswersCarryTheUsageAsCamelSalesforceSeesIt() throws Exception {
        sf.faults().dailyApiLimit(50_000).apiRequestsUsed(40_000);
        try (CamelContext camel = SimulatorClients.camel(SimulatorClients.salesforce(sf))) {
            ProducerTemplate producer = camel.createProducerTemplate();
            Exchange limits = producer.request("salesforce:limits", e -> { });
            assertThat(limits.getException()).isNull();
            assertThat(limits.getMessage().getHeader("Sforce-Limit-Info", String.class)).isEqualTo("api-usage=40001/50000");

            Exchange jobs = producer.request("salesforce:bulk2GetAllJobs", e -> { });
            assertThat(jobs.getException()).isNull();
            assertThat(jobs.getMessage().getHeader("Sforce-Limit-Info", String.class)).isEqualTo("api-usage=40002/50000");
        }
    }

    @Test
    void theAdminApiSetsTheUsage() throws Exception {
        HttpResponse<String> set = OAuthTestClient.HTTP.send(HttpRequest.newBuilder(URI.create(sf.loginUrl() + "/__sim/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"dailyApiLimit\": 1000, \"apiRequests\": 900}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(RestTestClient.json(set).get("apiRequests").asLong()).isEqualTo(900);
        assertThat(sf.faults().apiRequests()).isEqualTo(900);
        assertThat(sf.faults().dailyApiLimit()).isEqualTo(1000);
    }
}
