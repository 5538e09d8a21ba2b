package io.pgforce.bench;

import io.pgforce.simulator.CallLog;
import io.pgforce.simulator.LatencyProfile;
import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.testing.Simulators;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How fast the simulator takes writes at zero latency: SOAP creates of 200-record messages (from
 * one and from two client threads) and Bulk API 2.0 ingest jobs of 10,000 and 50,000 records.
 * The server's own share of the time comes from its call log. Compare with the whole benchmark
 * (Bench): pgforce end to end must be far slower than these, or the simulator would be the bottleneck.
 */
public final class SimulatorBench {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private SimulatorBench() {
    }

    public static void main(String[] args) throws Exception {
        try (SalesforceSimulator sf = Simulators.forBench(LatencyProfile.ZERO).build().start()) {
            String token = BenchHttp.token(sf);
            soap(sf, token, 20, 1); // warm-up
            sf.reset();
            System.out.println("SOAP create, 200 records per message");
            for (int threads : new int[] {1, 2}) {
                sf.calls().clear();
                double rate = soap(sf, token, 100, threads);
                long serverMillis = sf.calls().calls("SOAP", "create").stream().mapToLong(CallLog.Call::durationMillis).sum();
                System.out.printf("  %d client thread(s): %,.0f records/s; server busy %.0f%% of the wall time%n", threads, rate,
                        100.0 * serverMillis / threads / (100 * 200 / rate * 1000));
            }
            System.out.println("Bulk API 2.0 ingest (create, upload, close, poll to JobComplete)");
            for (int records : new int[] {10_000, 50_000}) {
                bulk(sf, token, 2_000); // warm-up
                double rate = bulk(sf, token, records);
                System.out.printf("  %,d records: %,.0f records/s%n", records, rate);
            }
        }
    }

    /** Records per second over {@code calls} create calls of 200 Accounts. */
    static double soap(SalesforceSimulator sf, String token, int calls, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < calls / threads; i++) {
                    HttpResponse<String> r = BenchHttp.send("POST", sf.instanceUrl() + "/services/Soap/u/62.0", token, "text/xml", envelope(token, 200));
                    if (r.statusCode() != 200 || r.body().contains("<success>false")) {
                        throw new IllegalStateException("create failed: " + r.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return calls * 200.0 / ((System.nanoTime() - start) / 1e9);
    }

    /** A SOAP create of {@code records} Accounts, each with an external ID of its own. */
    static String envelope(String token, int records) {
        StringBuilder sb = new StringBuilder("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns=\"urn:partner.soap.sforce.com\" "
                + "xmlns:s=\"urn:sobject.partner.soap.sforce.com\"><soapenv:Header><SessionHeader><sessionId>").append(token)
                .append("</sessionId></SessionHeader></soapenv:Header><soapenv:Body><create>");
        for (int i = 0; i < records; i++) {
            int n = NEXT.incrementAndGet();
            sb.append("<sObjects><s:type>Account</s:type><s:Name>Account ").append(n).append("</s:Name><s:External_Id__c>B-").append(n)
                    .append("</s:External_Id__c><s:NumberOfEmployees>").append(n % 1000).append("</s:NumberOfEmployees></sObjects>");
        }
        return sb.append("</create></soapenv:Body></soapenv:Envelope>").toString();
    }

    /** Records per second for one ingest job of {@code records} upserts. */
    static double bulk(SalesforceSimulator sf, String token, int records) throws Exception {
        String base = sf.instanceUrl() + "/services/data/v62.0/jobs/ingest";
        StringBuilder csv = new StringBuilder("Name,External_Id__c,NumberOfEmployees\n");
        for (int i = 0; i < records; i++) {
            int n = NEXT.incrementAndGet();
            csv.append("Account ").append(n).append(",B-").append(n).append(',').append(n % 1000).append('\n');
        }
        long start = System.nanoTime();
        String id = BenchHttp.json(BenchHttp.send("POST", base, token, "application/json",
                "{\"object\":\"Account\",\"operation\":\"upsert\",\"externalIdFieldName\":\"External_Id__c\",\"contentType\":\"CSV\",\"lineEnding\":\"LF\"}"))
                .get("id").asText();
        BenchHttp.send("PUT", base + "/" + id + "/batches", token, "text/csv", csv.toString());
        BenchHttp.send("PATCH", base + "/" + id, token, "application/json", "{\"state\":\"UploadComplete\"}");
        String state;
        do {
            state = BenchHttp.json(BenchHttp.send("GET", base + "/" + id, token, null, null)).get("state").asText();
        } while (!state.equals("JobComplete") && !state.equals("Failed"));
        if (!state.equals("JobComplete")) {
            throw new IllegalStateException("job " + id + " ended " + state);
        }
        return records / ((System.nanoTime() - start) / 1e9);
    }
}
