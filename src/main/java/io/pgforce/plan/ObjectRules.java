package io.pgforce.plan;

import java.util.Set;

/**
 * What the planner needs to know of one mapping.
 *
 * @param uniqueIdentifierColumn the unique identifier's column, or null
 * @param uniqueIdentifierField  its Salesforce field API name, or null
 * @param parentObjects          objects this one references, for parent-before-child ordering
 * @param referenceColumns       the columns that hold a parent's external ID (its relationships)
 */
public record ObjectRules(String table, String object, String uniqueIdentifierColumn, String uniqueIdentifierField, Set<String> parentObjects,
                          Set<String> referenceColumns) {

    public ObjectRules {
        parentObjects = parentObjects == null ? Set.of() : Set.copyOf(parentObjects);
        referenceColumns = referenceColumns == null ? Set.of() : Set.copyOf(referenceColumns);
    }

    public boolean hasUniqueIdentifier() {
        return uniqueIdentifierField != null;
    }
}
