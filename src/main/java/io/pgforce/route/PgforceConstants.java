package io.pgforce.route;

/**
 * The names the routes (routes/*.yaml) and their beans share: exchange properties, headers and the
 * endpoints beans send to. A YAML route spells the same name out; each constant says what the
 * value is and who sets it, as camel-salesforce's {@code SalesforceConstants} does.
 */
public final class PgforceConstants {

    private PgforceConstants() {
    }

    // exchange properties

    /** {@code write.RoundState}: what one claim round has learnt (sfids, failed inserts) and its lanes' schedule; set by {@code pgforce-write}. */
    public static final String ROUND = "pgforceRound";
    /** {@code List<plan.Change>}: a claim round's changes, while {@code pgforce-bulk-recover} resolves interrupted Bulk jobs. */
    public static final String CHANGES = "pgforceChanges";
    /** {@code salesforce.BatchProgress}: one batch's records, sent or settled; SOAP and Bulk start from it after a redelivery. */
    public static final String PROGRESS = "pgforceProgress";
    /** The Bulk job as Salesforce last described it ({@code Job}), or null when Salesforce does not know it. */
    public static final String BULK_JOB = "pgforceBulkJob";
    /** Whether the Bulk job in {@link #BULK_JOB} is still being processed; the poll loop's condition. */
    public static final String BULK_JOB_RUNNING = "pgforceBulkJobRunning";
    /** The records one SOAP message carries, kept to match its results by position. */
    public static final String SOAP_SENT = "pgforceSoapSent";
    /** The session token a SOAP message was sent with: an INVALID_SESSION_ID renews only that one. */
    public static final String SOAP_TOKEN = "pgforceSoapToken";
    /** How many changes the last claim took; a full claim means more may be waiting. */
    public static final String CLAIMED = "pgforceClaimed";
    /** {@code read.ReadRun}: one read of one mapping, from its query to its last page; set by the route {@code pgforce-read}, which runs it. */
    public static final String READ = "pgforceRead";

    // headers

    /** camel-salesforce's Bulk API 2.0 job id header. */
    public static final String JOB_ID = "jobId";

    // endpoints

    /** Wakes the cycle (a one-slot queue: wake-ups during a cycle fold into one more cycle). */
    public static final String WAKE = "direct:pgforce-wake";
}
