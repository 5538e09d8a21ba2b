package io.pgforce.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.bench.ChaosRun;
import io.pgforce.testing.process.ScratchPostgres;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chaos suite, short (bench/chaos.sh is the long one): the packaged application and the
 * simulator in their own processes, on a PostgreSQL server of their own, a paced random workload,
 * three SIGKILLs and restarts of the application and Salesforce faults, then Salesforce must equal
 * PostgreSQL with every change finished and no application error. Runs after packaging (failsafe).
 */
class ChaosIT {

    @ParameterizedTest
    @ValueSource(strings = {"ordered", "merged"})
    void survivesKillsAndFaults(String algorithm) throws Exception {
        long seed = Long.getLong("chaos.seed", System.currentTimeMillis() % 100_000);
        ChaosRun.Result result = new ChaosRun(ScratchPostgres.shared(),
                ChaosRun.Settings.quick(algorithm, Integer.getInteger("chaos.kills", 3), seed, Path.of("target", "chaos-it"))).run();
        System.out.print(result.report());
        assertThat(result.passed()).as("seed %d:%n%s", seed, result.report()).isTrue();
    }
}
