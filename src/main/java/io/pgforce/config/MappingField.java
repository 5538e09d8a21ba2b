package io.pgforce.config;

/** A mapped Salesforce field and the Postgres column that holds it. */
public record MappingField(String name, String column, PgType type) {
}
