package io.pgforce.triggerlog;

import java.util.List;

/**
 * How one claimed trigger-log row is settled, and what its mapping row shows afterwards.
 *
 * @param state        SUCCESS, FAILED, IGNORED, or NEW for a change held back (it stays queued)
 * @param sfid         the record's Id, when known
 * @param message      sf_message
 * @param row          what the mapping row gets; null leaves it alone (deletes, held and ignored changes)
 * @param foldedLogIds rows merged into this one: they end MERGED with it
 * @param insert       an insert: once it succeeds, an earlier FAILED insert of the record is settled by it
 */
public record Settlement(long logId, String table, long recordId, TriggerLogState state, String sfid, String message,
                         RowStatus row, List<Long> foldedLogIds, boolean insert) {

    /** The status columns of a mapping row: {@code _hc_lastop}, {@code _hc_err}, and the sfid an insert learnt. */
    public record RowStatus(LastOp lastOp, String sfid, String errorJson) {
    }

    public Settlement {
        foldedLogIds = List.copyOf(foldedLogIds);
    }

    /** @param note sf_message of a written change, e.g. how many attempts it took; usually null */
    public static Settlement success(long logId, String table, long recordId, List<Long> folded, String sfid, boolean insert, boolean delete,
                                     String note) {
        RowStatus row = delete ? null : new RowStatus(insert ? LastOp.INSERTED : LastOp.UPDATED, insert ? sfid : null, null);
        return new Settlement(logId, table, recordId, TriggerLogState.SUCCESS, sfid, note, row, folded, insert);
    }

    public static Settlement failed(long logId, String table, long recordId, List<Long> folded, String message, String errorJson, boolean delete) {
        RowStatus row = delete ? null : new RowStatus(LastOp.FAILED, null, errorJson);
        return new Settlement(logId, table, recordId, TriggerLogState.FAILED, null, message, row, folded, false);
    }

    /** Not sent: waits behind a failed insert of its record, and says so. */
    public static Settlement held(long logId, String table, long recordId, String note) {
        return new Settlement(logId, table, recordId, TriggerLogState.NEW, null, note, null, List.of(), false);
    }

    public static Settlement ignored(long logId, String table, long recordId, List<Long> folded, String note) {
        return new Settlement(logId, table, recordId, TriggerLogState.IGNORED, null, note, null, folded, false);
    }
}
