package io.pgforce.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator on its own, from the packaged application:
 * {@code java -jar target/quarkus-app/quarkus-run.jar simulator --port 8444}. Options:
 * {@code --port N} (default 8444; 0 for a free one), {@code --schema FILE}, {@code --bulk-delay MS},
 * {@code --profile zero|org} (the latency profile, default zero). A wrong option is one line and
 * exit status 2.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    private static final String USAGE = "usage: simulator [--port N] [--schema FILE] [--bulk-delay MS] [--profile zero|org]";

    public static void main(String[] args) throws InterruptedException {
        SalesforceSimulator.Builder builder = SalesforceSimulator.builder().port(8444);
        try {
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException(args[args.length - 1].startsWith("--") ? args[args.length - 1] + " needs a value" : "unexpected " + args[args.length - 1]);
            }
            for (int i = 0; i < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--port" -> builder.port(Integer.parseInt(value));
                    case "--schema" -> builder.schema(Path.of(value));
                    case "--bulk-delay" -> builder.bulkProcessingDelay(Duration.ofMillis(Long.parseLong(value)));
                    case "--profile" -> builder.latencyProfile(LatencyProfile.named(value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) { // NumberFormatException too
            System.err.println("simulator: " + e.getMessage() + "; " + USAGE);
            System.exit(2);
        }
        SalesforceSimulator sf;
        try {
            sf = builder.build().start();
        } catch (RuntimeException e) { // an unreadable schema file, a port in use
            System.err.println("simulator: " + e.getMessage());
            System.exit(1);
            return;
        }
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
