package io.pgforce.bench;

import io.pgforce.simulator.LatencyProfile;
import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.testing.Simulators;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The LOCK workload written the naive way, for comparison with pgforce's lock-aware lanes (pgforce
 * has no switch to turn them off): the same contacts in log order (parents round-robin), cut into
 * Bulk API 2.0 insert jobs of a fixed size, {@code concurrency} jobs at once, over plain HTTP to a
 * fresh simulator at the org profile, its record locks and 10 s lock wait as they are. Every job's
 * slices name every parent, so concurrent jobs lock each other's parents.
 */
final class NaiveLockWrites {

    /**
     * @param jobs        Bulk jobs run
     * @param seconds     from the first job's creation to the last one finished
     * @param lockErrors  records the simulator refused with UNABLE_TO_LOCK_ROW (a lock held past the wait)
     * @param contended   Bulk slices that found a parent locked and waited for it
     * @param failed      records the jobs reported failed, for any reason
     */
    record Result(int jobs, double seconds, long lockErrors, long contended, long failed) {
    }

    private NaiveLockWrites() {
    }

    static Result run(int contacts, int accounts, int jobSize, int concurrency) throws Exception {
        try (SalesforceSimulator sf = Simulators.forBench(LatencyProfile.ZERO).build().start()) {
            String token = BenchHttp.token(sf);
            StringBuilder parents = new StringBuilder("Name,External_Id__c\n");
            for (int a = 1; a <= accounts; a++) {
                parents.append("Account ").append(a).append(',').append(Workloads.LOCK_ACCOUNT).append(a).append('\n');
            }
            job(sf, token, "Account", parents.toString()); // the seed, at the zero profile as the rig's
            sf.faults().profile(LatencyProfile.ORG);
            long refusedBefore = sf.locks().refused();
            long contendedBefore = sf.locks().contended();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            try {
                long start = System.nanoTime();
                List<Future<Long>> done = new ArrayList<>();
                for (int from = 1; from <= contacts; from += jobSize) {
                    int first = from;
                    int last = Math.min(contacts, from + jobSize - 1);
                    done.add(pool.submit(() -> job(sf, token, "Contact", contactsCsv(first, last, accounts))));
                }
                long failed = 0;
                for (Future<Long> f : done) {
                    failed += f.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result(done.size(), seconds, sf.locks().refused() - refusedBefore, sf.locks().contended() - contendedBefore, failed);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Contacts {@code first..last} as LOCK inserts them, each naming its account by external ID. */
    private static String contactsCsv(int first, int last, int accounts) {
        StringBuilder csv = new StringBuilder("LastName,Email,External_Id__c,Account.External_Id__c\n");
        for (int g = first; g <= last; g++) {
            csv.append("Last ").append(g).append(",c").append(g).append("@example.com,lk-c-").append(g).append(',')
                    .append(Workloads.lockAccount(g, accounts)).append('\n');
        }
        return csv.toString();
    }

    /** One insert job: created, its CSV uploaded, closed, polled until finished; returns its failed records. */
    private static long job(SalesforceSimulator sf, String token, String object, String csv) throws Exception {
        String base = sf.instanceUrl() + "/services/data/v62.0/jobs/ingest";
        String id = BenchHttp.json(BenchHttp.send("POST", base, token, "application/json",
                "{\"object\":\"" + object + "\",\"operation\":\"insert\",\"contentType\":\"CSV\",\"lineEnding\":\"LF\"}")).get("id").asText();
        BenchHttp.send("PUT", base + "/" + id + "/batches", token, "text/csv", csv);
        BenchHttp.send("PATCH", base + "/" + id, token, "application/json", "{\"state\":\"UploadComplete\"}");
        while (true) {
            var info = BenchHttp.json(BenchHttp.send("GET", base + "/" + id, token, null, null));
            String state = info.get("state").asText();
            if (state.equals("JobComplete")) {
                return info.path("numberRecordsFailed").asLong();
            }
            if (state.equals("Failed") || state.equals("Aborted")) {
                throw new IllegalStateException(object + " job " + id + " ended " + state + ": " + info);
            }
            Thread.sleep(20);
        }
    }
}
