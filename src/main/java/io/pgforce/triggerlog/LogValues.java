package io.pgforce.triggerlog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.config.PgType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trigger-log row's {@code values} (or {@code old}) column as a map of column name to value.
 *
 * <p>Two writers fill that column. pgforce's own capture writes a JSON object, each value being
 * what {@code to_jsonb} gives for the column. Heroku Connect, whose databases pgforce takes over,
 * writes hstore's text form ({@code "name"=>"Acme", "sfid"=>NULL}), each value a string in the
 * column type's output form as the application's session rendered it (DateStyle ISO). Rows of
 * both may wait in the same log, so both must become the same map: the JSON is read as it always
 * was, and each hstore string is turned into exactly what Jackson reads from {@code to_jsonb} of
 * that value (a boolean, a number, a date or timestamp in to_jsonb's form, a string).
 */
public final class LogValues {

    /** The text cannot be read: its message is one line saying what is wrong and where. */
    public static final class Unreadable extends Exception {

        private static final long serialVersionUID = 1L;

        public Unreadable(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    /** Jackson refuses a JSON number of more digits than this (StreamReadConstraints' default maxNumberLength). */
    private static final int LONGEST_NUMBER = 1000;
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern NUMBER = Pattern.compile("-?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");
    private static final String DATE = "[0-9]{4,}-[0-9]{2}-[0-9]{2}";
    private static final String TIME = "[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,6})?";
    private static final Pattern DATE_ONLY = Pattern.compile(DATE + "(?: BC)?");
    private static final Pattern TIME_ONLY = Pattern.compile(TIME);
    private static final Pattern TIMESTAMP = Pattern.compile("(?<date>" + DATE + ") (?<time>" + TIME + ")(?<bc> BC)?");
    private static final Pattern TIMESTAMPTZ = Pattern.compile("(?<date>" + DATE + ") (?<time>" + TIME + ")"
            + "(?<hours>[-+][0-9]{2})(?<minutes>:[0-9]{2})?(?<seconds>:[0-9]{2})?(?<bc> BC)?");
    private static final int SHOWN = 60;

    private LogValues() {
    }

    /**
     * The columns and values of a trigger-log {@code values} or {@code old} text: empty for null or
     * empty text; every key of a JSON object (text starting with '{'); of hstore text, only the
     * keys of {@code capturedColumns}, each value converted by that column's type. A NULL value is
     * a null entry. The map is unmodifiable and keeps the text's order.
     *
     * @throws Unreadable when the text is neither, or a captured value is not of its column's type
     * @throws IllegalArgumentException when a captured column's type is none PgType accepts
     */
    public static Map<String, Object> read(String text, Map<String, PgType> capturedColumns) throws Unreadable {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        if (text.stripLeading().startsWith("{")) {
            return json(text);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : hstore(text).entrySet()) {
            PgType type = capturedColumns.get(pair.getKey());
            if (type != null) {
                result.put(pair.getKey(), pair.getValue() == null ? null : value(pair.getKey(), pair.getValue(), type));
            }
        }
        return Collections.unmodifiableMap(result);
    }

    private static Map<String, Object> json(String text) throws Unreadable {
        try {
            return Collections.unmodifiableMap(JSON.readValue(text, MAP));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getCharOffset() < 0 ? "" : " at character " + (at.getCharOffset() + 1);
            throw new Unreadable("not valid JSON: " + oneLine(e.getOriginalMessage()) + where);
        }
    }

    // ---- hstore text: the input rules of hstore's documentation (quoted or bare words, '=>', ',', backslash escapes) ----

    /**
     * The pairs of an hstore text in their order, a NULL value as null. Accepts what hstore's input
     * accepts (unquoted words, spaces around '=>' and ',', backslash escapes, a trailing ','), but
     * refuses a key given twice, of which hstore keeps an unspecified one.
     */
    static Map<String, String> hstore(String text) throws Unreadable {
        Map<String, String> pairs = new LinkedHashMap<>();
        HstoreParser p = new HstoreParser(text);
        while (true) {
            int keyAt = p.skipSpaces();
            if (p.atEnd()) {
                return pairs;
            }
            String key = p.word(false);
            p.skipSpaces();
            p.expectArrow();
            p.skipSpaces();
            if (p.atEnd()) {
                throw p.error("expected a value at character " + p.character() + ", the end of the text");
            }
            boolean quoted = p.peek() == '"';
            String value = p.word(true);
            if (!quoted && value.equalsIgnoreCase("NULL")) {
                value = null;
            }
            if (pairs.containsKey(key)) {
                throw p.error("key " + shown(key) + " at character " + (keyAt + 1) + " was given before");
            }
            pairs.put(key, value);
            p.skipSpaces();
            if (p.atEnd()) {
                return pairs;
            }
            if (p.peek() != ',') {
                throw p.error("expected ',' at character " + p.character() + ", found " + shown(String.valueOf(p.peek())));
            }
            p.next();
        }
    }

    private static final class HstoreParser {

        private final String text;
        private int at;

        HstoreParser(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        char peek() {
            return text.charAt(at);
        }

        void next() {
            at++;
        }

        /** 1-based, as Postgres counts. */
        int character() {
            return at + 1;
        }

        /** Skips hstore's white space (scanner_isspace) and says where it stopped. */
        int skipSpaces() {
            while (!atEnd() && space(peek())) {
                at++;
            }
            return at;
        }

        void expectArrow() throws Unreadable {
            for (char c : new char[] {'=', '>'}) {
                if (atEnd()) {
                    throw error("expected '=>' at character " + character() + ", the end of the text");
                }
                if (peek() != c) {
                    throw error("expected '=>' at character " + character() + ", found " + shown(String.valueOf(peek())));
                }
                at++;
            }
        }

        /**
         * A quoted or unquoted word, escapes resolved. An unquoted key ends before '=' or a space,
         * an unquoted value before ',' or a space.
         */
        String word(boolean value) throws Unreadable {
            StringBuilder word = new StringBuilder();
            if (peek() == '"') {
                int start = at;
                at++;
                while (true) {
                    if (atEnd()) {
                        throw error("the quoted " + (value ? "value" : "key") + " starting at character " + (start + 1) + " never ends");
                    }
                    char c = text.charAt(at++);
                    if (c == '"') {
                        return word.toString();
                    }
                    word.append(c == '\\' ? escaped() : c);
                }
            }
            if (!value && peek() == '=') {
                throw error("expected a key at character " + character() + ", found '='");
            }
            char first = text.charAt(at++); // even a ',' starts an unquoted word, as in hstore_in
            word.append(first == '\\' ? escaped() : first);
            while (!atEnd()) {
                char c = peek();
                if (space(c) || (value ? c == ',' : c == '=')) {
                    break;
                }
                at++;
                word.append(c == '\\' ? escaped() : c);
            }
            return word.toString();
        }

        private char escaped() throws Unreadable {
            if (atEnd()) {
                throw error("nothing follows the '\\' at character " + at);
            }
            return text.charAt(at++);
        }

        /** hstore's white space: scanner_isspace. */
        private static boolean space(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        }

        Unreadable error(String what) {
            return new Unreadable("not JSON nor hstore text: " + what);
        }
    }

    // ---- hstore strings to to_jsonb's values ----

    private enum Kind { TEXT, BOOLEAN, INTEGER, NUMBER, DATE, TIME, TIMESTAMP, TIMESTAMPTZ }

    private static Kind kind(PgType type) {
        String sql = PgType.parse(type.sql()).map(PgType::sql)
                .orElseThrow(() -> new IllegalArgumentException("pgforce cannot read values of type " + type.sql()));
        if (sql.equals("text") || sql.startsWith("varchar")) {
            return Kind.TEXT;
        }
        if (sql.startsWith("numeric")) {
            return Kind.NUMBER;
        }
        return switch (sql) {
            case "boolean" -> Kind.BOOLEAN;
            case "smallint", "integer", "bigint" -> Kind.INTEGER;
            case "real", "double precision" -> Kind.NUMBER;
            case "date" -> Kind.DATE;
            case "time" -> Kind.TIME;
            case "timestamp" -> Kind.TIMESTAMP;
            case "timestamptz" -> Kind.TIMESTAMPTZ;
            default -> throw new IllegalArgumentException("pgforce cannot read values of type " + sql);
        };
    }

    private static Object value(String column, String text, PgType type) throws Unreadable {
        return switch (kind(type)) {
            case TEXT -> text;
            case BOOLEAN -> {
                if (!text.equals("t") && !text.equals("f")) {
                    throw refusal(column, text, "a boolean (t or f)");
                }
                yield text.equals("t");
            }
            case INTEGER -> number(column, matching(INTEGER, column, text, "an integer").group());
            case NUMBER -> {
                if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
                    yield text; // to_jsonb writes these as strings: JSON has no such numbers
                }
                yield number(column, matching(NUMBER, column, text, "a number").group());
            }
            case DATE -> infinite(text) ? text : matching(DATE_ONLY, column, text, "a date in ISO form (YYYY-MM-DD)").group();
            case TIME -> matching(TIME_ONLY, column, text, "a time (HH:MM:SS)").group();
            case TIMESTAMP -> {
                if (infinite(text)) {
                    yield text;
                }
                Matcher m = matching(TIMESTAMP, column, text, "a timestamp in ISO form (YYYY-MM-DD HH:MM:SS)");
                yield m.group("date") + "T" + m.group("time") + orEmpty(m.group("bc"));
            }
            case TIMESTAMPTZ -> {
                if (infinite(text)) {
                    yield text;
                }
                Matcher m = matching(TIMESTAMPTZ, column, text, "a timestamp with time zone in ISO form (YYYY-MM-DD HH:MM:SS+HH)");
                // to_jsonb (XML Schema form) writes the offset's minutes always, its seconds when there are any
                String minutes = m.group("minutes") == null ? ":00" : m.group("minutes");
                yield m.group("date") + "T" + m.group("time") + m.group("hours") + minutes + orEmpty(m.group("seconds")) + orEmpty(m.group("bc"));
            }
        };
    }

    /**
     * What Jackson reads from to_jsonb's form of a number: jsonb holds it as numeric, written out
     * in plain digits (no exponent, no negative zero, the scale kept); Jackson reads a number
     * without a fraction as the smallest of Integer, Long and BigInteger, one with as a Double.
     */
    private static Object number(String column, String text) throws Unreadable {
        BigDecimal value = new BigDecimal(text);
        // the digits Jackson counts in the plain form: before the point (none for a lone 0) and after it
        long digits = Math.max((long) value.precision() - value.scale(), 0) + Math.max(value.scale(), 0);
        if (digits > LONGEST_NUMBER) {
            throw new Unreadable("column " + column + " holds a number longer than the " + LONGEST_NUMBER + " digits pgforce reads");
        }
        BigDecimal plain = value.scale() < 0 ? value.setScale(0) : value;
        if (plain.scale() > 0) {
            return Double.parseDouble(plain.toPlainString());
        }
        BigInteger integer = plain.toBigIntegerExact();
        if (integer.bitLength() < Integer.SIZE) {
            return integer.intValue();
        }
        if (integer.bitLength() < Long.SIZE) {
            return integer.longValue();
        }
        return integer;
    }

    private static Matcher matching(Pattern form, String column, String text, String what) throws Unreadable {
        Matcher m = form.matcher(text);
        if (!m.matches()) {
            throw refusal(column, text, what);
        }
        return m;
    }

    private static boolean infinite(String text) {
        return text.equals("infinity") || text.equals("-infinity");
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Unreadable refusal(String column, String text, String what) {
        return new Unreadable("column " + column + " holds " + shown(text) + ", which is not " + what);
    }

    /** A value quoted for a one-line message: control characters escaped, a long one cut. */
    private static String shown(String text) {
        String cut = text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text;
        StringBuilder s = new StringBuilder("'");
        for (char c : cut.toCharArray()) {
            switch (c) {
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append("'").toString();
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").trim();
    }
}
