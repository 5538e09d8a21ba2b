package io.pgforce.plan;

/** A mapping row: the unit that write order, packing and holds are about. */
public record RecordKey(String table, long recordId) {

    public static RecordKey of(WriteItem item) {
        return new RecordKey(item.table(), item.recordId());
    }

    static RecordKey of(Change change) {
        return new RecordKey(change.table(), change.recordId());
    }
}
