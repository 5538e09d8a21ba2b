package io.pgforce.simulator;

import java.util.List;

/**
 * One field of a simulated object, with the properties describe reports.
 *
 * @param length           maximum length of textual fields (0: none)
 * @param referenceTo      objects a reference field may point at
 * @param relationshipName name of the relationship of a reference field ({@code Account} for AccountId)
 * @param picklistValues   allowed values of a picklist (empty: any)
 */
public record FieldDef(String name, String label, FieldType type, int length, boolean required, boolean unique, boolean externalId,
                       boolean createable, boolean updateable, List<String> referenceTo, String relationshipName, List<String> picklistValues) {

    public FieldDef {
        referenceTo = referenceTo == null ? List.of() : List.copyOf(referenceTo);
        picklistValues = picklistValues == null ? List.of() : List.copyOf(picklistValues);
    }

    static FieldDef system(String name, FieldType type) {
        return new FieldDef(name, name, type, type == FieldType.ID ? 18 : 0, false, false, false, false, false, List.of(), null, List.of());
    }

    boolean nillable() {
        return !required && type != FieldType.BOOLEAN && type != FieldType.ID;
    }
}
