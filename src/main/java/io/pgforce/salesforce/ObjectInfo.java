package io.pgforce.salesforce;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What the org's describe says of one object; field names are matched case-insensitively, as Salesforce does. */
public final class ObjectInfo {

    private final String name;
    private final Map<String, FieldInfo> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final boolean queryable;

    public ObjectInfo(String name, Collection<FieldInfo> fields) {
        this(name, fields, true);
    }

    public ObjectInfo(String name, Collection<FieldInfo> fields, boolean queryable) {
        this.name = name;
        this.queryable = queryable;
        fields.forEach(f -> this.fields.put(f.name(), f));
    }

    /** The integration user may query it (the describe's {@code queryable}): a mapping of it can be read. */
    public boolean queryable() {
        return queryable;
    }

    public String name() {
        return name;
    }

    public Collection<FieldInfo> fields() {
        return fields.values();
    }

    public Optional<FieldInfo> field(String fieldName) {
        return Optional.ofNullable(fields.get(fieldName));
    }

    /** The lookup field whose relationship has this name ({@code Account} for AccountId, {@code Invoice__r} for Invoice__c). */
    public Optional<FieldInfo> relationship(String relationshipName) {
        return fields.values().stream()
                .filter(f -> f.relationshipName() != null && f.relationshipName().toLowerCase(Locale.ROOT).equals(relationshipName.toLowerCase(Locale.ROOT)))
                .findFirst();
    }
}
