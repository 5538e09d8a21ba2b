package io.pgforce.bench;

import io.pgforce.simulator.LatencyProfile;
import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.testing.Simulators;
import java.net.http.HttpResponse;

/**
 * The reference "one call per change", what a hand-written integration does: a single-record SOAP
 * create per change, one after the other, on a simulator of its own at the given profile. Measured
 * on a sample and extrapolated to each workload's size (labelled so in the results).
 */
final class SingleCalls {

    private SingleCalls() {
    }

    /** Seconds one single-record call takes, the mean over {@code calls} (after a warm-up at the zero profile). */
    static double secondsPerCall(LatencyProfile profile, int calls) throws Exception {
        try (SalesforceSimulator sf = Simulators.forBench(profile).build().start()) {
            String token = BenchHttp.token(sf);
            sf.faults().profile(LatencyProfile.ZERO);
            call(sf, token, Math.min(200, 4 * calls)); // the JIT warms up on the client and the server alike
            sf.faults().profile(profile);
            long start = System.nanoTime();
            call(sf, token, calls);
            return (System.nanoTime() - start) / 1e9 / calls;
        }
    }

    private static void call(SalesforceSimulator sf, String token, int calls) throws Exception {
        for (int i = 0; i < calls; i++) {
            HttpResponse<String> r = BenchHttp.send("POST", sf.instanceUrl() + "/services/Soap/u/62.0", token, "text/xml", SimulatorBench.envelope(token, 1));
            if (r.statusCode() != 200 || r.body().contains("<success>false")) {
                throw new IllegalStateException("create failed: " + r.body());
            }
        }
    }
}
