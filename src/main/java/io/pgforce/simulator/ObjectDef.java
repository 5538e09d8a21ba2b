package io.pgforce.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One simulated sObject type: its fields (looked up case-insensitively, as Salesforce does) and validation rules. */
public final class ObjectDef {

    /** Every object has these; none can be written. */
    static final List<FieldDef> SYSTEM_FIELDS = List.of(
            FieldDef.system("Id", FieldType.ID),
            FieldDef.system("IsDeleted", FieldType.BOOLEAN),
            FieldDef.system("CreatedDate", FieldType.DATETIME),
            FieldDef.system("LastModifiedDate", FieldType.DATETIME),
            FieldDef.system("SystemModstamp", FieldType.DATETIME));

    private final String name;
    private final String keyPrefix;
    private final List<FieldDef> fields;
    private final Map<String, FieldDef> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final List<ValidationRule> rules;
    private final boolean queryable;

    public ObjectDef(String name, String keyPrefix, List<FieldDef> custom, List<ValidationRule> rules) {
        this(name, keyPrefix, custom, rules, true);
    }

    /** @param queryable false: the integration user may not query it (no Read on the object); its queries are refused */
    public ObjectDef(String name, String keyPrefix, List<FieldDef> custom, List<ValidationRule> rules, boolean queryable) {
        this.queryable = queryable;
        this.name = name;
        this.keyPrefix = keyPrefix;
        List<FieldDef> all = new ArrayList<>(SYSTEM_FIELDS);
        all.addAll(custom);
        this.fields = Collections.unmodifiableList(all);
        all.forEach(f -> byName.put(f.name(), f));
        this.rules = List.copyOf(rules);
    }

    public String name() {
        return name;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public List<FieldDef> fields() {
        return fields;
    }

    public Optional<FieldDef> field(String fieldName) {
        return Optional.ofNullable(byName.get(fieldName));
    }

    public List<ValidationRule> rules() {
        return rules;
    }

    public boolean queryable() {
        return queryable;
    }

    /** The reference field whose relationship has this name, case-insensitively. */
    public Optional<FieldDef> relationship(String relationshipName) {
        return fields.stream().filter(f -> f.relationshipName() != null && f.relationshipName().equalsIgnoreCase(relationshipName)).findFirst();
    }
}
