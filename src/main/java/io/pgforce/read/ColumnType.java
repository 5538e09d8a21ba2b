package io.pgforce.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mapping table column's type as the catalog writes it ({@code format_type}), and how a value of
 * Salesforce's REST JSON becomes text Postgres takes for it: the value is checked here, so that one
 * that does not fit fails its record alone, before any statement. Strings, numbers and booleans
 * come as JSON; dates as {@code 2024-01-31}, datetimes as {@code 2024-01-31T12:00:00.000+0000},
 * stored in UTC; an empty string is NULL. A type not listed below gets the text as it came, for
 * Postgres to cast.
 */
record ColumnType(String sql, Kind kind, int length, int precision, int scale) {

    enum Kind { TEXT, BOOLEAN, SMALLINT, INTEGER, BIGINT, NUMERIC, DOUBLE, REAL, DATE, TIMESTAMP, TIMESTAMPTZ, TIME, OTHER }

    /** A value that does not fit the column; the message says why, for the record's one line. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final Pattern TEXT = Pattern.compile("(?:character varying|character|varchar|text|bpchar)(?:\\((\\d+)\\))?");
    private static final Pattern NUMERIC = Pattern.compile("numeric(?:\\((\\d+)(?:,(\\d+))?\\))?");
    private static final Pattern TIMESTAMP = Pattern.compile("timestamp(?:\\(\\d\\))? with(out)? time zone");
    private static final Pattern TIME = Pattern.compile("time(?:\\(\\d\\))? without time zone");
    /** Salesforce writes datetimes {@code ...000+0000}; ISO's {@code Z} and {@code +00:00} are read too, and a missing zone is UTC. */
    private static final DateTimeFormatter DATETIME = new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final DateTimeFormatter TIMESTAMPTZ_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS'+00'", Locale.ROOT);

    /** The type {@code format_type} names (lower case, its modifiers without spaces: {@code numeric(18,2)}). */
    static ColumnType of(String sql) {
        String t = sql;
        Matcher m = TEXT.matcher(t);
        if (m.matches()) {
            return new ColumnType(sql, Kind.TEXT, m.group(1) == null ? 0 : Integer.parseInt(m.group(1)), 0, 0);
        }
        m = NUMERIC.matcher(t);
        if (m.matches()) {
            return new ColumnType(sql, Kind.NUMERIC, 0, m.group(1) == null ? 0 : Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
        }
        m = TIMESTAMP.matcher(t);
        if (m.matches()) {
            return new ColumnType(sql, m.group(1) == null ? Kind.TIMESTAMPTZ : Kind.TIMESTAMP, 0, 0, 0);
        }
        if (TIME.matcher(t).matches()) {
            return new ColumnType(sql, Kind.TIME, 0, 0, 0);
        }
        Kind kind = switch (t) {
            case "boolean" -> Kind.BOOLEAN;
            case "smallint" -> Kind.SMALLINT;
            case "integer" -> Kind.INTEGER;
            case "bigint" -> Kind.BIGINT;
            case "double precision" -> Kind.DOUBLE;
            case "real" -> Kind.REAL;
            case "date" -> Kind.DATE;
            default -> Kind.OTHER;
        };
        return new ColumnType(sql, kind, 0, 0, 0);
    }

    /** The value as text of this type, or null for JSON null, a missing field or an empty string. */
    String text(JsonNode value) throws Refused {
        if (value == null || value.isNull() || value.isMissingNode() || value.isTextual() && value.asText().isEmpty()) {
            return null;
        }
        if (value.isContainerNode()) {
            throw new Refused("a JSON " + value.getNodeType().name().toLowerCase(Locale.ROOT) + " is no value for " + sql);
        }
        String raw = value.asText();
        try {
            return switch (kind) {
                case TEXT -> text(raw);
                case BOOLEAN -> bool(value, raw);
                case SMALLINT -> whole(raw, Short.MIN_VALUE, Short.MAX_VALUE);
                case INTEGER -> whole(raw, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case BIGINT -> whole(raw, Long.MIN_VALUE, Long.MAX_VALUE);
                case NUMERIC -> numeric(raw);
                case DOUBLE -> floating(raw, Double.MAX_VALUE);
                case REAL -> floating(raw, Float.MAX_VALUE);
                case DATE -> date(raw).toString();
                case TIMESTAMP -> LocalDateTime.ofInstant(instant(raw), ZoneOffset.UTC).toString();
                case TIMESTAMPTZ -> TIMESTAMPTZ_TEXT.format(instant(raw).atOffset(ZoneOffset.UTC));
                case TIME -> LocalTime.parse(raw.endsWith("Z") ? raw.substring(0, raw.length() - 1) : raw).toString();
                case OTHER -> raw;
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new Refused("'" + raw + "' is not a value of " + sql);
        }
    }

    /** A datetime as Salesforce writes it ({@code SystemModstamp}, {@code CreatedDate}); a date alone is its midnight UTC. */
    static Instant instant(String text) {
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        TemporalAccessor parsed = DATETIME.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }

    private static LocalDate date(String text) {
        return text.length() == 10 ? LocalDate.parse(text) : LocalDate.ofInstant(instant(text), ZoneOffset.UTC);
    }

    private String text(String raw) throws Refused {
        int characters = raw.codePointCount(0, raw.length());
        if (length > 0 && characters > length) {
            throw new Refused(characters + " characters do not fit " + sql);
        }
        return raw;
    }

    private String bool(JsonNode value, String raw) throws Refused {
        if (value.isBoolean() || raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
            return raw.toLowerCase(Locale.ROOT);
        }
        throw new Refused("'" + raw + "' is not a value of " + sql);
    }

    private String whole(String raw, long least, long most) throws Refused {
        BigDecimal n = new BigDecimal(raw.strip());
        BigInteger whole;
        try {
            whole = n.toBigIntegerExact();
        } catch (ArithmeticException fraction) {
            throw new Refused(raw + " is not a whole number, as " + sql + " holds");
        }
        if (whole.compareTo(BigInteger.valueOf(least)) < 0 || whole.compareTo(BigInteger.valueOf(most)) > 0) {
            throw new Refused(raw + " is outside the range of " + sql);
        }
        return whole.toString();
    }

    /** As Postgres stores it: rounded to the scale, refused when the digits before the point do not fit. */
    private String numeric(String raw) throws Refused {
        BigDecimal n = new BigDecimal(raw.strip());
        if (precision == 0) {
            return n.toPlainString();
        }
        BigDecimal rounded = n.setScale(scale, RoundingMode.HALF_UP);
        if (rounded.precision() - rounded.scale() > precision - scale) {
            throw new Refused(raw + " does not fit " + sql);
        }
        return rounded.toPlainString();
    }

    private String floating(String raw, double most) throws Refused {
        double d = new BigDecimal(raw.strip()).doubleValue();
        if (Double.isInfinite(d) || Math.abs(d) > most) {
            throw new Refused(raw + " is outside the range of " + sql);
        }
        return Double.toString(d);
    }
}
