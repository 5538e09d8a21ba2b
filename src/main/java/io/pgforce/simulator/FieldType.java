package io.pgforce.simulator;

import java.util.Locale;

/** Salesforce field types the simulator knows, by their describe names. */
public enum FieldType {
    ID, STRING, TEXTAREA, EMAIL, PHONE, PICKLIST, BOOLEAN, INT, DOUBLE, CURRENCY, PERCENT, DATE, DATETIME, REFERENCE;

    public String describeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FieldType parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    boolean textual() {
        return this == STRING || this == TEXTAREA || this == EMAIL || this == PHONE || this == PICKLIST;
    }

    boolean numeric() {
        return this == INT || this == DOUBLE || this == CURRENCY || this == PERCENT;
    }
}
