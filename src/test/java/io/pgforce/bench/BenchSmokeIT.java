package io.pgforce.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole benchmark (bench/run.sh) with tiny sizes, so that the harness never rots: every
 * workload under every setting drains, and every ratio and reference point is computed and
 * written to the JSON. Its numbers mean nothing; bench/run.sh is the measurement.
 */
class BenchSmokeIT {

    @Test
    void everyWorkloadDrainsAndEveryRatioIsComputed() throws Exception {
        Path out = Path.of("target", "bench-smoke");
        Bench.run(BenchSizes.smoke(), out, 0);
        JsonNode r = new ObjectMapper().readTree(out.resolve("latest.json").toFile());

        List<String> measured = new ArrayList<>();
        Map<String, Long> soapCalls = new HashMap<>();
        for (JsonNode m : r.path("measurements")) {
            String name = m.path("workload").asText() + " " + m.path("algorithm").asText() + " " + m.path("profile").asText() + " c" + m.path("concurrency").asInt();
            measured.add(name);
            long soap = 0;
            for (JsonNode perOperation : m.path("soapCalls")) {
                soap += perOperation.asLong();
            }
            soapCalls.put(name, soap);
            assertThat(m.path("drained").asBoolean()).as(name).isTrue();
            assertThat(m.path("changes").asLong()).as(name).isPositive();
            assertThat(m.path("changesPerSecond").asDouble()).as(name).isPositive();
            assertThat(m.path("apiCalls").asText()).as(name).isNotBlank();
            assertThat(m.path("apiRequests").asLong()).as(name + ": requests against the daily allocation").isPositive();
            assertThat(m.path("peakRssMb").asDouble()).as(name).isPositive();
            if (m.path("profile").asText().equals("zero") && !m.path("workload").asText().matches("W6|MEM|READ-.*|WT")) {
                assertThat(m.path("bareSqlSeconds").asDouble()).as(name).isPositive();
                assertThat(m.path("simulatorAloneSeconds").asDouble()).as(name).isPositive();
                assertThat(m.path("replayMismatches").asInt()).as(name + ": the replay made other calls than pgforce").isZero();
                assertThat(m.path("overheadRatio").asDouble()).as(name).isPositive();
                assertThat(m.path("oneCallPerChangeSeconds").asDouble()).as(name).isPositive();
                assertThat(m.path("callsOverBound").asDouble()).as(name).isPositive();
            }
            if (m.path("workload").asText().equals("W6")) {
                assertThat(m.path("latency").path("changes").asLong()).as(name).isPositive();
                assertThat(m.path("latency").path("p99").asDouble()).as(name).isPositive();
                assertThat(m.path("latency").path("deadlocks").asInt()).as(name + ": application transactions pgforce deadlocked").isZero();
            }
            if (m.path("workload").asText().equals("READ-LOAD")) {
                assertThat(m.path("changes").asLong()).as(name).isEqualTo(BenchSizes.smoke().readLoadRows());
                assertThat(m.path("readApiCalls").path("BULK_QUERY create").asLong()).as(name + ": one Bulk query job").isEqualTo(1);
                assertThat(m.path("simulatorAloneSeconds").asDouble()).as(name).isPositive();
                assertThat(m.path("overheadRatio").asDouble()).as(name).isPositive();
            }
            if (m.path("workload").asText().equals("READ-LAG")) {
                assertThat(m.path("latency").path("changes").asLong()).as(name).isPositive();
                assertThat(m.path("latency").path("p99").asDouble()).as(name).isPositive();
                assertThat(m.path("pollIntervalSeconds").asDouble()).as(name).isPositive();
                assertThat(m.path("readApiCalls").path("REST queryAll").asLong()).as(name + ": its polls").isPositive();
            }
            if (m.path("workload").asText().equals("WT")) {
                assertThat(m.path("apiCalls").asText()).as(name).contains(m.path("algorithm").asText().equals("atomic") ? "Composite Graph" : "SOAP");
            }
            if (m.path("workload").asText().equals("W5 slice")) {
                assertThat(m.path("extrapolatedSeconds").asDouble()).as(name).isPositive();
            }
        }
        assertThat(measured).contains("W1 ordered zero c1", "W2 ordered zero c1", "W3 ordered zero c1", "W4 ordered zero c1", "W5 slice ordered zero c1",
                "W6 ordered zero c1", "W3 ordered-record zero c1", "W5 slice ordered-record zero c1", "W1 merged zero c1", "W2 merged zero c1", "W3 merged zero c1", "W4 merged zero c1", "W5 merged zero c1",
                "W6 merged zero c1", "W2 ordered org c1", "W2 ordered org c8", "W5 slice ordered org c1", "W5 slice ordered org c8",
                "W5 merged org c1", "W5 merged org c8", "MEM ordered zero c1",
                "READ-LOAD read zero c1", "READ-LAG read zero c1", "WT ordered zero c1", "WT atomic zero c1", "LOCK ordered org c8");
        // children of few parents at write_concurrency 8: pgforce's lanes keep a parent's children together, so no lock error
        JsonNode locks = r.path("locks");
        assertThat(locks.path("contacts").asInt()).as("the lock row").isEqualTo(BenchSizes.smoke().lockContacts());
        assertThat(locks.path("pgforceLockErrors").asLong()).as("pgforce's lock errors").isZero();
        assertThat(locks.path("naiveJobs").asInt()).as("the naive client's Bulk jobs").isGreaterThan(1);
        // ordering: record packs W3's unrelated parent/child pairs into shared calls; the log order cannot
        assertThat(soapCalls.get("W3 ordered-record zero c1")).as("W3's SOAP calls, ordering: record").isLessThan(soapCalls.get("W3 ordered zero c1") / 2);
        assertThat(r.path("concurrency")).hasSize(3).allSatisfy(c -> assertThat(c.path("sameState").asBoolean()).as(c.toString()).isTrue());
        assertThat(r.path("captureCost").path("rates")).hasSize(4)
                .allSatisfy(c -> assertThat(c.path("perSecond").path("STATEMENT_TRIGGERS").asDouble()).isPositive());
        assertThat(r.path("machine").path("postgresql").asText()).isNotBlank();
        assertThat(out.resolve("latest.md")).content().contains("| W1 ", "API requests / 1,000 changes", "Engine overhead", "p99", "| READ-LOAD ", "| READ-LAG ", "## Lock workload");
    }
}
