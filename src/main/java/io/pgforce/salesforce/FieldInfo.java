package io.pgforce.salesforce;

import java.util.List;

/** What the org's describe says of one field. */
public record FieldInfo(String name, String type, boolean createable, boolean updateable, boolean externalId,
                        List<String> referenceTo, String relationshipName) {

    public FieldInfo {
        referenceTo = referenceTo == null ? List.of() : List.copyOf(referenceTo);
    }

    public boolean writable() {
        return createable || updateable;
    }
}
