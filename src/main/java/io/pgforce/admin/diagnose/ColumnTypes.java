package io.pgforce.admin.diagnose;

import io.pgforce.config.PgType;
import io.pgforce.salesforce.FieldInfo;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Postgres column types can hold which Salesforce field types, for values travelling from
 * the column to the field. The levels:
 * <ul>
 * <li>RED: the column's kind of value does not fit the field's (text for a number, fractions for an
 * int, a number for a checkbox): ordinary values are rejected or silently changed;</li>
 * <li>YELLOW: ordinary values fit, some do not (longer than the field, more digits or decimals
 * than it keeps, a time of day a date field drops), or the column cannot hold every value the
 * field can (a shorter varchar): those rows fail or are cut;</li>
 * <li>GREEN: every value fits both ways.</li>
 * </ul>
 */
final class ColumnTypes {

    /** The verdict on one column, and why. */
    record Fit(Status status, String why) {
    }

    private static final Set<String> TEXT_FIELDS = Set.of("string", "textarea", "picklist", "multipicklist", "combobox", "email", "url",
            "phone", "encryptedstring");
    private static final Set<String> DECIMAL_FIELDS = Set.of("double", "currency", "percent");
    private static final Pattern VARCHAR = Pattern.compile("varchar\\((\\d+)\\)");
    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+)(?:,(\\d+))?\\)");
    /** Salesforce int fields are 32-bit. */
    private static final int INT_DIGITS = 9;
    private static final int ID_LENGTH = 18;

    private ColumnTypes() {
    }

    /** {@code type} is the column's type as PgType renders it, or empty when it is none PgType knows. */
    static Fit fit(Optional<PgType> type, FieldInfo field) {
        if (type.isEmpty()) {
            return new Fit(Status.YELLOW, "pgforce cannot judge this column type; check that it holds every value of the field");
        }
        String column = type.get().sql();
        String t = field.type();
        if (t.equals("int")) {
            return intField(column);
        }
        if (DECIMAL_FIELDS.contains(t)) {
            return decimalField(column, field);
        }
        if (TEXT_FIELDS.contains(t)) {
            return textField(column, field);
        }
        return switch (t) {
            case "boolean" -> column.equals("boolean") ? ok() : red("only a boolean column holds a checkbox's true and false");
            case "date" -> column.equals("date") ? ok() : isTimestamp(column) ? yellow("the time of day is dropped: the field holds a date")
                    : red("a date field takes dates only");
            case "datetime" -> isTimestamp(column) ? ok() : column.equals("date") ? yellow("a date holds no time of day: it is sent as midnight UTC")
                    : red("a date/time field takes timestamps only");
            case "time" -> column.equals("time") ? ok() : red("a time field takes times of day only");
            case "id", "reference" -> idField(column);
            case "base64" -> red("pgforce does not write binary (base64) fields");
            default -> yellow("pgforce does not check columns for Salesforce '" + t + "' fields");
        };
    }

    /** The column type that holds every value of the field, for the action: exact where the original's type is not. */
    static String suggested(FieldInfo field) {
        String t = field.type();
        if (t.equals("int")) {
            return "integer";
        }
        if (DECIMAL_FIELDS.contains(t) && field.precision() > 0) {
            return "numeric(" + field.precision() + "," + field.scale() + ")";
        }
        return field.columnType().sql();
    }

    private static Fit intField(String column) {
        if (column.equals("integer") || column.equals("smallint")) {
            return ok();
        }
        if (column.equals("bigint")) {
            return yellow("values beyond the 32-bit range of an int field are rejected");
        }
        Matcher numeric = NUMERIC.matcher(column);
        if (numeric.matches() && (numeric.group(2) == null || Integer.parseInt(numeric.group(2)) == 0)) {
            return Integer.parseInt(numeric.group(1)) <= INT_DIGITS ? ok() : yellow("values beyond the 32-bit range of an int field are rejected");
        }
        if (column.equals("double precision") || column.equals("real") || column.startsWith("numeric")) {
            return red("the column holds fractions, which an int field cannot take: they are rejected or cut off");
        }
        return red("an int field takes whole numbers only");
    }

    private static Fit decimalField(String column, FieldInfo field) {
        int wholeDigits = field.precision() - field.scale();
        if (column.equals("double precision") || column.equals("real")) {
            return ok(); // the SOAP and Bulk APIs carry these fields as doubles; Heroku Connect uses double precision too
        }
        int columnWhole = switch (column) {
            case "smallint" -> 5;
            case "integer" -> 10;
            case "bigint" -> 19;
            default -> -1;
        };
        int columnScale = 0;
        Matcher numeric = NUMERIC.matcher(column);
        if (numeric.matches()) {
            columnScale = numeric.group(2) == null ? 0 : Integer.parseInt(numeric.group(2));
            columnWhole = Integer.parseInt(numeric.group(1)) - columnScale;
        } else if (column.equals("numeric")) {
            return field.precision() > 0 ? yellow("values beyond the field's " + field.precision() + " digits (" + field.scale()
                    + " decimals) are rejected or rounded") : ok();
        }
        if (columnWhole < 0) {
            return red("a " + field.type() + " field takes numbers only");
        }
        if (field.precision() <= 0) {
            return ok();
        }
        if (columnScale > field.scale()) {
            return yellow("Salesforce rounds values to the field's " + field.scale() + " decimals");
        }
        if (columnWhole > wholeDigits) {
            return yellow("values with more than the field's " + wholeDigits + " digits before the point are rejected");
        }
        return ok();
    }

    private static Fit textField(String column, FieldInfo field) {
        int length = field.length();
        Matcher varchar = VARCHAR.matcher(column);
        if (varchar.matches()) {
            int n = Integer.parseInt(varchar.group(1));
            if (length <= 0 || n == length) {
                return ok();
            }
            return n > length ? yellow("values longer than the field's " + length + " characters are rejected (STRING_TOO_LONG)")
                    : yellow("the column holds only " + n + " of the field's " + length + " characters: longer values are cut or do not fit");
        }
        if (column.equals("text") || column.equals("varchar")) {
            return field.type().equals("textarea") || length <= 0 ? ok()
                    : yellow("values longer than the field's " + length + " characters are rejected (STRING_TOO_LONG)");
        }
        return yellow("values are sent as text as Postgres renders them; check the field accepts that form");
    }

    private static Fit idField(String column) {
        Matcher varchar = VARCHAR.matcher(column);
        if (varchar.matches()) {
            return Integer.parseInt(varchar.group(1)) >= ID_LENGTH ? ok() : yellow("18-character Salesforce Ids do not fit");
        }
        return column.equals("text") || column.equals("varchar") ? ok() : red("an Id or lookup field takes 15- or 18-character Ids only");
    }

    private static boolean isTimestamp(String column) {
        return column.equals("timestamp") || column.equals("timestamptz");
    }

    private static Fit ok() {
        return new Fit(Status.GREEN, "");
    }

    private static Fit yellow(String why) {
        return new Fit(Status.YELLOW, why);
    }

    private static Fit red(String why) {
        return new Fit(Status.RED, why);
    }
}
