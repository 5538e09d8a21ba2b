package io.pgforce.config;

/** A mapped Salesforce field, the Postgres column that holds it, and which way it is synced. */
public record MappingField(String name, String column, PgType type, FieldDirection direction) {
}
