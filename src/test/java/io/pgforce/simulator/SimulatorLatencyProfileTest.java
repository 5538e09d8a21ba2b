package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.testing.Simulators;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Latency profiles: chosen by the builder or the admin API, concurrent SOAP calls that each take
 * one call's latency, Bulk jobs processed side by side at the profile's rate. Timings are only
 * compared with a single call or job measured in the same test.
 */
@ExtendWith(SimulatorExtension.class)
class SimulatorLatencyProfileTest {

    /** One connection per call in flight, as a client with a connection pool has. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private static HttpResponse<String> send(SalesforceSimulator sf, String method, String path, String token, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sf.instanceUrl() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return OAuthTestClient.JSON.readTree(r.body());
    }

    private static String token(SalesforceSimulator sf) throws Exception {
        return OAuthTestClient.passwordToken(sf).get("access_token").asText();
    }

    @Test
    void theAdminApiSwitchesTheProfileAndDeleteReturnsToTheStartingOne(SalesforceSimulator sf) throws Exception {
        assertThat(json(send(sf, "GET", "/__sim/faults", null, null, null)).get("profile").asText()).isEqualTo("zero");
        assertThat(json(send(sf, "POST", "/__sim/faults", null, "application/json", "{\"profile\": \"org\"}")).get("profile").asText()).isEqualTo("org");
        assertThat(sf.faults().profile()).isEqualTo(LatencyProfile.ORG);
        long start = System.nanoTime();
        OAuthTestClient.get(sf, "/services/data/", "x");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a REST call under org").isGreaterThanOrEqualTo(Duration.ofMillis(LatencyProfile.ORG.restCallMillis()));

        send(sf, "POST", "/__sim/faults", null, "application/json", "{\"profile\": \"zero\"}");
        assertThat(sf.faults().profile()).isEqualTo(LatencyProfile.ZERO);
        send(sf, "POST", "/__sim/faults", null, "application/json", "{\"profile\": \"ORG\"}");
        assertThat(json(send(sf, "DELETE", "/__sim/faults", null, null, null)).get("profile").asText()).isEqualTo("zero");
        assertThat(send(sf, "POST", "/__sim/faults", null, "application/json", "{\"profile\": \"slow\"}").statusCode()).isEqualTo(500);
        assertThat(sf.faults().profile()).isEqualTo(LatencyProfile.ZERO);
    }

    @Test
    void theBuilderChoosesTheProfileThatClearingFaultsReturnsTo() {
        try (SalesforceSimulator sf = Simulators.forTest().latencyProfile(LatencyProfile.ORG).build().start()) {
            assertThat(sf.faults().profile()).isEqualTo(LatencyProfile.ORG);
            sf.faults().profile(LatencyProfile.ZERO);
            sf.faults().clear();
            assertThat(sf.faults().profile()).isEqualTo(LatencyProfile.ORG);
            sf.reset();
            assertThat(sf.faults().profile()).isEqualTo(LatencyProfile.ORG);
        }
        assertThat(LatencyProfile.named(" Zero ")).isEqualTo(LatencyProfile.ZERO);
    }

    private static String createEnvelope(String token, int records) {
        StringBuilder sb = new StringBuilder("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns=\"urn:partner.soap.sforce.com\" "
                + "xmlns:s=\"urn:sobject.partner.soap.sforce.com\"><soapenv:Header><SessionHeader><sessionId>").append(token)
                .append("</sessionId></SessionHeader></soapenv:Header><soapenv:Body><create>");
        for (int i = 0; i < records; i++) {
            int n = NEXT.incrementAndGet();
            sb.append("<sObjects><s:type>Account</s:type><s:Name>Account ").append(n).append("</s:Name><s:External_Id__c>L-").append(n)
                    .append("</s:External_Id__c></sObjects>");
        }
        return sb.append("</create></soapenv:Body></soapenv:Envelope>").toString();
    }

    /** A SOAP create of 200 Accounts; returns how long it took. */
    private static Duration soapCreate(SalesforceSimulator sf, String token) throws Exception {
        String envelope = createEnvelope(token, 200);
        long start = System.nanoTime();
        HttpResponse<String> r = send(sf, "POST", "/services/Soap/u/62.0", null, "text/xml; charset=UTF-8", envelope);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("<success>false");
        return took;
    }

