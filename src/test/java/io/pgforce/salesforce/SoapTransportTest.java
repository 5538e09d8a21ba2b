package io.pgforce.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.EndToEnd;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.cxf.jaxws.CxfEndpoint;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.transport.http.URLConnectionHTTPConduit;
import org.junit.jupiter.api.Test;

/**
 * The HTTP client under the SOAP route's endpoint: a lane sends its call on its own thread
 * (URLConnectionHTTPConduit). Quarkus CXF's default client hands each message to an event loop,
 * 4 KB at a time, and back: at the zero profile that cost a 200-record call 25 ms where the call
 * itself took 7.5 (docs/benchmarks.md, "Where a drain's time goes").
 */
@QuarkusTest
@EndToEnd
class SoapTransportTest {

    @Inject
    CamelContext camel;

    @Test
    void theSoapEndpointSendsOnTheLanesThread() throws Exception {
        CxfEndpoint soap = camel.getEndpoints().stream()
                .filter(CxfEndpoint.class::isInstance).map(CxfEndpoint.class::cast)
                .findFirst().orElseThrow();
        Client client = soap.createClient();
        try {
            assertThat(client.getConduit()).isExactlyInstanceOf(URLConnectionHTTPConduit.class); // HttpClientHTTPConduit extends it
        } finally {
            client.destroy();
        }
    }
}
