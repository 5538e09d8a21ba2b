package io.pgforce.plan;

import java.util.Set;

/**
 * What the planner needs to know of one mapping.
 *
 * @param uniqueIdentifierColumn the unique identifier's column, or null
 * @param uniqueIdentifierField  its Salesforce field API name, or null
 * @param parentObjects          objects this one references, for parent-before-child ordering
 */
public record ObjectRules(String table, String object, String uniqueIdentifierColumn, String uniqueIdentifierField, Set<String> parentObjects) {

    public ObjectRules {
        parentObjects = parentObjects == null ? Set.of() : Set.copyOf(parentObjects);
    }

    public boolean hasUniqueIdentifier() {
        return uniqueIdentifierField != null;
    }
}
