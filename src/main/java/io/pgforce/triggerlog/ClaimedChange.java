package io.pgforce.triggerlog;

/**
 * A trigger-log row a claim made PENDING, as the cycle reads it.
 *
 * @param values      the {@code values} column as text: pgforce's JSON or Heroku Connect's hstore text (see LogValues)
 * @param sent        it was claimed before this claim, so it may already have reached Salesforce
 * @param early       claimed past an older transaction still open (it waited the longest allowed)
 * @param bulkJobId   the Bulk job that was carrying it when its cycle was cut short, or null
 * @param resubmitted a FAILED change a user set back to NEW (its sf_result still says failed)
 * @param txid        the Postgres transaction that wrote it ({@code txid_current()})
 */
public record ClaimedChange(long id, String table, String action, long recordId, String sfid, String values,
                            boolean sent, boolean early, String bulkJobId, boolean resubmitted, long txid) {
}
