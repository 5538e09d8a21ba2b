package io.pgforce.salesforce;

/** A parent identified by its external ID: sent as a nested sObject (SOAP) or a {@code Rel.ExtId__c} column (Bulk). */
public record ParentReference(String relationshipName, String parentObject, String externalIdField, String value) {
}
