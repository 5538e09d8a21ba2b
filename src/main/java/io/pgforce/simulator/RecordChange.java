package io.pgforce.simulator;

import java.util.List;
import java.util.Map;

/**
 * One record's change in a write transaction, as Change Data Capture reports it: the record's
 * object and Id, CREATE, UPDATE or DELETE, and the field values the event carries (every field set
 * on a create; on an update only those whose value changed, a cleared one as null, with
 * LastModifiedDate; none on a delete).
 *
 * @param changedFields the fields an update changed, LastModifiedDate included; empty for other changes
 */
record RecordChange(String entity, String recordId, String changeType, Map<String, Object> fields, List<String> changedFields) {

    RecordChange {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        changedFields = List.copyOf(changedFields);
    }

    /** True when Salesforce may merge the two into one event of several recordIds: the same change of the same object. */
    boolean sameChangeAs(RecordChange other) {
        return entity.equals(other.entity) && changeType.equals(other.changeType) && fields.equals(other.fields)
                && !changeType.equals("CREATE");
    }
}
