package io.pgforce.write;

import io.pgforce.plan.WriteItem;

/** A mapping row: the unit that write order and holds are about. */
record RecordKey(String table, long recordId) {

    static RecordKey of(WriteItem item) {
        return new RecordKey(item.table(), item.recordId());
    }
}
