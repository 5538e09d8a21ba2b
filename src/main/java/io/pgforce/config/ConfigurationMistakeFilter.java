package io.pgforce.config;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops log records that carry an {@link InvalidConfigurationException}: pgforce reports those
 * itself, as one line (at start-up on exit, later as the connection's state), so the stack traces
 * frameworks log around them only bury that line.
 */
@LoggingFilter(name = "pgforce-configuration-mistakes")
public final class ConfigurationMistakeFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        return record.getThrown() == null || InvalidConfigurationException.in(record.getThrown()).isEmpty();
    }
}