    /** Runs the task on {@code n} threads released at once; returns the wall time until the last is done. */
    private static <T> Duration concurrently(int n, Callable<T> task, List<T> results) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return Duration.ofNanos(System.nanoTime() - start);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eightConcurrentSoapCallsUnderOrgTakeAboutOneCallsLatency() throws Exception {
        try (SalesforceSimulator sf = Simulators.forTest().latencyProfile(LatencyProfile.ORG).build().start()) {
            String token = token(sf);
            soapCreate(sf, token); // the first call also warms up the XML parsers
            Duration single = soapCreate(sf, token);
            Duration latency = Duration.ofMillis(LatencyProfile.ORG.soapCallMillis() + 200 * LatencyProfile.ORG.soapMillisPerRecord());
            assertThat(single).isGreaterThanOrEqualTo(latency);

            List<Duration> each = new ArrayList<>();
            Duration eight = concurrently(8, () -> soapCreate(sf, token), each);

            assertThat(each).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(latency));
            assertThat(eight).as("8 calls side by side, one call alone taking " + single + "; one after the other would take 8 times that")
                    .isLessThan(single.multipliedBy(3));
            assertThat(sf.org().count("Account")).isEqualTo(10 * 200);
        }
    }

    private static String bulkCsv(int records) {
        StringBuilder csv = new StringBuilder("Name,External_Id__c\n");
        for (int i = 0; i < records; i++) {
            int n = NEXT.incrementAndGet();
            csv.append("Account ").append(n).append(",L-").append(n).append('\n');
        }
        return csv.toString();
    }

    /** Creates, uploads and closes an insert job of Accounts; returns its id and the state the close answered. */
    private static String[] closedJob(SalesforceSimulator sf, String token, String csv) throws Exception {
        String jobs = "/services/data/v62.0/jobs/ingest";
        String id = json(send(sf, "POST", jobs, token, "application/json", "{\"object\":\"Account\",\"operation\":\"insert\",\"lineEnding\":\"LF\"}"))
                .get("id").asText();
        assertThat(send(sf, "PUT", jobs + "/" + id + "/batches", token, "text/csv", csv).statusCode()).isEqualTo(201);
        String state = json(send(sf, "PATCH", jobs + "/" + id, token, "application/json", "{\"state\":\"UploadComplete\"}")).get("state").asText();
        return new String[] {id, state};
    }

    private static JsonNode jobInfo(SalesforceSimulator sf, String token, String id) throws Exception {
        return json(send(sf, "GET", "/services/data/v62.0/jobs/ingest/" + id, token, null, null));
    }

    /** A whole job of {@code records} Accounts, polled until JobComplete; returns how long it took. */
    private static Duration bulkJob(SalesforceSimulator sf, String token, int records) throws Exception {
        String csv = bulkCsv(records);
        long start = System.nanoTime();
        String[] job = closedJob(sf, token, csv);
        assertThat(job[1]).isEqualTo("UploadComplete");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> jobInfo(sf, token, job[0]).get("state").asText().equals("JobComplete"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        JsonNode done = jobInfo(sf, token, job[0]);
        assertThat(done.get("numberRecordsProcessed").asInt()).isEqualTo(records);
        assertThat(done.get("totalProcessingTime").asLong()).as("processing at the profile's rate")
                .isGreaterThanOrEqualTo(LatencyProfile.ORG.bulkProcessingMillis(records));
        return took;
    }

    @Test
    void bulkJobsUnderOrgAreProcessedSideBySide() throws Exception {
        try (SalesforceSimulator sf = Simulators.forTest().latencyProfile(LatencyProfile.ORG).build().start()) {
            String token = token(sf);
            Duration single = bulkJob(sf, token, 2_000);
            assertThat(single).isGreaterThanOrEqualTo(Duration.ofMillis(LatencyProfile.ORG.bulkQueueMillis() + LatencyProfile.ORG.bulkProcessingMillis(2_000)));

            List<Duration> each = new ArrayList<>();
            Duration six = concurrently(6, () -> bulkJob(sf, token, 2_000), each);

            assertThat(six).as("6 jobs side by side, one alone taking " + single + "; one after the other would take 6 times that")
                    .isLessThan(single.multipliedBy(3));
            assertThat(sf.org().count("Account")).isEqualTo(7 * 2_000);
        }
    }

    @Test
    void aJobShowsItsProgressWhileInProgressAndCanBeAbortedMidway(SalesforceSimulator sf) throws Exception {
        sf.faults().profile(new LatencyProfile("slow", 0, 0, 0, 0, 100)); // 1,000 records take 10 s
        String token = token(sf);
        String[] job = closedJob(sf, token, bulkCsv(1_000));
        assertThat(job[1]).isEqualTo("UploadComplete");

        await().atMost(Duration.ofSeconds(5)).until(() -> jobInfo(sf, token, job[0]).get("numberRecordsProcessed").asInt() > 0);
        int seen = jobInfo(sf, token, job[0]).get("numberRecordsProcessed").asInt();
        assertThat(jobInfo(sf, token, job[0]).get("state").asText()).isEqualTo("InProgress");
        await().atMost(Duration.ofSeconds(5)).until(() -> jobInfo(sf, token, job[0]).get("numberRecordsProcessed").asInt() > seen);

        String aborted = json(send(sf, "PATCH", "/services/data/v62.0/jobs/ingest/" + job[0], token, "application/json", "{\"state\":\"Aborted\"}"))
                .get("state").asText();
        assertThat(aborted).isEqualTo("Aborted");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            int processed = jobInfo(sf, token, job[0]).get("numberRecordsProcessed").asInt();
            long unprocessed = send(sf, "GET", "/services/data/v62.0/jobs/ingest/" + job[0] + "/unprocessedrecords", token, null, null).body().lines().count() - 1;
            return processed + unprocessed == 1_000;
        });
        int processed = jobInfo(sf, token, job[0]).get("numberRecordsProcessed").asInt();
        assertThat(processed).isBetween(seen + 1, 999);
        assertThat(sf.org().count("Account")).isEqualTo(processed);
    }
}
