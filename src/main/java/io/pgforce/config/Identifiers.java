package io.pgforce.config;

import java.util.regex.Pattern;

/**
 * Rules for the names a mapping may contain. Salesforce API names and the Postgres names derived
 * from them are restricted to plain identifiers, and are still quoted wherever they reach SQL.
 */
public final class Identifiers {

    /** Salesforce API names: a letter, then letters, digits and single underscores (custom suffixes allowed). */
    private static final Pattern SALESFORCE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
    /** Postgres names pgforce creates: lower case, unquoted-safe, at most 63 bytes. */
    private static final Pattern POSTGRES = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private Identifiers() {
    }

    public static boolean isSalesforceName(String name) {
        return name != null && SALESFORCE.matcher(name).matches() && !name.endsWith("_") && !name.contains("___");
    }

    public static boolean isPostgresName(String name) {
        return name != null && POSTGRES.matcher(name).matches();
    }

    /** Double-quotes a Postgres identifier (doubling embedded quotes, though validated names have none). */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A SQL string literal; the names passed here are validated identifiers, the escaping is belt and braces. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** Schema-qualified, quoted name. */
    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }
}
