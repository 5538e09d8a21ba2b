package io.pgforce.read;

import io.pgforce.salesforce.SalesforceFailures;
import java.sql.SQLException;

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
     * Salesforce cannot be read now (maintenance, 5xx, no answer, the API limit, the day's Bulk
     * query jobs used up, credentials refused: {@link SalesforceFailures}' kinds, as a write waits),
     * or the database is away or ended the transaction for a moment (a connection failure, a
     * deadlock with an application's transaction).
     */
    static boolean waits(Throwable failure) {
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
     * Salesforce no longer takes a results page's locator (INVALID_QUERY_LOCATOR: expired, or a job
     * it no longer holds as it was): only a new job can read the object.
     */
    static boolean locatorRefused(Throwable failure) {
        return SalesforceFailures.answeredWith(failure, "INVALID_QUERY_LOCATOR") || SalesforceFailures.answeredWith(failure, "INVALID_LOCATOR");
    }
}
