package io.pgforce;

import io.pgforce.admin.cli.PgforceCli;
import io.pgforce.config.InvalidConfigurationException;
import io.pgforce.simulator.SimulatorMain;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.Arrays;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * pgforce's entry point (quarkus.package.main-class; not a @QuarkusMain, which would stop Camel
 * Quarkus from starting Camel by itself). A configuration pgforce cannot run with stops start-up
 * with the one line that says what to fix and a non-zero exit code; Quarkus and Camel would print
 * that line wrapped in pages of stack traces. Any other start-up failure is logged in full.
 */
public final class PgforceMain {

    private PgforceMain() {
    }

    /**
     * Without arguments the engine starts (its settings are -D options and the environment). With
     * arguments this is the CLI, which only calls a running pgforce, or {@code simulator}, which
     * runs the Salesforce simulator on its own: a mistyped command is the CLI's usage error, never
     * an engine that installs the schema and contends for the lease.
     */
    public static void main(String... args) throws InterruptedException {
        if (args.length == 0) {
            Quarkus.run(null, PgforceMain::exit);
        } else if ("simulator".equals(args[0])) {
            SimulatorMain.main(Arrays.copyOfRange(args, 1, args.length));
        } else {
            PgforceCli.main(args);
        }
    }

    /** Called by Quarkus when the application ends; given an exit handler, Quarkus itself logs nothing. */
    static void exit(int code, Throwable failure) {
        if (failure != null) {
            Optional<String> mistake = configurationMistake(failure);
            if (mistake.isPresent()) {
                System.err.println(mistake.get().strip()); // logging may not be set up yet: the configuration is what failed
            } else {
                Logger.getLogger(PgforceMain.class).error("pgforce failed to start", failure);
            }
        }
        System.exit(code);
    }

    /** pgforce's own configuration errors, and Quarkus' (a setting that cannot be converted). */
    static Optional<String> configurationMistake(Throwable failure) {
        Optional<InvalidConfigurationException> ours = InvalidConfigurationException.in(failure);
        if (ours.isPresent()) {
            return Optional.of(ours.get().getMessage());
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException) {
                Throwable root = t;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return Optional.of(root.getMessage());
            }
        }
        return Optional.empty();
    }
}
