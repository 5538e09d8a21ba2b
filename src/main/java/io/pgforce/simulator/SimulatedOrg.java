package io.pgforce.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The records of one simulated org and the rules every write follows, whichever API it came
 * through: required fields, field types and lengths, read-only fields, unique and external ID
 * fields, references (by Id or by a parent's external ID), deleted records, validation rules,
 * upsert matching, assignment rules. Writes are serialised; a {@link Unit} is one transaction: it
 * stamps its records, and collects the undo information that an all-or-none call needs to roll back.
 */
public final class SimulatedOrg {

    private final Map<String, ObjectDef> schema;
    private final SalesforceIds ids;
    private final String orgId;
    private final String userId;
    private final Clock clock;
    private final Map<String, SimRecord> records = new LinkedHashMap<>();
    /** object -> unique field (lower case) -> value (lower case) -> record Id */
    private final Map<String, Map<String, Map<String, String>>> unique = new HashMap<>();
    private final ChangeEventLog changeEvents;

    public SimulatedOrg(Map<String, ObjectDef> schema, Clock clock) {
        this.schema = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        this.schema.putAll(schema);
        this.clock = clock;
        this.ids = new SalesforceIds("5e0");
        this.orgId = SalesforceIds.to18("00D5e000000" + "PgFc");
        this.userId = SalesforceIds.to18("0055e000000" + "Intg");
        this.changeEvents = new ChangeEventLog(clock, userId);
    }

    /** The Change Data Capture events the org's committed writes published. */
    public ChangeEventLog changeEvents() {
        return changeEvents;
    }

    public String orgId() {
        return orgId;
    }

    public String userId() {
        return userId;
    }

    public Map<String, ObjectDef> schema() {
        return Collections.unmodifiableMap(schema);
    }

    public ObjectDef object(String type) {
        ObjectDef def = schema.get(type);
        if (def == null) {
            throw new SimFault("INVALID_TYPE", "sObject type '" + type + "' is not supported. If you are attempting to use a custom object, "
                    + "be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");
        }
        return def;
    }

    // ------------------------------------------------------------------ reading

    public synchronized Optional<SimRecord> find(String id) {
        if (id == null || !SalesforceIds.wellFormed(id)) {
            return Optional.empty();
        }
        SimRecord r = records.get(SalesforceIds.normalize(id));
        return Optional.ofNullable(r == null ? null : r.copy());
    }

    public synchronized Optional<SimRecord> findByExternalId(String type, String field, String value) {
        String id = uniqueIndex(type, field).get(value.toLowerCase(Locale.ROOT));
        return id == null ? Optional.empty() : find(id);
    }

    /** Live (not deleted) records of a type, oldest first. */
    public synchronized List<SimRecord> records(String type) {
        ObjectDef def = object(type);
        List<SimRecord> out = new ArrayList<>();
        for (SimRecord r : records.values()) {
            if (r.type().equals(def.name()) && !r.deleted()) {
                out.add(r.copy());
            }
        }
        return out;
    }

    /** Live and deleted records of a type, oldest first: what queryAll sees. */
    public synchronized List<SimRecord> recordsWithDeleted(String type) {
        ObjectDef def = object(type);
        List<SimRecord> out = new ArrayList<>();
        for (SimRecord r : records.values()) {
            if (r.type().equals(def.name())) {
                out.add(r.copy());
            }
        }
        return out;
    }

    public synchronized int count(String type) {
        return records(type).size();
    }

    public synchronized void clear() {
        records.clear();
        unique.clear();
        changeEvents.clear();
    }

    // ------------------------------------------------------------------ snapshots

    /** Every record of an org, deleted ones too, and where its Id sequence stood: the data a replay starts from. */
    public static final class Snapshot {
        private final List<SimRecord> records;
        private final long idsIssued;

        private Snapshot(List<SimRecord> records, long idsIssued) {
            this.records = records;
            this.idsIssued = idsIssued;
        }
    }

    /** A copy of every record and of the Id sequence; later writes do not change it. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(records.values().stream().map(SimRecord::copy).toList(), ids.issued());
    }

    /**
     * Puts the org back as it was at the snapshot: the same records with the same values and Ids,
     * and the Id sequence where it stood, so that the same calls made again create the same Ids.
     * A snapshot can be restored any number of times.
     */
    public synchronized void restore(Snapshot snapshot) {
        clear();
        for (SimRecord r : snapshot.records) {
            SimRecord copy = r.copy();
            records.put(copy.id(), copy);
            index(copy);
        }
        ids.continueAfter(snapshot.idsIssued);
    }

    // ------------------------------------------------------------------ writing

    /**
     * One transaction: the time its records are stamped with, and its undo information for all-or-none
     * rollback. Every record a unit saves gets the same CreatedDate/LastModifiedDate/SystemModstamp, in
     * whole seconds: Salesforce's dateTime fields keep no milliseconds (widely reported, not documented).
     * Its changes are published as Change Data Capture events when it commits, never when it rolls back.
     */
    public final class Unit {
        private final Map<String, SimRecord> before = new LinkedHashMap<>();
        private final List<RecordChange> changes = new ArrayList<>();
        private final Duration lateness;
        private Instant stamp;

        private Unit(Duration lateness) {
            this.lateness = lateness;
        }

        /** Taken when the unit saves its first record: a call's latency is already behind it. */
        private Instant stamp() {
            if (stamp == null) {
                stamp = clock.instant().minus(lateness).truncatedTo(ChronoUnit.SECONDS);
            }
            return stamp;
        }

        private void remember(String id) {
            if (!before.containsKey(id)) {
                SimRecord r = records.get(id);
                before.put(id, r == null ? null : r.copy());
            }
        }

        private void changed(RecordChange change) {
            changes.add(change);
        }

        /**
         * Publishes the changes saved since the last commit as change events; {@code api} is where they
         * came from (soap, rest, bulkapi). A unit may commit more than once: a Bulk job commits each 200
         * rows it saves, and a slice of a job may end inside them.
         */
        public void commit(String api) {
            synchronized (SimulatedOrg.this) {
                changeEvents.publish(changes, api);
                changes.clear();
            }
        }

        /** Puts every record this unit touched back as it was. */
        public void rollback() {
            synchronized (SimulatedOrg.this) {
                changes.clear();
                for (Map.Entry<String, SimRecord> e : before.entrySet()) {
                    SimRecord current = records.get(e.getKey());
                    if (current != null) {
                        unindex(current);
                    }
                    if (e.getValue() == null) {
                        records.remove(e.getKey());
                    } else {
                        records.put(e.getKey(), e.getValue());
                        index(e.getValue());
                    }
                }
                before.clear();
            }
        }
    }

    public Unit unit() {
        return new Unit(Duration.ZERO);
    }

    /** A unit whose records are stamped {@code lateness} earlier than they are saved: a transaction that committed late. */
    public Unit unit(Duration lateness) {
        return new Unit(lateness);
    }

    public synchronized SaveOutcome create(Unit unit, String type, RecordInput in, WriteOptions options) {
        ObjectDef def = object(type);
        Map<String, Object> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        SimError error = prepare(def, in, true, options, values);
        if (error == null) {
            error = complete(def, null, values, true);
        }
        if (error != null) {
            return SaveOutcome.failed(error);
        }
        SimRecord r = new SimRecord(def.name(), ids.next(def.keyPrefix()), unit.stamp());
        unit.remember(r.id());
        values.forEach((k, v) -> {
            if (v != null) {
                r.mutableFields().put(def.field(k).orElseThrow().name(), v);
            }
        });
        if (options.assignmentRule() != null && (def.name().equals("Lead") || def.name().equals("Case"))) {
            r.assignedBy(options.assignmentRule());
        }
        records.put(r.id(), r);
        index(r);
        Map<String, Object> created = r.fields();
        List.of("Id", "IsDeleted", "SystemModstamp").forEach(created::remove); // not in a change event's body
        unit.changed(new RecordChange(def.name(), r.id(), "CREATE", created, List.of()));
        return SaveOutcome.ok(r.id(), true);
    }

    public synchronized SaveOutcome update(Unit unit, String type, RecordInput in, WriteOptions options) {
        SimRecord existing;
        try {
            existing = existing(type, in.id());
        } catch (RecordProblem p) {
            return SaveOutcome.failed(p.error);
        }
        ObjectDef def = object(existing.type());
        Map<String, Object> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        SimError error = prepare(def, in, false, options, values);
        if (error == null) {
            error = complete(def, existing, values, false);
        }
        if (error != null) {
            return SaveOutcome.failed(error);
        }
        unit.remember(existing.id());
        unindex(existing);
        Map<String, Object> changed = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            String name = def.field(k).orElseThrow().name();
            if (!java.util.Objects.equals(existing.get(name), v)) {
                changed.put(name, v);
            }
            if (v == null) {
                existing.mutableFields().remove(name);
            } else {
                existing.mutableFields().put(name, v);
            }
        });
        existing.touch(unit.stamp());
        index(existing);
        changed.put("LastModifiedDate", unit.stamp());
        unit.changed(new RecordChange(def.name(), existing.id(), "UPDATE", changed, List.copyOf(changed.keySet())));
        return SaveOutcome.ok(existing.id(), false);
    }

    public synchronized SaveOutcome upsert(Unit unit, String type, String externalIdField, RecordInput in, WriteOptions options) {
        ObjectDef def = object(type);
        FieldDef key = def.field(externalIdField).filter(f -> f.externalId() || f.type() == FieldType.ID).orElseThrow(() -> new SimFault("INVALID_FIELD",
                "Field name provided, " + externalIdField + " is not an External ID or indexed field for " + def.name()));
        if (key.type() == FieldType.ID) {
            return in.id() == null ? create(unit, type, in, options) : update(unit, type, in, options);
        }
        String value = in.values().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key.name())).map(Map.Entry::getValue)
                .filter(v -> v != null && !v.isBlank()).findFirst().orElse(null);
        if (value == null) {
            return SaveOutcome.failed(SimError.of("MISSING_ARGUMENT", key.name() + " not specified", key.name()));
        }
        String match = uniqueIndex(def.name(), key.name()).get(value.strip().toLowerCase(Locale.ROOT));
        if (match == null) {
            return create(unit, type, in, options);
        }
        RecordInput byId = new RecordInput(match, in.values(), in.fieldsToNull(), in.parents());
        SaveOutcome updated = update(unit, type, byId, options);
        return updated.success() ? SaveOutcome.ok(updated.id(), false) : updated;
    }

    public synchronized SaveOutcome delete(Unit unit, String id) {
        SimRecord existing;
        try {
            existing = existing(null, id);
        } catch (RecordProblem p) {
            return SaveOutcome.failed(p.error);
        }
        unit.remember(existing.id());
        unindex(existing);
        existing.markDeleted(unit.stamp());
        unit.changed(new RecordChange(existing.type(), existing.id(), "DELETE", Map.of(), List.of()));
        return SaveOutcome.ok(existing.id(), false);
    }

    /**
     * The records a write of {@code in} locks (Ids, normalized): the record itself when it exists (an update, a
     * delete, an upsert that matches) and the parent each of its lookups references, by Id or by the parent's
     * external ID; a delete locks the parents the record references. Salesforce locks the target of every lookup
     * a write sets; references to users and groups (owners) are left out, as their locks are of another kind.
     * What cannot be resolved locks nothing: the write itself reports it.
     */
    synchronized Set<String> lockTargets(String type, String operation, String externalIdField, RecordInput in) {
        Set<String> ids = new LinkedHashSet<>();
        try {
            SimRecord self = in.id() != null && SalesforceIds.wellFormed(in.id()) ? records.get(SalesforceIds.normalize(in.id())) : null;
            if (self == null && operation.equals("upsert") && externalIdField != null) {
                String value = in.values().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(externalIdField))
                        .map(Map.Entry::getValue).filter(v -> v != null && !v.isBlank()).findFirst().orElse(null);
                String match = value == null ? null : uniqueIndex(type, externalIdField).get(value.strip().toLowerCase(Locale.ROOT));
                self = match == null ? null : records.get(match);
            }
            if (self != null && !operation.equals("create")) {
                ids.add(self.id());
            }
            if (type == null) { // a delete: the parents of the record it deletes
                if (self != null) {
                    ObjectDef def = object(self.type());
                    for (FieldDef f : def.fields()) {
                        addParent(ids, f, self.get(f.name()));
                    }
                }
                return ids;
            }
            ObjectDef def = object(type);
            for (Map.Entry<String, String> e : in.values().entrySet()) {
                def.field(e.getKey()).ifPresent(f -> addParent(ids, f, e.getValue()));
            }
            for (Map.Entry<String, RecordInput.ParentKey> p : in.parents().entrySet()) {
                Optional<FieldDef> lookup = def.relationship(p.getKey());
                if (lookup.isEmpty() || !locksParent(lookup.get())) {
                    continue;
                }
                RecordInput.ParentKey key = p.getValue();
                String parentType = key.type() != null ? key.type() : lookup.get().referenceTo().get(0);
                String parentId = uniqueIndex(parentType, key.field()).get(key.value().strip().toLowerCase(Locale.ROOT));
                if (parentId != null) {
                    ids.add(parentId);
                }
            }
        } catch (SimFault unknownTypeOrField) {
            // the write fails on it with its own error
        }
        return ids;
    }

    private static boolean locksParent(FieldDef f) {
        return f.type() == FieldType.REFERENCE && f.referenceTo().stream().noneMatch(t -> t.equals("User") || t.equals("Group"));
    }

    private static void addParent(Set<String> ids, FieldDef f, Object value) {
        if (locksParent(f) && value != null && SalesforceIds.wellFormed(value.toString())) {
            ids.add(SalesforceIds.normalize(value.toString()));
        }
    }

    private static final class RecordProblem extends Exception {
        final SimError error;

        RecordProblem(SimError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    private SimRecord existing(String type, String id) throws RecordProblem {
        if (id == null || id.isBlank()) {
            throw new RecordProblem(SimError.of("MISSING_ARGUMENT", "Id not specified in an update call"));
        }
        if (!SalesforceIds.wellFormed(id)) {
            throw new RecordProblem(SimError.of("MALFORMED_ID", "malformed id " + id));
        }
        SimRecord r = records.get(SalesforceIds.normalize(id));
        if (r == null) {
            throw new RecordProblem(SimError.of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"));
        }
        if (type != null && !r.type().equalsIgnoreCase(type)) {
            throw new RecordProblem(SimError.of("MALFORMED_ID", object(type).name() + " ID: id value of incorrect type: " + id));
        }
        if (r.deleted()) {
            throw new RecordProblem(SimError.of("ENTITY_IS_DELETED", "entity is deleted"));
        }
        return r;
    }

    /** Converts the input's fields and parents into typed values, checking that each may be written. */
    private SimError prepare(ObjectDef def, RecordInput in, boolean create, WriteOptions options, Map<String, Object> values) {
        List<String> readOnly = new ArrayList<>();
        SimError first = null;
        for (Map.Entry<String, String> e : in.values().entrySet()) {
            FieldDef f = def.field(e.getKey()).orElseThrow(() -> unknownField(def, e.getKey()));
            if (f.name().equals("Id")) {
                continue; // the record's own Id travels as a field in some clients
            }
            if (create ? !f.createable() : !f.updateable()) {
                readOnly.add(f.name());
                continue;
            }
            FieldValues.Converted c = FieldValues.convert(f, e.getValue(), options.allowFieldTruncation());
            if (c.error() != null && first == null) {
                first = c.error();
            }
            values.put(f.name(), c.value());
        }
        for (String name : in.fieldsToNull()) {
            FieldDef f = def.field(name).orElseThrow(() -> unknownField(def, name));
            if (create ? !f.createable() : !f.updateable()) {
                readOnly.add(f.name());
                continue;
            }
            values.put(f.name(), f.type() == FieldType.BOOLEAN ? Boolean.FALSE : null);
        }
        if (!readOnly.isEmpty()) {
            return new SimError("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + String.join(", ", readOnly)
                    + ". Please check the security settings of this field and verify that it is read/write for your profile or permission set.", readOnly);
        }
        if (first != null) {
            return first;
        }
        for (Map.Entry<String, RecordInput.ParentKey> p : in.parents().entrySet()) {
            FieldDef lookup = def.relationship(p.getKey()).orElseThrow(() -> unknownField(def, p.getKey()));
            RecordInput.ParentKey key = p.getValue();
            String parentType = key.type() != null ? key.type() : lookup.referenceTo().get(0);
            ObjectDef parent = object(parentType);
            FieldDef extField = parent.field(key.field()).filter(FieldDef::externalId)
                    .orElseThrow(() -> new SimFault("INVALID_FIELD", "Field name provided, " + key.field() + " is not an External ID or indexed field for " + parent.name()));
            String parentId = uniqueIndex(parent.name(), extField.name()).get(key.value().strip().toLowerCase(Locale.ROOT));
            if (parentId == null) {
                return SimError.of("INVALID_CROSS_REFERENCE_KEY", "Foreign key external ID: " + key.value() + " not found for field "
                        + extField.name() + " in entity " + parent.name(), lookup.name());
            }
            values.put(lookup.name(), parentId);
        }
        return null;
    }

    /** Checks the record as it would be after the write: references, required and unique fields, validation rules. */
    private SimError complete(ObjectDef def, SimRecord existing, Map<String, Object> changes, boolean create) {
        Map<String, Object> after = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (existing != null) {
            after.putAll(existing.mutableFields());
        }
        after.putAll(changes);
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            FieldDef f = def.field(e.getKey()).orElseThrow();
            if (f.type() == FieldType.REFERENCE && e.getValue() != null) {
                SimRecord target = records.get(e.getValue().toString());
                if (target == null || target.deleted() || f.referenceTo().stream().noneMatch(t -> t.equalsIgnoreCase(target.type()))) {
                    return SimError.of("INVALID_CROSS_REFERENCE_KEY", f.label() + ": id value of incorrect type: " + e.getValue(), f.name());
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (FieldDef f : def.fields()) {
            if (f.required() && (create || changes.containsKey(f.name())) && after.get(f.name()) == null) {
                missing.add(f.name());
            }
        }
        if (!missing.isEmpty()) {
            return new SimError("REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing, missing);
        }
        for (FieldDef f : def.fields()) {
            Object v = after.get(f.name());
            if ((f.unique() || f.externalId()) && v != null && changes.containsKey(f.name())) {
                String holder = uniqueIndex(def.name(), f.name()).get(v.toString().toLowerCase(Locale.ROOT));
                if (holder != null && (existing == null || !holder.equals(existing.id()))) {
                    return SimError.of("DUPLICATE_VALUE", "duplicate value found: " + f.name() + " duplicates value on record with id: " + holder, f.name());
                }
            }
        }
        for (ValidationRule rule : def.rules()) {
            if (rule.condition().test(after)) {
                return rule.errorField() == null ? SimError.of("FIELD_CUSTOM_VALIDATION_EXCEPTION", rule.message())
                        : SimError.of("FIELD_CUSTOM_VALIDATION_EXCEPTION", rule.message(), rule.errorField());
            }
        }
        return null;
    }

    private static SimFault unknownField(ObjectDef def, String field) {
        return new SimFault("INVALID_FIELD", "No such column '" + field + "' on entity '" + def.name() + "'. If you are attempting to use a custom field, "
                + "be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");
    }

    private Map<String, String> uniqueIndex(String type, String field) {
        return unique.computeIfAbsent(object(type).name(), t -> new HashMap<>()).computeIfAbsent(field.toLowerCase(Locale.ROOT), f -> new HashMap<>());
    }

    private void index(SimRecord r) {
        if (r.deleted()) {
            return;
        }
        for (FieldDef f : object(r.type()).fields()) {
            Object v = r.get(f.name());
            if ((f.unique() || f.externalId()) && v != null) {
                uniqueIndex(r.type(), f.name()).put(v.toString().toLowerCase(Locale.ROOT), r.id());
            }
        }
    }

    private void unindex(SimRecord r) {
        for (FieldDef f : object(r.type()).fields()) {
            Object v = r.get(f.name());
            if ((f.unique() || f.externalId()) && v != null) {
                uniqueIndex(r.type(), f.name()).remove(v.toString().toLowerCase(Locale.ROOT), r.id());
            }
        }
    }
}
