package io.pgforce.triggerlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.pgforce.config.PgType;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a trigger-log values text: pgforce's JSON as before, Heroku Connect's hstore text as if it were to_jsonb's. */
class LogValuesTest {

    private static Map<String, PgType> columns(String... namesAndTypes) {
        Map<String, PgType> columns = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            columns.put(namesAndTypes[i], new PgType(namesAndTypes[i + 1]));
        }
        return columns;
    }

    private static Object one(String type, String hstoreValue) throws LogValues.Unreadable {
        return LogValues.read("\"v\"=>" + hstoreValue, columns("v", type)).get("v");
    }

    private static String message(String text, Map<String, PgType> columns) {
        try {
            LogValues.read(text, columns);
        } catch (LogValues.Unreadable e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("read " + text);
    }

    // ---- nothing, JSON ----

    @Test
    void nullOrEmptyTextIsNoValues() throws Exception {
        assertThat(LogValues.read(null, columns("name", "text"))).isEmpty();
        assertThat(LogValues.read("", columns("name", "text"))).isEmpty();
        assertThat(LogValues.read("  ", columns("name", "text"))).isEmpty(); // hstore's empty text
    }

    @Test
    void jsonIsReadAsBeforeWithEveryKey() throws Exception {
        Map<String, Object> values = LogValues.read(" {\"name\": \"Acme\", \"numberofemployees\": 12, \"paid__c\": true, \"amount\": 12.50, "
                + "\"sfid\": null, \"notes\": \"x\"}", columns("name", "text"));
        Map<String, Object> expected = new HashMap<>();
        expected.put("name", "Acme");
        expected.put("numberofemployees", 12);
        expected.put("paid__c", true);
        expected.put("amount", 12.5);
        expected.put("sfid", null);
        expected.put("notes", "x");
        assertThat(values).isEqualTo(expected);
    }

    @Test
    void brokenJsonSaysWhere() {
        assertThat(message("{\"name\": \"Acme\",", Map.of())).startsWith("not valid JSON: ").contains("end-of-input").endsWith("at character 17");
        assertThat(message("{\"name\" \"Acme\"}", Map.of())).startsWith("not valid JSON: ").endsWith("at character 9");
    }

    // ---- hstore syntax ----

    @Test
    void readsHstoreOutput() throws Exception {
        assertThat(LogValues.read("\"name\"=>\"Acme\", \"sfid\"=>NULL", columns("name", "text", "sfid", "varchar(18)")))
                .containsExactly(entry("name", "Acme"), entry("sfid", null));
    }

    @Test
    void resolvesEscapesInKeysAndValues() throws Exception {
        Map<String, String> pairs = LogValues.hstore("\"a\\\"b\"=>\"c\\\\d\\\"e\", \"new\nline\"=>\"tab\there\", \"x\"=>\"\\q\"");
        assertThat(pairs).containsExactly(entry("a\"b", "c\\d\"e"), entry("new\nline", "tab\there"), entry("x", "q"));
    }

    @Test
    void onlyAnUnquotedNullIsNull() throws Exception {
        assertThat(LogValues.hstore("a=>NULL, b=>null, c=>\"NULL\", d=>NULLS, e=>\"\"")).containsExactly(entry("a", null), entry("b", null),
                entry("c", "NULL"), entry("d", "NULLS"), entry("e", ""));
    }

    @Test
    void keysWithOddCharacters() throws Exception {
        assertThat(LogValues.hstore("\"\"=>\"empty\", \"a b\"=>\"1\", \"=>\"=>\",\", \"é☃\"=>\"😀\", \"{x}\"=>\"y\""))
                .containsExactly(entry("", "empty"), entry("a b", "1"), entry("=>", ","), entry("é☃", "😀"), entry("{x}", "y"));
    }

    @Test
    void acceptsHstoresLooserInput() throws Exception {
        assertThat(LogValues.hstore(" a => b ,\tc=>d=e,\n\"f\"=>g\\ h, i=>,")).containsExactly(entry("a", "b"), entry("c", "d=e"), entry("f", "g h"),
                entry("i", ","));
        assertThat(LogValues.hstore("a=>b,")).containsExactly(entry("a", "b"));
    }

    @Test
    void keepsOnlyCapturedColumnsInTheTextsOrder() throws Exception {
        Map<String, Object> values = LogValues.read("\"id\"=>\"7\", \"name\"=>\"Acme\", \"_hc_err\"=>NULL, \"notes\"=>\"private\", \"paid__c\"=>\"t\"",
                columns("paid__c", "boolean", "name", "varchar(255)"));
        assertThat(values).containsExactly(entry("name", "Acme"), entry("paid__c", true));
    }

    @Test
    void anUncapturedColumnIsNotJudged() throws Exception {
        assertThat(LogValues.read("\"paid__c\"=>\"yes\", \"name\"=>\"Acme\"", columns("name", "text"))).containsExactly(entry("name", "Acme"));
    }

    @Test
    void brokenHstoreSaysWhere() {
        Map<String, PgType> any = columns("name", "text");
        assertThat(message("\"name\"=>\"Acme\", \"paid\" \"t\"", any)).isEqualTo("not JSON nor hstore text: expected '=>' at character 24, found '\"'");
        assertThat(message("\"name\"", any)).isEqualTo("not JSON nor hstore text: expected '=>' at character 7, the end of the text");
        assertThat(message("\"name\"=", any)).isEqualTo("not JSON nor hstore text: expected '=>' at character 8, the end of the text");
        assertThat(message("\"name\"=>", any)).isEqualTo("not JSON nor hstore text: expected a value at character 9, the end of the text");
        assertThat(message("\"name\"=>\"Acme", any)).isEqualTo("not JSON nor hstore text: the quoted value starting at character 9 never ends");
        assertThat(message("\"na", any)).isEqualTo("not JSON nor hstore text: the quoted key starting at character 1 never ends");
        assertThat(message("\"name\"=>\"Acme\" \"x\"", any)).isEqualTo("not JSON nor hstore text: expected ',' at character 16, found '\"'");
        assertThat(message("=>\"Acme\"", any)).isEqualTo("not JSON nor hstore text: expected a key at character 1, found '='");
        assertThat(message("name=>Acme\\", any)).isEqualTo("not JSON nor hstore text: nothing follows the '\\' at character 11");
        assertThat(message("a b=>c", any)).isEqualTo("not JSON nor hstore text: expected '=>' at character 3, found 'b'");
        assertThat(message("name=>a, name=>b", any)).isEqualTo("not JSON nor hstore text: key 'name' at character 10 was given before");
    }

    // ---- values ----

    @Test
    void booleans() throws Exception {
        assertThat(one("boolean", "\"t\"")).isEqualTo(true);
        assertThat(one("boolean", "\"f\"")).isEqualTo(false);
        assertThat(one("boolean", "NULL")).isNull();
        assertThat(message("\"paid__c\"=>\"yes\"", columns("paid__c", "boolean"))).isEqualTo("column paid__c holds 'yes', which is not a boolean (t or f)");
    }

    @Test
    void integersAreTheSmallestJavaTypeJacksonGives() throws Exception {
        assertThat(one("integer", "\"12\"")).isEqualTo(12);
        assertThat(one("smallint", "\"-32768\"")).isEqualTo(-32768);
        assertThat(one("bigint", "\"12\"")).isEqualTo(12);
        assertThat(one("bigint", "\"2147483648\"")).isEqualTo(2147483648L);
        assertThat(one("bigint", "\"-2147483648\"")).isEqualTo(Integer.MIN_VALUE);
        assertThat(one("bigint", "\"-9223372036854775808\"")).isEqualTo(Long.MIN_VALUE);
        assertThat(message("\"n\"=>\"12.5\"", columns("n", "int4"))).isEqualTo("column n holds '12.5', which is not an integer");
        assertThat(message("\"n\"=>\"\"", columns("n", "integer"))).isEqualTo("column n holds '', which is not an integer");
    }

    @Test
    void numbersAreWhatJacksonReadsFromJsonbsPlainDigits() throws Exception {
        assertThat(one("numeric(18,2)", "\"12.50\"")).isEqualTo(12.5);
        assertThat(one("numeric", "\"12\"")).isEqualTo(12);
        assertThat(one("numeric", "\"-0.00\"")).isEqualTo(0.0).matches(v -> 1 / (Double) v > 0, "positive zero");
        assertThat(one("numeric", "\"123456789012345678901234567890\"")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(one("double precision", "\"1e+300\"")).isEqualTo(BigInteger.TEN.pow(300)); // jsonb writes 1 and 300 zeros
        assertThat(one("double precision", "\"1.5e-40\"")).isEqualTo(1.5e-40);
        assertThat(one("double precision", "\"-0\"")).isEqualTo(0); // jsonb has no negative zero
        assertThat(one("real", "\"3.4028235e+38\"")).isEqualTo(new BigInteger("340282350000000000000000000000000000000"));
        assertThat(one("float8", "\"0.1\"")).isEqualTo(0.1);
        for (String special : List.of("NaN", "Infinity", "-Infinity")) {
            assertThat(one("numeric", "\"" + special + "\"")).isEqualTo(special);
            assertThat(one("double precision", "\"" + special + "\"")).isEqualTo(special);
        }
        assertThat(message("\"amount\"=>\"12,5\"", columns("amount", "numeric"))).isEqualTo("column amount holds '12,5', which is not a number");
        assertThat(message("\"amount\"=>\"1e5000\"", columns("amount", "numeric")))
                .isEqualTo("column amount holds a number longer than the 1000 digits pgforce reads");
        assertThat(message("\"amount\"=>\"" + "1".repeat(600) + "." + "1".repeat(401) + "\"", columns("amount", "numeric")))
                .isEqualTo("column amount holds a number longer than the 1000 digits pgforce reads");
        assertThat(one("numeric", "\"" + "1".repeat(600) + "." + "1".repeat(400) + "\"")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(one("numeric", "\"0." + "0".repeat(999) + "1\"")).isEqualTo(0.0);
        assertThat(message("\"amount\"=>\"0." + "0".repeat(1000) + "1\"", columns("amount", "numeric")))
                .isEqualTo("column amount holds a number longer than the 1000 digits pgforce reads");
        assertThat(one("numeric", "\"" + "9".repeat(1000) + "\"")).isEqualTo(new BigInteger("9".repeat(1000)));
        assertThat(message("\"amount\"=>\"" + "9".repeat(1001) + "\"", columns("amount", "numeric")))
                .isEqualTo("column amount holds a number longer than the 1000 digits pgforce reads");
    }

    @Test
    void datesAndTimesInTo_jsonbsForm() throws Exception {
        String[][] typeTextJson = {
            {"date", "2024-03-01", "2024-03-01"},
            {"date", "0044-03-15 BC", "0044-03-15 BC"},
            {"date", "-infinity", "-infinity"},
            {"time", "10:00:00.5", "10:00:00.5"},
            {"timestamp", "2024-03-01 10:00:00", "2024-03-01T10:00:00"},
            {"timestamp", "0044-03-15 10:00:00.123456 BC", "0044-03-15T10:00:00.123456 BC"},
            {"timestamp", "294276-12-31 23:59:59.999999", "294276-12-31T23:59:59.999999"},
            {"timestamp", "infinity", "infinity"},
            {"timestamptz", "2024-03-01 11:00:00+01", "2024-03-01T11:00:00+01:00"},
            {"timestamptz", "2024-03-01 11:00:00.25+05:30", "2024-03-01T11:00:00.25+05:30"},
            {"timestamptz", "1900-01-01 00:00:00-03:44:51", "1900-01-01T00:00:00-03:44:51"},
            {"timestamptz", "0100-01-01 00:00:00+05:53:28 BC", "0100-01-01T00:00:00+05:53:28 BC"},
            {"timestamp with time zone", "-infinity", "-infinity"},
        };
        for (String[] c : typeTextJson) {
            assertThat(one(c[0], "\"" + c[1] + "\"")).as("%s %s", c[0], c[1]).isEqualTo(c[2]);
        }
    }

    @Test
    void datesNotInIsoFormAreRefused() {
        assertThat(message("\"closedate\"=>\"03/01/2024\"", columns("closedate", "date")))
                .isEqualTo("column closedate holds '03/01/2024', which is not a date in ISO form (YYYY-MM-DD)");
        assertThat(message("\"at\"=>\"Fri Mar 01 10:00:00 2024\"", columns("at", "timestamp")))
                .isEqualTo("column at holds 'Fri Mar 01 10:00:00 2024', which is not a timestamp in ISO form (YYYY-MM-DD HH:MM:SS)");
        assertThat(message("\"at\"=>\"2024-03-01 10:00:00 CET\"", columns("at", "timestamptz")))
                .isEqualTo("column at holds '2024-03-01 10:00:00 CET', which is not a timestamp with time zone in ISO form (YYYY-MM-DD HH:MM:SS+HH)");
        assertThat(message("\"t\"=>\"10:00\"", columns("t", "time"))).isEqualTo("column t holds '10:00', which is not a time (HH:MM:SS)");
    }

    @Test
    void aValueInAMessageStaysOnOneLineAndShort() {
        assertThat(message("\"paid__c\"=>\"y\\\"\ne\\\\s" + "x".repeat(100) + "\"", columns("paid__c", "boolean")))
                .isEqualTo("column paid__c holds 'y\"\\ne\\s" + "x".repeat(54) + "...', which is not a boolean (t or f)");
    }

    @Test
    void textStaysAsItIs() throws Exception {
        assertThat(one("varchar(255)", "\" spaced \"")).isEqualTo(" spaced ");
        assertThat(one("text", "\"NULL\"")).isEqualTo("NULL");
        assertThat(one("text", "\"{not json}\"")).isEqualTo("{not json}");
    }

    @Test
    void aTypePgforceDoesNotKnowIsAProgrammingError() {
        assertThatThrownBy(() -> LogValues.read("\"v\"=>\"x\"", Map.of("v", new PgType("jsonb")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jsonb");
    }
}
