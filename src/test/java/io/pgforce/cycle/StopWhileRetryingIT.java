package io.pgforce.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgforce.bench.ChaosRun;
import io.pgforce.simulator.SalesforceSimulator;
import io.pgforce.testing.Simulators;
import io.pgforce.testing.UserSession;
import io.pgforce.testing.process.PackagedApp;
import io.pgforce.testing.process.ScratchPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop (SIGTERM) of the packaged application while a failed cycle waits for its retry:
 * the stop does not wait for the retry. It did while the retry was a delayed exchange of a route,
 * which Camel's graceful shutdown waited for until its own timeout (45 s) forced the route down.
 */
class StopWhileRetryingIT {

    /** Far beyond the stop's bound and Camel's shutdown timeout: the retry is pending all through the stop. */
    private static final String RETRY_DELAY = "60s";

    @Test
    void aStopWithARetryPendingEndsAtOnce() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "stop-it");
        ScratchPostgres pg = ScratchPostgres.shared();
        String url = pg.newDatabase("stop_it_" + System.currentTimeMillis() % 100_000_000);
        try (SalesforceSimulator sf = Simulators.forTest().build().start();
             PackagedApp app = PackagedApp.builder().shortRun().database(url, pg.user(), pg.password()).salesforce(sf.loginUrl(), sf.credentials())
                     .mapping(Files.writeString(dir.resolve("mapping.yaml"), ChaosRun.MAPPING.formatted("ordered"))).instanceId("stop-it")
                     .property("pgforce.read.enabled", "false") // only the write cycle fails and waits
                     .property("pgforce.retry.initial-delay", RETRY_DELAY).property("pgforce.retry.max-delay", RETRY_DELAY)
                     .log(dir.resolve("app.log")).build();
             UserSession db = UserSession.open(url, pg.user(), pg.password())) {
            sf.faults().refuseLogins(true);
            app.start().awaitStarted(Duration.ofSeconds(120));
            // the first cycle runs once this instance leads; its login is refused, so it fails and waits for its retry
            await("the first cycle's refused login").atMost(Duration.ofSeconds(30)).until(() -> {
                Timestamp led = leaseAcquiredAt(db);
                return led != null && sf.calls().calls("OAUTH", "token").stream().anyMatch(c -> c.at().isAfter(led.toInstant()));
            });

            long stopped = System.nanoTime();
            app.terminate();
            await("the graceful stop").atMost(Duration.ofSeconds(10)).until(() -> !app.isAlive());
            System.out.printf("stop-it: stopped %.1f s after SIGTERM with a retry pending%n", (System.nanoTime() - stopped) / 1e9);
            assertThat(app.logLines(1, "released the writer lease")).as("a graceful stop, which releases the lease").isNotEmpty();
        }
    }

    private static Timestamp leaseAcquiredAt(UserSession db) {
        try {
            return (Timestamp) db.scalar("SELECT acquired_at FROM salesforce._hc_writer WHERE owner = 'stop-it'");
        } catch (RuntimeException schemaNotYetInstalled) {
            return null;
        }
    }
}
