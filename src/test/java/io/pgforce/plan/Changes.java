package io.pgforce.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds change sequences and rules for planner tests. */
final class Changes {

    static final ObjectRules ACCOUNT = new ObjectRules("account", "Account", "external_id__c", "External_Id__c", Set.of(), Set.of());
    static final ObjectRules CONTACT = new ObjectRules("contact", "Contact", "external_id__c", "External_Id__c", Set.of("Account"), Set.of("account__r__external_id__c"));
    static final ObjectRules LEAD = new ObjectRules("lead", "Lead", null, null, Set.of(), Set.of());

    private final List<Change> changes = new ArrayList<>();
    private long nextLogId = 1;
    /** The transaction the next changes belong to; 0: each change its own. */
    private long txid;

    static PlanRules rules(WriteAlgorithm algorithm, ObjectRules... objects) {
        Map<String, ObjectRules> map = new HashMap<>();
        for (ObjectRules o : objects) {
            map.put(o.table(), o);
        }
        return PlanRules.of(algorithm, 62.0, true, map, 1, Ordering.LOG, false);
    }

    Changes insert(ObjectRules object, long recordId, Object... keyValues) {
        Map<String, Object> values = values(keyValues);
        if (object.hasUniqueIdentifier() && !values.containsKey(object.uniqueIdentifierColumn())) {
            values.put(object.uniqueIdentifierColumn(), object.object() + "-" + recordId);
        }
        return add(object, Action.INSERT, recordId, null, values, null);
    }

    /** An insert that was sent before (a crash or a lost response followed): it may be in Salesforce. */
    Changes sentInsert(ObjectRules object, long recordId, Object... keyValues) {
        insert(object, recordId, keyValues);
        Change c = changes.remove(changes.size() - 1);
        changes.add(new Change(c.logId(), c.table(), c.object(), c.action(), c.recordId(), c.sfid(), c.values(), c.currentRow(), true, null, c.txid()));
        return this;
    }

    Changes update(ObjectRules object, long recordId, String sfid, Object... keyValues) {
        return add(object, Action.UPDATE, recordId, sfid, values(keyValues), null);
    }

    Changes updateWithRow(ObjectRules object, long recordId, Map<String, Object> row, Object... keyValues) {
        return add(object, Action.UPDATE, recordId, null, values(keyValues), row);
    }

    Changes delete(ObjectRules object, long recordId, String sfid) {
        return add(object, Action.DELETE, recordId, sfid, Map.of(), null);
    }

    Changes add(ObjectRules object, Action action, long recordId, String sfid, Map<String, Object> values, Map<String, Object> row) {
        changes.add(new Change(nextLogId++, object.table(), object.object(), action, recordId, sfid, values, row, false, null, txid == 0 ? nextLogId - 1 : txid));
        return this;
    }

    /** The changes added next were written by transaction {@code txid} (0: each change by its own). */
    Changes transaction(long txid) {
        this.txid = txid;
        return this;
    }

    static Map<String, Object> values(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return values;
    }

    List<Change> list() {
        return changes;
    }

    WritePlan plan(PlanRules rules) {
        return Planner.plan(rules, changes);
    }

    static String sfid(long recordId) {
        return String.format("001%015d", recordId);
    }
}
