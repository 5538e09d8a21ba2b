package io.pgforce.simulator;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** One record of the simulated org. Field names are case-insensitive; values are typed (String, Double, Boolean, LocalDate, Instant). */
public final class SimRecord {

    private final String type;
    private final String id;
    private final Map<String, Object> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private boolean deleted;
    private String assignmentRule;

    SimRecord(String type, String id, Instant now) {
        this.type = type;
        this.id = id;
        fields.put("Id", id);
        fields.put("CreatedDate", now);
        fields.put("LastModifiedDate", now);
        fields.put("SystemModstamp", now);
        fields.put("IsDeleted", false);
    }

    private SimRecord(SimRecord other) {
        this.type = other.type;
        this.id = other.id;
        this.fields.putAll(other.fields);
        this.deleted = other.deleted;
        this.assignmentRule = other.assignmentRule;
    }

    SimRecord copy() {
        return new SimRecord(this);
    }

    public String type() {
        return type;
    }

    public String id() {
        return id;
    }

    public boolean deleted() {
        return deleted;
    }

    /** The assignment rule Salesforce ran when the record was inserted ("default" or a rule Id), or null. */
    public String assignmentRule() {
        return assignmentRule;
    }

    public Object get(String field) {
        return fields.get(field);
    }

    /** A copy of every field. */
    public Map<String, Object> fields() {
        Map<String, Object> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(fields);
        return copy;
    }

    Map<String, Object> mutableFields() {
        return fields;
    }

    void touch(Instant now) {
        fields.put("LastModifiedDate", now);
        fields.put("SystemModstamp", now);
    }

    void markDeleted(Instant now) {
        deleted = true;
        fields.put("IsDeleted", true);
        touch(now);
    }

    void assignedBy(String rule) {
        this.assignmentRule = rule;
    }

    @Override
    public String toString() {
        return type + fields;
    }
}
