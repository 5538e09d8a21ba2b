package io.pgforce.salesforce;

import io.pgforce.config.PgType;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a captured value can reach Salesforce as it is. A value the SOAP API cannot carry, or
 * one Salesforce would hold as something else, fails its own record with a message saying which
 * column holds what, instead of failing the call it travels in (every record of it) or arriving
 * changed. The same rules hold whichever API a batch takes, so a value's fate never depends on
 * how many changes travel with it.
 */
final class SendableValues {

    /** Salesforce's date range (Data Loader's "Data Import Dates"; the API refuses the rest). */
    static final int FIRST_YEAR = 1700;
    static final int LAST_YEAR = 4000;
    private static final Set<String> DATE_TYPES = Set.of("date", "timestamp", "timestamptz");
    /** How Postgres writes a date or timestamp in JSON: the year first, " BC" after a date before year 1. */
    private static final Pattern YEAR = Pattern.compile("(\\d{4,})-\\d{2}-\\d{2}.*");
    private static final Set<String> NOT_NUMBERS = Set.of("NaN", "Infinity", "-Infinity");

    private SendableValues() {
    }

    /** Why the value of this column cannot be sent, or empty when it can. */
    static Optional<String> problem(String column, PgType type, Object value) {
        if (!(value instanceof String text)) {
            return Optional.empty(); // numbers and booleans arrive as JSON numbers and booleans
        }
        String sql = type == null ? "" : type.sql();
        if (DATE_TYPES.contains(sql)) {
            Optional<String> date = outOfRange(text);
            if (date.isPresent()) {
                return Optional.of("column " + column + " holds " + text + ", " + date.get());
            }
        }
        if (NOT_NUMBERS.contains(text) && isNumber(sql)) {
            return Optional.of("column " + column + " holds " + text + ", which Salesforce cannot hold in a number field");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!xmlCharacter(c, text, i)) {
                return Optional.of(String.format("column %s holds U+%04X at character %d, which the SOAP API cannot carry (XML 1.0 "
                        + "allows no control character but tab, line feed and carriage return, and no U+FFFE or U+FFFF)", column, (int) c, i + 1));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> outOfRange(String text) {
        if (text.endsWith(" BC") || text.endsWith("infinity")) {
            return Optional.of("but Salesforce holds dates from " + FIRST_YEAR + "-01-01 to " + LAST_YEAR + "-12-31 only");
        }
        Matcher m = YEAR.matcher(text);
        if (m.matches()) {
            int year = m.group(1).length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(m.group(1));
            if (year < FIRST_YEAR || year > LAST_YEAR) {
                return Optional.of("outside Salesforce's dates, " + FIRST_YEAR + "-01-01 to " + LAST_YEAR + "-12-31");
            }
        }
        return Optional.empty();
    }

    private static boolean isNumber(String sql) {
        return sql.startsWith("numeric") || sql.equals("double precision") || sql.equals("real");
    }

    /** XML 1.0's Char production, with surrogates only in pairs. */
    private static boolean xmlCharacter(char c, String text, int i) {
        if (c < 0x20) {
            return c == '\t' || c == '\n' || c == '\r';
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
        }
        return c != 0xFFFE && c != 0xFFFF;
    }
}
