package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.junit.jupiter.api.Test;

/** What a failed read means, from Salesforce's answer: which Bulk query answers wait, which replace the job, which are errors. */
class ReadFailuresTest {

    private static Exception answered(int status, String code) {
        // wrapped, as a route may hand it over
        return new IllegalStateException("failed", new SalesforceException(List.of(new RestError(code, "a message")), status));
    }

    @Test
    void aQueryJobRefusedOverTheDailyQuotaWaitsInEitherSpelling() {
        // the classifier's WAIT (SalesforceFailures): the read side only acts on the kind
        assertThat(ReadFailures.waits(answered(400, "EXCEEDEDQUOTA"))).isTrue();
        assertThat(ReadFailures.waits(answered(400, "ExceededQuota"))).isTrue();
    }

    @Test
    void aRefusedLocatorIsNoWaitButTheJobsReplacement() {
        assertThat(ReadFailures.locatorRefused(answered(400, "INVALID_QUERY_LOCATOR"))).isTrue();
        assertThat(ReadFailures.locatorRefused(answered(400, "InvalidLocator"))).isTrue();
        assertThat(ReadFailures.waits(answered(400, "INVALID_QUERY_LOCATOR"))).isFalse();
    }

    @Test
    void anyOtherRefusalIsAnErrorAndAnOutageStillWaits() {
        assertThat(ReadFailures.waits(answered(400, "INVALID_FIELD"))).isFalse();
        assertThat(ReadFailures.locatorRefused(answered(400, "INVALID_FIELD"))).isFalse();
        assertThat(ReadFailures.waits(answered(503, "SERVER_UNAVAILABLE"))).isTrue();
    }
}
