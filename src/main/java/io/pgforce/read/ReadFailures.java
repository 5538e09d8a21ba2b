package io.pgforce.read;

import io.pgforce.salesforce.SalesforceFailures;
import java.sql.SQLException;
import java.util.Locale;
import org.apache.camel.component.salesforce.api.SalesforceException;

/** What a failed read means: wait and go on (Salesforce or the database unavailable), stop (not the writer), or an error. */
final class ReadFailures {

    private ReadFailures() {
    }

    static boolean notTheWriter(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotTheWriterException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Salesforce cannot be read now (maintenance, 5xx, no answer, the API limit, credentials refused:
     * as a write waits), or the database is away or ended the transaction for a moment (a connection
     * failure, a deadlock with an application's transaction).
     */
    static boolean waits(Throwable failure) {
        if (bulkQuotaExceeded(failure)) {
            return true;
        }
        SalesforceFailures.Kind kind = SalesforceFailures.classify(failure);
        if (kind == SalesforceFailures.Kind.WAIT || kind == SalesforceFailures.Kind.CREDENTIALS_REFUSED) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state == null || state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.startsWith("40");
            }
        }
        return false;
    }

    /**
     * The org's Bulk API 2.0 query jobs of the last 24 hours are used up (a job's creation refused
     * with ExceededQuota): jobs can be created again as the day's first ones age out, so the load waits.
     */
    static boolean bulkQuotaExceeded(Throwable failure) {
        return hasErrorCode(failure, "EXCEEDEDQUOTA");
    }

    /**
     * Salesforce no longer takes a results page's locator (INVALID_QUERY_LOCATOR: expired, or a job
     * it no longer holds as it was): only a new job can read the object.
     */
    static boolean locatorRefused(Throwable failure) {
        return hasErrorCode(failure, "INVALIDQUERYLOCATOR") || hasErrorCode(failure, "INVALIDLOCATOR");
    }

    /** Whether Salesforce answered with this error code, in either of its spellings (ExceededQuota, EXCEEDEDQUOTA; INVALID_QUERY_LOCATOR). */
    private static boolean hasErrorCode(Throwable failure, String code) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SalesforceException sf && sf.getErrors() != null) {
                return sf.getErrors().stream().anyMatch(e -> e.getErrorCode() != null
                        && e.getErrorCode().replace("_", "").toUpperCase(Locale.ROOT).equals(code));
            }
        }
        return false;
    }
}
