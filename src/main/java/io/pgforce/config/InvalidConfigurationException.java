package io.pgforce.config;

import java.util.Optional;

/**
 * A configuration pgforce cannot run with. Its message alone says what to fix, so it is reported
 * as that one line (see {@code io.pgforce.PgforceMain}), never as a stack trace.
 */
public class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String message) {
        super(message);
    }

    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The configuration mistake among a failure's causes, however deeply a framework wrapped it. */
    public static Optional<InvalidConfigurationException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationException mistake) {
                return Optional.of(mistake);
            }
        }
        return Optional.empty();
    }
}
