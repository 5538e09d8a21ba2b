package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.process.PackagedApp;
import io.pgforce.testing.process.SimulatorProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged application's {@code simulator} command: an org on a laptop, no engine, and one line for a wrong option. */
class SimulatorLauncherIT {

    @Test
    void thePackagedApplicationRunsTheSimulatorOnItsOwn() {
        try (SimulatorProcess sf = SimulatorProcess.start(Path.of("target/simulator-launcher-it.log"), "--profile", "org")) {
            assertThat(sf.faults("{}").path("profile").asText()).isEqualTo("org");
            assertThat(sf.records("Account")).isEmpty();
        }
    }

    @Test
    void aWrongOptionIsOneLineAndExitStatusTwo() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(PackagedApp.java(), "-jar", PackagedApp.defaultJar().toString(), "simulator", "--colour", "blue"))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).isEqualTo("simulator: unknown option --colour; usage: simulator [--port N] [--schema FILE] [--bulk-delay MS] [--profile zero|org]");
    }
}
