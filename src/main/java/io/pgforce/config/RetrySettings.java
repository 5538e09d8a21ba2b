package io.pgforce.config;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.List;

/** {@code pgforce.retry.*}: waiting out an unavailable Salesforce or database, and records Salesforce cannot take for a moment. */
@ConfigMapping(prefix = "pgforce.retry")
public interface RetrySettings {

    /** The first wait after a failure while Salesforce or the database is unavailable. */
    Duration initialDelay();

    /** The longest wait, for outages and record retries alike. */
    Duration maxDelay();

    /** Salesforce's record errors that mean "not this moment": the record is sent again. */
    List<String> recordErrors();

    /** Attempts in all for such a record. */
    int recordAttempts();

    /** The first wait before such a record is sent again. */
    Duration recordDelay();

    /** The waits while Salesforce or the database is unavailable. */
    default Backoff backoff() {
        return new Backoff(initialDelay(), maxDelay());
    }

    /** The waits before a record Salesforce could not take for a moment is sent again. */
    default Backoff recordBackoff() {
        return new Backoff(recordDelay(), maxDelay());
    }
}
