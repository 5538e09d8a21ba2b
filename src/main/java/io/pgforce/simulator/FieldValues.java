package io.pgforce.simulator;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How Salesforce reads a field's text: strings trimmed and empty ones null, numbers through a
 * double (15 significant digits), booleans, ISO dates and times; with the errors a real org gives.
 */
final class FieldValues {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final DateTimeFormatter SALESFORCE_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    /** Bulk API 2.0 query results write datetimes in UTC with a {@code Z}, where the REST API writes {@code +0000}. */
    private static final DateTimeFormatter BULK_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    private static final DateTimeFormatter ANY_DATETIME = new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    /** A converted value, or the error that stopped it. */
    record Converted(Object value, SimError error) {
    }

    private FieldValues() {
    }

    static Converted convert(FieldDef f, String raw, boolean allowTruncation) {
        if (raw == null) {
            return new Converted(null, null);
        }
        String text = raw.strip();
        if (text.isEmpty()) {
            return new Converted(f.type() == FieldType.BOOLEAN ? Boolean.FALSE : null, null);
        }
        try {
            return switch (f.type()) {
                case STRING, TEXTAREA, PHONE, PICKLIST, EMAIL -> text(f, text, allowTruncation);
                case ID, REFERENCE -> SalesforceIds.wellFormed(text) ? new Converted(SalesforceIds.normalize(text), null)
                        : error("MALFORMED_ID", f.label() + ": id value of incorrect type: " + text, f);
                case BOOLEAN -> bool(f, text);
                case INT, DOUBLE, CURRENCY, PERCENT -> number(f, text);
                case DATE -> new Converted(LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text), null);
                case DATETIME -> new Converted(instant(text), null);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return error("INVALID_TYPE_ON_FIELD_IN_RECORD", f.label() + ": value not of required type: " + text, f);
        }
    }

    private static Converted text(FieldDef f, String text, boolean allowTruncation) {
        if (f.length() > 0 && text.length() > f.length()) {
            if (!allowTruncation) {
                return error("STRING_TOO_LONG", f.label() + ": data value too large: " + text + " (max length=" + f.length() + ")", f);
            }
            text = text.substring(0, f.length());
        }
        if (f.type() == FieldType.EMAIL && !EMAIL.matcher(text).matches()) {
            return error("INVALID_EMAIL_ADDRESS", f.label() + ": invalid email address: " + text, f);
        }
        return new Converted(text, null);
    }

    private static Converted bool(FieldDef f, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> new Converted(Boolean.TRUE, null);
            case "false", "0" -> new Converted(Boolean.FALSE, null);
            default -> error("INVALID_TYPE_ON_FIELD_IN_RECORD", f.label() + ": value not of required type: " + text, f);
        };
    }

    private static Converted number(FieldDef f, String text) {
        BigDecimal exact = new BigDecimal(text);
        double value = exact.round(MathContext.DECIMAL64).round(new MathContext(15)).doubleValue();
        if (f.type() == FieldType.INT && (exact.stripTrailingZeros().scale() > 0 || Math.abs(value) > Integer.MAX_VALUE)) {
            return error("NUMBER_OUTSIDE_VALID_RANGE", f.label() + ": value outside of valid range on numeric field: " + text, f);
        }
        if (Math.abs(value) >= 1e18) {
            return error("NUMBER_OUTSIDE_VALID_RANGE", f.label() + ": value outside of valid range on numeric field: " + text, f);
        }
        return new Converted(value, null);
    }

    /** An ISO datetime, its offset as {@code Z}, {@code +01:00} or {@code +0100}, seconds and fraction optional; no zone: GMT, as Salesforce reads it. */
    static Instant instant(String text) {
        TemporalAccessor parsed = ANY_DATETIME.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }

    private static Converted error(String code, String message, FieldDef f) {
        return new Converted(null, SimError.of(code, message, f.name()));
    }

    /** A value as the APIs write it back: REST JSON and SOQL. */
    static Object json(Object value) {
        if (value instanceof Instant i) {
            return SALESFORCE_DATETIME.format(i.atOffset(ZoneOffset.UTC));
        }
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d; // JSON numbers stay numbers
        }
        return value;
    }

    /** A value as Bulk API 2.0 query results write it: empty for null, dates YYYY-MM-DD, datetimes 2024-01-31T23:59:59.000Z. */
    static String bulkCsv(Object value) {
        return value instanceof Instant i ? BULK_DATETIME.format(i.atOffset(ZoneOffset.UTC)) : text(value);
    }

    /** A value as text (CSV results, SOAP). */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        Object json = json(value);
        return json.toString();
    }
}
