package io.pgforce.testing;

import io.pgforce.simulator.Credentials;
import io.pgforce.simulator.LatencyProfile;
import io.pgforce.simulator.SalesforceSimulator;
import java.time.Duration;
import java.util.Map;

/**
 * How the tests and the benchmark (bench/src, compiled with the tests) start a simulated org in
 * this JVM, and how pgforce is pointed at one. Both start from {@link SalesforceSimulator#builder()},
 * the path the packaged launcher ({@code simulator} command) takes too: a free port on 127.0.0.1,
 * the default org and credentials. What differs between a test's org and a benchmark's is said
 * here once; a caller adds only its own options (a schema file, a clock, request recording).
 */
public final class Simulators {

    /**
     * How long a closed Bulk job waits before it is processed in tests: short, so a test does not
     * wait, but long enough that pgforce polls a job that is still in progress.
     */
    public static final Duration TEST_BULK_DELAY = Duration.ofMillis(20);

    private Simulators() {
    }

    /** A test's org: Bulk jobs processed after {@link #TEST_BULK_DELAY}, answers at the zero latency profile. */
    public static SalesforceSimulator.Builder forTest() {
        return SalesforceSimulator.builder().bulkProcessingDelay(TEST_BULK_DELAY);
    }

    /** A benchmark's org: answers at {@code profile}, which is all of its timing (no extra Bulk delay). */
    public static SalesforceSimulator.Builder forBench(LatencyProfile profile) {
        return SalesforceSimulator.builder().latencyProfile(profile).bulkProcessingDelay(Duration.ZERO);
    }

    /** pgforce's settings for logging in to an org with the OAuth password flow: the test application's and a packaged pgforce's alike. */
    public static Map<String, String> loginProperties(String loginUrl, Credentials c) {
        return Map.of(
                "camel.component.salesforce.login-url", loginUrl,
                "camel.component.salesforce.client-id", c.clientId(),
                "camel.component.salesforce.client-secret", c.clientSecret(),
                "camel.component.salesforce.user-name", c.username(),
                "camel.component.salesforce.password", c.password());
    }
}
