package io.pgforce.salesforce;

import static io.pgforce.salesforce.SalesforceFailures.Kind.CREDENTIALS_REFUSED;
import static io.pgforce.salesforce.SalesforceFailures.Kind.RECORDS_FAILED;
import static io.pgforce.salesforce.SalesforceFailures.Kind.UNEXPECTED;
import static io.pgforce.salesforce.SalesforceFailures.Kind.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.connection.ConnectionState;
import io.pgforce.salesforce.SalesforceFailures.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.xml.namespace.QName;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.transport.http.HTTPException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every failure the SOAP and Bulk routes, the describe check and the login tell apart, and its kind. */
class SalesforceFailuresTest {

    private static final QName SOAP_SERVER = new QName("http://schemas.xmlsoap.org/soap/envelope/", "Server");

    static Stream<Arguments> failedCalls() {
        return Stream.of(
                // raised by pgforce itself: keep their kind
                Arguments.of("pgforce's outage", new SalesforceUnavailableException("no session"), WAIT),
                Arguments.of("pgforce's refusal", new SalesforceUnauthorizedException("refused", null), CREDENTIALS_REFUSED),
                // camel-salesforce (Bulk, REST)
                Arguments.of("401 after camel-salesforce's own re-login", status(401), CREDENTIALS_REFUSED),
                Arguments.of("no HTTP answer (status 0)", new SalesforceException("Unexpected error", new IOException("reset")), WAIT),
                Arguments.of("500", status(500), WAIT),
                Arguments.of("503", status(503), WAIT),
                Arguments.of("429", status(429), WAIT),
                Arguments.of("403 REQUEST_LIMIT_EXCEEDED", status(403, "REQUEST_LIMIT_EXCEEDED"), WAIT),
                Arguments.of("403 otherwise", status(403, "INSUFFICIENT_ACCESS"), UNEXPECTED),
                Arguments.of("a Bulk job over the org's daily quota (a query or an ingest job)", status(400, "ExceededQuota"), WAIT),
                Arguments.of("the quota in the simulator's spelling", status(400, "EXCEEDEDQUOTA"), WAIT),
                Arguments.of("the quota, wrapped as a route hands it over", new CamelExecutionException("failed", null, status(400, "ExceededQuota")), WAIT),
                Arguments.of("400", status(400, "INVALIDJOB"), UNEXPECTED),
                Arguments.of("404", status(404, "NOT_FOUND"), UNEXPECTED),
                Arguments.of("a status decides over an IOException beneath it", new SalesforceException("bad", 400, new IOException("x")), UNEXPECTED),
                Arguments.of("wrapped in Camel's exception", new CamelExecutionException("failed", null, status(503)), WAIT),
                // camel-cxf (SOAP)
                Arguments.of("INVALID_SESSION_ID", fault("INVALID_SESSION_ID"), CREDENTIALS_REFUSED),
                Arguments.of("maintenance", fault("INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE"), WAIT),
                Arguments.of("REQUEST_LIMIT_EXCEEDED fault", fault("REQUEST_LIMIT_EXCEEDED"), WAIT),
                Arguments.of("SERVER_UNAVAILABLE fault", fault("SERVER_UNAVAILABLE"), WAIT),
                Arguments.of("any other fault", fault("INVALID_FIELD"), RECORDS_FAILED),
                Arguments.of("a record-only code as a fault", fault("ALL_OR_NONE_OPERATION_ROLLED_BACK"), RECORDS_FAILED),
                Arguments.of("code before the colon of a soapenv fault", new SoapFault("SERVER_UNAVAILABLE: down", SOAP_SERVER), WAIT),
                Arguments.of("soapenv fault with another code", new SoapFault("UNKNOWN_EXCEPTION: oops", SOAP_SERVER), RECORDS_FAILED),
                Arguments.of("soapenv fault without a code", new SoapFault("oops", SOAP_SERVER), UNEXPECTED),
                Arguments.of("a fault's code decides over an IOException beneath it", new SoapFault("INVALID_FIELD: x", new IOException("x"),
                        new QName(PartnerNamespaces.FAULT, "INVALID_FIELD")), RECORDS_FAILED),
                Arguments.of("fault inside a RuntimeException", new RuntimeException(fault("SERVER_UNAVAILABLE")), WAIT),
                Arguments.of("HTTP 503 without a fault", http(503), WAIT),
                Arguments.of("HTTP 404 without a fault", http(404), UNEXPECTED),
                Arguments.of("an HTTP 4xx is an answer, though HTTPException is an IOException", new RuntimeException(new HTTPException(404, "x", url())),
                        UNEXPECTED),
                // no answer at all, either client
                Arguments.of("refused connection", new ConnectException("refused"), WAIT),
                Arguments.of("lost response (wrapped)", new RuntimeException(new IOException("Premature EOF")), WAIT),
                Arguments.of("socket timeout", new SocketTimeoutException("read timed out"), WAIT),
                Arguments.of("timeout", new RuntimeException(new TimeoutException("30 s")), WAIT),
                // anything else
                Arguments.of("a bug", new IllegalStateException("results for 2 of 3 records"), UNEXPECTED),
                Arguments.of("no exception at all", null, UNEXPECTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failedCalls")
    void aFailedCall(String name, Throwable failure, Kind expected) {
        assertThat(SalesforceFailures.classify(failure)).isEqualTo(expected);
    }

    @Test
    void aRecordsErrorWaitsOnlyForAnOutage() {
        for (String code : List.of("INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE", "REQUEST_LIMIT_EXCEEDED", "SERVER_UNAVAILABLE",
                "ALL_OR_NONE_OPERATION_ROLLED_BACK")) {
            assertThat(SalesforceFailures.classify(RecordError.fromSalesforce(code, "m", List.of()))).as(code).isEqualTo(WAIT);
        }
        for (String code : List.of("UNABLE_TO_LOCK_ROW", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "REQUIRED_FIELD_MISSING", "INVALID_SESSION_ID",
                "ENTITY_IS_DELETED")) {
            assertThat(SalesforceFailures.classify(RecordError.fromSalesforce(code, "m", List.of()))).as(code).isEqualTo(RECORDS_FAILED);
        }
    }

    @Test
    void theSpentAllocationWaitsInAStateOfItsOwn() {
        assertThat(SalesforceFailures.waiting("Bulk", status(403, "REQUEST_LIMIT_EXCEEDED"))).isInstanceOf(ApiAllocationSpentException.class)
                .extracting(SalesforceUnavailableException::state).isEqualTo(ConnectionState.WAITING_FOR_API_ALLOCATION);
        assertThat(SalesforceFailures.waiting("SOAP", fault("REQUEST_LIMIT_EXCEEDED"))).isInstanceOf(ApiAllocationSpentException.class);
        assertThat(SalesforceFailures.waiting("SOAP", fault("SERVER_UNAVAILABLE"))).isNotInstanceOf(ApiAllocationSpentException.class);
        assertThat(SalesforceFailures.waiting("REST", status(503, "SERVER_UNAVAILABLE"))).isNotInstanceOf(ApiAllocationSpentException.class);
    }

    @Test
    void aLoginAnswered400Or401IsRefusedAndAnyOtherFailedLoginWaits() {
        assertThat(SalesforceFailures.classifyLogin(status(400, "invalid_grant"))).isEqualTo(CREDENTIALS_REFUSED);
        assertThat(SalesforceFailures.classifyLogin(status(401))).isEqualTo(CREDENTIALS_REFUSED);
        for (int status : new int[] {0, 403, 404, 429, 500, 503}) {
            assertThat(SalesforceFailures.classifyLogin(status(status))).as("%d", status).isEqualTo(WAIT);
        }
    }

    @Test
    void anErrorCodeIsMatchedInEitherOfItsSpellings() {
        assertThat(SalesforceFailures.quotaExceeded(new IllegalStateException("failed", status(400, "ExceededQuota")))).isTrue();
        assertThat(SalesforceFailures.quotaExceeded(status(400, "INVALID_FIELD"))).isFalse();
        assertThat(SalesforceFailures.quotaExceeded(new IllegalStateException("no answer"))).isFalse();
        assertThat(SalesforceFailures.answeredWith(status(400, "InvalidLocator"), "INVALID_LOCATOR")).isTrue();
        assertThat(SalesforceFailures.answeredWith(status(400, "INVALID_QUERY_LOCATOR"), "InvalidQueryLocator")).isTrue();
    }

    @Test
    void notFoundIsA404OrNotFoundAnywhereInTheChain() {
        assertThat(SalesforceFailures.notFound(new CamelExecutionException("failed", null, status(404)))).isTrue();
        assertThat(SalesforceFailures.notFound(status(400, "NOT_FOUND"))).isTrue();
        assertThat(SalesforceFailures.notFound(status(503))).isFalse();
        assertThat(SalesforceFailures.notFound(new IOException("reset"))).isFalse();
    }

    @Test
    void theFaultCodeIsReadFromThePartnerNamespaceOrBeforeTheColon() {
        assertThat(SalesforceFailures.faultCode(new RuntimeException(fault("INVALID_FIELD")))).isEqualTo("INVALID_FIELD");
        assertThat(SalesforceFailures.faultCode(new SoapFault("INVALID_TYPE: sObject type 'X' is not supported", SOAP_SERVER))).isEqualTo("INVALID_TYPE");
        assertThat(SalesforceFailures.faultCode(new SoapFault("Invalid: lower case", SOAP_SERVER))).isNull();
        assertThat(SalesforceFailures.faultCode(new IOException("x"))).isNull();
    }

    private static SalesforceException status(int status) {
        return new SalesforceException("HTTP " + status, status);
    }

    private static SalesforceException status(int status, String errorCode) {
        return new SalesforceException(List.of(new RestError(errorCode, "message")), status);
    }

    private static SoapFault fault(String code) {
        return new SoapFault(code + ": message", new QName(PartnerNamespaces.FAULT, code));
    }

    private static HTTPException http(int status) {
        return new HTTPException(status, "status " + status, url());
    }

    private static URL url() {
        try {
            return new URL("http://127.0.0.1/services/Soap/u/62.0");
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
