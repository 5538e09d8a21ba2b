package io.pgforce.config;

/** A mapped Salesforce field, the Postgres column that holds it, and which way it is synced. */
public record MappingField(String name, String column, PgType type, FieldDirection direction) {

    /** The same field with another column type (an import keeps the type a column has or the org's describe gives). */
    public MappingField withType(PgType other) {
        return new MappingField(name, column, other, direction);
    }
}
