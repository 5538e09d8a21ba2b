package io.pgforce.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator on its own:
 * {@code mvn -q compile exec:java -Dexec.mainClass=io.pgforce.simulator.SimulatorMain -Dexec.args="--port 8444"}.
 * Options: {@code --port N} (default 8444), {@code --schema FILE}, {@code --bulk-delay MS},
 * {@code --profile zero|org} (the latency profile, default zero).
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SalesforceSimulator.Builder builder = SalesforceSimulator.builder().port(8444);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> builder.port(Integer.parseInt(args[i + 1]));
                case "--schema" -> builder.schema(Path.of(args[i + 1]));
                case "--bulk-delay" -> builder.bulkProcessingDelay(Duration.ofMillis(Long.parseLong(args[i + 1])));
                case "--profile" -> builder.latencyProfile(LatencyProfile.named(args[i + 1]));
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + " (use --port, --schema, --bulk-delay, --profile)");
            }
        }
        SalesforceSimulator sf = builder.build().start();
        Credentials c = sf.credentials();
        System.out.println("Salesforce simulator listening on " + sf.loginUrl());
        System.out.println("  latency       " + sf.faults().profile().name() + " profile");
        System.out.println("  login URL     " + sf.loginUrl() + "  (OAuth: /services/oauth2/token, SOAP: /services/Soap/u/62.0)");
        System.out.println("  client id     " + c.clientId());
        System.out.println("  client secret " + c.clientSecret());
        System.out.println("  username      " + c.username());
        System.out.println("  password      " + c.password());
        System.out.println("  admin API     " + sf.loginUrl() + "/__sim/faults, /__sim/calls, /__sim/records/Account");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sf.close();
            stop.countDown();
        }));
        stop.await();
    }
}
