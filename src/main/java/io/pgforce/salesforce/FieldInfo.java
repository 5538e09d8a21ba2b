package io.pgforce.salesforce;

import java.util.List;

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

    public boolean writable() {
        return createable || updateable;
    }

    /** An insert without a value for it fails (REQUIRED_FIELD_MISSING). */
    public boolean required() {
        return createable && !nillable && !defaultedOnCreate;
    }
}
