package io.pgforce.salesforce;

import io.pgforce.plan.WriteItem;

/**
 * What became of one write item in a cycle.
 *
 * @param sfid  the record's Id, when Salesforce returned one
 * @param error the reason, for FAILED
 * @param note  the explanation stored in sf_message: for HELD and IGNORED, and for SUCCESS after transient errors
 */
public record Outcome(WriteItem item, Kind kind, String sfid, RecordError error, String note) {

    public enum Kind {
        /** Written. */
        SUCCESS,
        /** Salesforce rejected the record, or pgforce could not build it: needs the user. */
        FAILED,
        /** Not sent: an earlier INSERT of the record failed (Ordered Writes); stays NEW. */
        HELD,
        /** Nothing to send (e.g. a delete of a record that never reached Salesforce). */
        IGNORED
    }

    public static Outcome success(WriteItem item, String sfid) {
        return new Outcome(item, Kind.SUCCESS, sfid, null, null);
    }

    public static Outcome success(WriteItem item, String sfid, String note) {
        return new Outcome(item, Kind.SUCCESS, sfid, null, note);
    }

    public static Outcome failed(WriteItem item, RecordError error) {
        return new Outcome(item, Kind.FAILED, null, error, null);
    }

    public static Outcome held(WriteItem item, String note) {
        return new Outcome(item, Kind.HELD, null, null, note);
    }

    public static Outcome ignored(WriteItem item, String note) {
        return new Outcome(item, Kind.IGNORED, null, null, note);
    }

    public boolean isFailedInsert() {
        return kind == Kind.FAILED && item.operation().isInsert();
    }
}
