package io.pgforce.config;

/**
 * A parent reference by external ID: column {@code <relationship>__r__<extid>} (for example
 * {@code account__r__external_id__c}) holds the parent's external ID value, which is sent as a
 * nested reference so that parent and child can be inserted together.
 *
 * @param name            the relationship name as Salesforce knows it ({@code Account}, {@code Invoice__r})
 * @param parentObject    the referenced object ({@code Account}, {@code Invoice__c})
 * @param externalIdField the parent's external ID field
 * @param column          the mapping-table column
 */
public record Relationship(String name, String parentObject, String externalIdField, String column, PgType type) {

    /** The column name for a relationship: the name without any {@code __r} suffix, then {@code __r__}, then the field. */
    public static String columnFor(String relationshipName, String externalIdField) {
        String base = relationshipName.endsWith("__r") ? relationshipName.substring(0, relationshipName.length() - 3) : relationshipName;
        return (base + "__r__" + externalIdField).toLowerCase(java.util.Locale.ROOT);
    }
}
