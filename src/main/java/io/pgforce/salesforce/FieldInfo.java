package io.pgforce.salesforce;

import io.pgforce.config.PgType;
import java.util.List;
import java.util.Set;

/**
 * What the org's describe says of one field.
 *
 * @param length    maximum length of a text field, 0 for other types
 * @param precision digits of a number field in all, and {@code scale} of them after the point (0: not given)
 * @param digits    digits of an {@code int} field (0: not given)
 */
public record FieldInfo(String name, String type, boolean createable, boolean updateable, boolean externalId,
                        List<String> referenceTo, String relationshipName,
                        int length, boolean nillable, boolean defaultedOnCreate, boolean unique, int precision, int scale, int digits) {

    public FieldInfo {
        referenceTo = referenceTo == null ? List.of() : List.copyOf(referenceTo);
    }

    /** A text field of no particular length, nillable, not unique: what the writing code needs to know. */
    public FieldInfo(String name, String type, boolean createable, boolean updateable, boolean externalId,
                     List<String> referenceTo, String relationshipName) {
        this(name, type, createable, updateable, externalId, referenceTo, relationshipName, 0, true, false, false, 0, 0, 0);
    }

    private static final Set<String> TEXT_TYPES = Set.of("string", "picklist", "multipicklist", "combobox", "email", "url", "phone",
            "encryptedstring");

    /**
     * The column Heroku Connect gives a field of this type, and pgforce for a field an export names
     * without a type: numbers of every kind as {@code double precision} (what the APIs carry),
     * datetimes as {@code timestamp} in UTC, Ids as {@code varchar(18)}, text as long as the field.
     */
    public PgType columnType() {
        if (TEXT_TYPES.contains(type)) {
            return new PgType(length > 0 ? "varchar(" + length + ")" : "text");
        }
        return new PgType(switch (type) {
            case "id", "reference" -> "varchar(18)";
            case "boolean" -> "boolean";
            case "int", "double", "currency", "percent" -> "double precision";
            case "date" -> "date";
            case "datetime" -> "timestamp";
            case "time" -> "time";
            default -> "text"; // textarea, and what has no better column (anyType, address, location)
        });
    }

    public boolean writable() {
        return createable || updateable;
    }

    /** An insert without a value for it fails (REQUIRED_FIELD_MISSING). */
    public boolean required() {
        return createable && !nillable && !defaultedOnCreate;
    }
}
