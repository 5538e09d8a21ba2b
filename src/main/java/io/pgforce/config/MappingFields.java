package io.pgforce.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** How mapping fields and relationships become columns: shared by both mapping formats. */
final class MappingFields {

    /** Salesforce fields every mapping table holds as system columns; never written by pgforce. */
    private static final Set<String> SYSTEM_FIELDS = Set.of("id", "isdeleted", "systemmodstamp", "createddate");

    private static final Map<String, String> STANDARD_OBJECTS = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    static {
        for (String o : new String[] {"Account", "Asset", "Campaign", "Case", "Contact", "Contract", "Lead", "Opportunity",
            "Order", "Pricebook2", "Product2", "User", "Task", "Event", "Quote"}) {
            STANDARD_OBJECTS.put(o, o);
        }
    }

    private MappingFields() {
    }

    static boolean isSystemField(String name) {
        return SYSTEM_FIELDS.contains(name.toLowerCase(Locale.ROOT));
    }

    static boolean isStandardObject(String name) {
        return STANDARD_OBJECTS.containsKey(name);
    }

    static String canonicalObject(String name) {
        return STANDARD_OBJECTS.getOrDefault(name, name);
    }

    /** The referenced object of a relationship name: {@code Invoice__r} -> {@code Invoice__c}, {@code Account} -> {@code Account}. */
    static String parentObjectOf(String relationshipName) {
        return relationshipName.endsWith("__r") ? relationshipName.substring(0, relationshipName.length() - 3) + "__c" : relationshipName;
    }

    static MappingField field(MappingTree tree, String object, String name, String typeText, FieldDirection direction) {
        if (!Identifiers.isSalesforceName(name)) {
            throw tree.error(object, name, "not a valid Salesforce field API name (letters, digits and underscores, starting with a letter)");
        }
        PgType type = PgType.parse(typeText)
                .orElseThrow(() -> tree.error(object, name, "unsupported Postgres type '" + typeText
                        + "' (use varchar(n) with n from 1 to 10485760, text, boolean, integer, bigint, smallint, double precision, real,"
                        + " numeric(p,s) with p from 1 to 1000 and s from 0 to p, date, timestamp, timestamptz or time)"));
        return new MappingField(name, name.toLowerCase(Locale.ROOT), type, direction);
    }

    static Relationship relationship(MappingTree tree, String object, String name, String parent, String externalId, String typeText) {
        for (String part : new String[] {name, parent, externalId}) {
            if (!Identifiers.isSalesforceName(part)) {
                throw tree.error(object, name, "'" + part + "' is not a valid Salesforce API name in this relationship");
            }
        }
        PgType type = typeText == null ? PgType.VARCHAR_255 : PgType.parse(typeText)
                .orElseThrow(() -> tree.error(object, name, "unsupported Postgres type '" + typeText + "'"));
        return new Relationship(name, parent, externalId, Relationship.columnFor(name, externalId), type);
    }

    /**
     * A column type for a field known only by name (mapping exports carry no types): lookups and
     * Ids hold 18-character Ids, {@code Is*} fields are checkboxes, everything else text.
     */
    static PgType guessType(String name) {
        if (name.endsWith("Id")) {
            return PgType.SFID;
        }
        if (name.length() > 2 && name.startsWith("Is") && Character.isUpperCase(name.charAt(2))) {
            return PgType.BOOLEAN;
        }
        return PgType.VARCHAR_255;
    }
}
