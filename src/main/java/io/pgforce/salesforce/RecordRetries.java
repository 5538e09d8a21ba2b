package io.pgforce.salesforce;

import io.pgforce.config.RetrySettings;
import io.pgforce.plan.WriteItem;
import java.util.Set;

/**
 * Which record errors mean "not this moment" ({@code pgforce.retry.record-errors}) and how many
 * attempts such a record gets: the one rule SOAP and Composite Graph answers are settled by.
 */
record RecordRetries(Set<String> codes, int attempts) {

    static RecordRetries of(RetrySettings retry) {
        return new RecordRetries(Set.copyOf(retry.recordErrors()), retry.recordAttempts());
    }

    /** Whether this error means "not this moment". */
    boolean isTransient(String code) {
        return codes.contains(code);
    }

    /** Whether the record stays pending for another attempt after this error (see {@link BatchProgress#retryLater}). */
    boolean sendAgain(BatchProgress progress, WriteItem item, RecordError error) {
        return isTransient(error.statusCode()) && progress.retryLater(item, error, attempts);
    }
}
