package io.pgforce.triggerlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.config.PgType;
import io.pgforce.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL as the oracle: for generated values of every column type a mapping may use (random
 * ones from a fixed seed, and the edge cases), what {@link LogValues} reads from {@code hstore(t)}'s
 * text, as Heroku Connect captures a row, is what Jackson reads from {@code to_jsonb(t)}, as
 * pgforce captures it, under several session time zones and output settings.
 */
class LogValuesAgainstPostgresTest {

    private static final long SEED = 0x5EEDL;
    private static final int ROWS = 2000;
    private static final double NULLS = 0.08;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    /** A timestamptz's offset in hstore's text, as the session renders it. */
    private static final Pattern OFFSETS = Pattern.compile("\"c_timestamptz\"=>\"[^\"]*:[0-9]{2}(?:\\.[0-9]+)?([-+][0-9:]+)(?: BC)?\"");
    private static final String ODD_NAME = "odd \"name\", =>\\";

    /** The sessions each row is read in: the setting of a timestamptz's offset and of a float's digits. */
    private static final List<String> SESSIONS = List.of(
            "SET TimeZone = 'UTC'",
            "SET TimeZone = 'Europe/Amsterdam'", // +00:19:32 before 1937
            "SET TimeZone = 'Asia/Kolkata'", // +05:30, +05:53:28 in LMT
            "SET TimeZone = 'America/St_Johns'", // -03:30, -02:30, -03:30:52 in LMT
            "SET TimeZone = 'America/Montevideo'", // -03:44:51 in LMT
            "SET TimeZone = 'Africa/Monrovia'", // -00:44:30 until 1972
            "SET TimeZone = 'Pacific/Chatham'", // +12:45, +13:45
            "SET TimeZone = 'UTC+5'", // a POSIX zone: -05
            "SET TimeZone = 'Asia/Kathmandu'; SET DateStyle = 'ISO, DMY'; SET extra_float_digits = 0");

    private record Column(String name, String type, Function<Random, String> random, List<String> edges) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("c_varchar", "varchar(255)", r -> text(r, 40), List.of("", " ", "NULL", "null", "\"", "\\", "a=>b", "{\"a\": 1}", "x, \"y\"=>NULL")),
            new Column("c_text", "text", r -> text(r, 300), List.of("", "NULL", "\\\"", "\n", "=>", "😀")),
            new Column("c_boolean", "boolean", r -> r.nextBoolean() ? "t" : "f", List.of("true", "false")),
            new Column("c_smallint", "smallint", r -> String.valueOf(r.nextInt(65536) - 32768), List.of("-32768", "32767", "0", "-1")),
            new Column("c_integer", "integer", r -> String.valueOf(r.nextBoolean() ? r.nextInt() : r.nextInt(2000) - 1000),
                    List.of("-2147483648", "2147483647", "0")),
            new Column("c_bigint", "bigint", LogValuesAgainstPostgresTest::bigint,
                    List.of("-9223372036854775808", "9223372036854775807", "2147483648", "-2147483649", "2147483647", "-2147483648", "0")),
            new Column("c_double", "double precision", LogValuesAgainstPostgresTest::float8,
                    List.of("NaN", "Infinity", "-Infinity", "0", "-0", "4.9e-324", "2.2250738585072014e-308", "1.7976931348623157e308", "0.1",
                            "0.30000000000000004", "1e15", "1e16", "1e17", "123456789012345680000", "1e-5", "1e-4", "-1.5", "100", "1e22")),
            new Column("c_real", "real", LogValuesAgainstPostgresTest::float4,
                    List.of("NaN", "Infinity", "-Infinity", "0", "-0", "1.4e-45", "3.4028235e38", "1.17549435e-38", "0.1", "16777217", "1e7")),
            new Column("c_numeric", "numeric", LogValuesAgainstPostgresTest::numeric,
                    List.of("NaN", "Infinity", "-Infinity", "0", "-0.00", "0.000000000000000000001", "1e-300", "12.50", "1.000", "-2147483648",
                            "2147483648", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890.123456789", "9".repeat(1000),
                            "1e400", "-" + "1".repeat(600) + "." + "1".repeat(400), "0." + "0".repeat(999) + "1")),
            new Column("c_numeric_18_2", "numeric(18,2)", r -> digits(r, 1 + r.nextInt(16)) + "." + digits(r, r.nextInt(5)).replace("-", ""),
                    List.of("9999999999999999.99", "-0.005", "0.004", "12.5", "-7")),
            new Column("c_date", "date", r -> date(r, 5874897),
                    List.of("infinity", "-infinity", "4713-01-01 BC", "5874897-12-31", "0001-01-01", "0001-12-31 BC", "2024-02-29")),
            new Column("c_timestamp", "timestamp", r -> date(r, 294276) + " " + time(r),
                    List.of("infinity", "-infinity", "4713-01-01 00:00:00 BC", "294276-12-31 23:59:59.999999", "2024-03-01 10:00:00",
                            "2000-01-01 00:00:00.000001", "1999-12-31 23:59:60", "0044-03-15 12:00:00.5 BC")),
            new Column("c_timestamptz", "timestamptz", LogValuesAgainstPostgresTest::timestamptz,
                    List.of("infinity", "-infinity", "1800-01-01 00:00:00", "1900-01-01 00:00:00", "1937-06-30 23:59:59.5", "1971-12-31 12:00:00",
                            "2024-03-31 02:30:00", "2024-03-01 11:00:00+01", "2024-03-01 11:00:00-03:30:15", "0100-01-01 00:00:00+00 BC",
                            "4000-01-01 00:00:00.123456+14")),
            new Column("c_time", "time", LogValuesAgainstPostgresTest::time, List.of("24:00:00", "00:00:00", "23:59:59.999999", "12:34:56.5")),
            new Column(ODD_NAME, "text", r -> text(r, 10), List.of("odd")));

    @Test
    void hstoreTextReadsAsTo_jsonbReadsUnderEverySession() throws Exception {
        Map<String, PgType> captured = new LinkedHashMap<>();
        captured.put("id", new PgType("integer"));
        COLUMNS.forEach(c -> captured.put(c.name(), new PgType(c.type())));
        TestPostgres pg = TestPostgres.get();
        List<String> mismatches = new ArrayList<>();
        Set<Integer> offsets = new HashSet<>();
        int compared = 0;
        try (Connection c = DriverManager.getConnection(pg.newDatabase("log_values"), pg.user(), pg.password())) {
            fill(c);
            for (String session : SESSIONS) {
                try (Statement st = c.createStatement()) {
                    st.execute("RESET ALL; SET DateStyle = 'ISO, MDY'; " + session);
                    try (ResultSet rs = st.executeQuery("SELECT hstore(t)::text, to_jsonb(t)::text FROM t ORDER BY id")) {
                        while (rs.next()) {
                            compared++;
                            OFFSETS.matcher(rs.getString(1)).results().forEach(m -> offsets.add(m.group(1).length()));
                            compare(session, rs.getString(1), rs.getString(2), captured, mismatches);
                        }
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(ROWS * SESSIONS.size());
        assertThat(offsets).as("timestamptz offsets seen: hours, hours and minutes, and with seconds").containsExactlyInAnyOrder(3, 6, 9);
        assertThat(mismatches).as("%d of %d rows differ; the first ones", mismatches.size(), compared).isEmpty();
    }

    /**
     * The hstore parser against hstore's own input function, on generated texts, mostly well formed,
     * some broken: LogValues refuses what hstore refuses, and reads the same pairs from the rest
     * (but for a key given twice, which LogValues refuses and hstore keeps one of).
     */
    @Test
    void hstoreTextParsesAsHstoreInputDoes() throws Exception {
        TestPostgres pg = TestPostgres.get();
        Random random = new Random(SEED);
        List<String> mismatches = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        try (Connection c = DriverManager.getConnection(pg.newDatabase("log_values_hstore"), pg.user(), pg.password())) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE EXTENSION IF NOT EXISTS hstore");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(json_agg(json_build_array(key, value)), '[]')::text FROM each(?::hstore)")) {
                for (int i = 0; i < ROWS && mismatches.size() < 20; i++) {
                    String text = hstoreInput(random);
                    ps.setString(1, text);
                    Map<String, String> postgres = null;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        postgres = new HashMap<>();
                        for (List<String> pair : JSON.readValue(rs.getString(1), new TypeReference<List<List<String>>>() { })) {
                            postgres.put(pair.get(0), pair.get(1));
                        }
                        accepted++;
                    } catch (SQLException e) {
                        refused++;
                    }
                    try {
                        Map<String, String> read = LogValues.hstore(text);
                        if (!read.equals(postgres)) {
                            mismatches.add(JSON.writeValueAsString(text) + " reads as " + JSON.writeValueAsString(read) + ", hstore "
                                    + (postgres == null ? "refuses it" : "reads " + JSON.writeValueAsString(postgres)));
                        }
                    } catch (LogValues.Unreadable e) {
                        if (postgres != null && !e.getMessage().endsWith("was given before")) {
                            mismatches.add(JSON.writeValueAsString(text) + " is refused (" + e.getMessage() + "), hstore reads "
                                    + JSON.writeValueAsString(postgres));
                        }
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(accepted).as("well-formed texts").isGreaterThan(ROWS / 3);
        assertThat(refused).as("broken texts").isGreaterThan(ROWS / 10);
    }

    private static final String[] HSTORE_PIECES = {"a", "bc", "NULL", "nUlL", "\"", "\\", "=>", "=", ">", ",", " ", "\t", "\n", "é", "\"x y\"", "\"\"",
        "\\\"", "\\\\", "\\ "};

    /** Pairs of quoted or unquoted words, with spaces here and there; now and then a piece put in or left out. */
    private static String hstoreInput(Random r) {
        StringBuilder s = new StringBuilder();
        int pairs = r.nextInt(4);
        for (int i = 0; i < pairs; i++) {
            s.append(i == 0 ? "" : ",").append(r.nextBoolean() ? " " : "").append(hstoreWord(r)).append(r.nextBoolean() ? " " : "").append("=>")
                    .append(r.nextInt(4) == 0 ? " " : "").append(r.nextInt(5) == 0 ? (r.nextBoolean() ? "NULL" : "null") : hstoreWord(r));
        }
        if (r.nextInt(10) == 0) {
            s.append(r.nextBoolean() ? "," : " ");
        }
        int mutations = r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0;
        for (int i = 0; i < mutations; i++) {
            int at = r.nextInt(s.length() + 1);
            if (at < s.length() && Character.isLowSurrogate(s.charAt(at))) {
                at--; // never half of an emoji
            }
            if (r.nextBoolean() && at < s.length()) {
                s.delete(at, at + Character.charCount(s.codePointAt(at)));
            } else {
                s.insert(at, HSTORE_PIECES[r.nextInt(HSTORE_PIECES.length)]);
            }
        }
        return s.toString();
    }

    private static String hstoreWord(Random r) {
        StringBuilder w = new StringBuilder();
        int pieces = 1 + r.nextInt(3);
        for (int i = 0; i < pieces; i++) {
            w.append(PIECES[r.nextInt(PIECES.length)]);
        }
        String word = w.toString();
        if (r.nextInt(3) == 0 && word.chars().allMatch(ch -> Character.isLetterOrDigit(ch))) {
            return word; // unquoted
        }
        return "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void compare(String session, String hstore, String json, Map<String, PgType> captured, List<String> mismatches) throws Exception {
        Map<String, Object> all = JSON.readValue(json, MAP);
        Map<String, Object> expected = new LinkedHashMap<>(all);
        expected.keySet().retainAll(captured.keySet());
        try {
            Map<String, Object> read = LogValues.read(hstore, captured);
            if (!read.equals(expected)) {
                mismatches.add(session + "\n  hstore:   " + hstore + "\n  to_jsonb: " + json + "\n  differing: " + differences(expected, read));
            }
            if (!LogValues.read(json, captured).equals(all)) {
                mismatches.add(session + ": the JSON reads otherwise: " + json);
            }
        } catch (LogValues.Unreadable e) {
            mismatches.add(session + "\n  hstore:   " + hstore + "\n  refused: " + e.getMessage());
        }
        if (mismatches.size() > 20) {
            throw new AssertionError(String.join("\n", mismatches));
        }
    }

    private static String differences(Map<String, Object> expected, Map<String, Object> read) {
        return expected.keySet().stream().filter(k -> !java.util.Objects.equals(expected.get(k), read.get(k)) || !read.containsKey(k))
                .map(k -> k + ": expected " + describe(expected.get(k)) + ", read " + describe(read.get(k))).collect(Collectors.joining("; "));
    }

    private static String describe(Object value) {
        return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
    }

    /** The table, with ROWS rows: each column's edge cases first, then random values, some NULL. */
    private static void fill(Connection c) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS hstore");
            st.execute("CREATE TABLE t (id serial, "
                    + COLUMNS.stream().map(col -> quoted(col.name()) + " " + col.type()).collect(Collectors.joining(", "))
                    + ", extra text)");
            st.execute("SET TimeZone = 'America/Montevideo'"); // a timestamptz without an offset is read in this zone
        }
        String insert = "INSERT INTO t (" + COLUMNS.stream().map(col -> quoted(col.name())).collect(Collectors.joining(", ")) + ", extra) VALUES ("
                + COLUMNS.stream().map(col -> "?::" + col.type()).collect(Collectors.joining(", ")) + ", 'not captured')";
        Random random = new Random(SEED);
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (int row = 0; row < ROWS; row++) {
                for (int i = 0; i < COLUMNS.size(); i++) {
                    Column col = COLUMNS.get(i);
                    String value = row < col.edges().size() ? col.edges().get(row)
                            : random.nextDouble() < NULLS ? null : col.random().apply(random);
                    ps.setString(i + 1, value);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String quoted(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    // ---- generators ----

    private static final String[] PIECES = {"a", "Z", "0", " ", "\"", "\\", "=", ">", ",", "{", "}", "\n", "\t", "\r", "'", "é", "☃", "😀", "NULL",
        "null", "=>", "t", "1"};

    private static String text(Random r, int longest) {
        StringBuilder s = new StringBuilder();
        int pieces = r.nextInt(longest / 2 + 1);
        for (int i = 0; i < pieces && s.length() < longest - 4; i++) {
            s.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return s.toString();
    }

    private static String digits(Random r, int count) {
        StringBuilder s = new StringBuilder(r.nextBoolean() ? "-" : "");
        for (int i = 0; i < count; i++) {
            s.append((char) ('0' + r.nextInt(10)));
        }
        return count == 0 ? "0" : s.toString();
    }

    private static String bigint(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> String.valueOf(r.nextLong());
            case 1 -> String.valueOf(r.nextInt());
            default -> String.valueOf(r.nextInt(2000) - 1000);
        };
    }

    private static String float8(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> {
                double d = Double.longBitsToDouble(r.nextLong());
                yield Double.isNaN(d) ? "NaN" : String.valueOf(d);
            }
            case 1 -> String.valueOf((r.nextInt(2_000_000) - 1_000_000) / 100.0);
            case 2 -> String.valueOf((double) r.nextLong());
            default -> String.format(Locale.ROOT, "%.6fe%d", r.nextGaussian(), r.nextInt(60) - 30);
        };
    }

    private static String float4(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> {
                float f = Float.intBitsToFloat(r.nextInt());
                yield Float.isNaN(f) ? "NaN" : String.valueOf(f);
            }
            case 1 -> String.valueOf((r.nextInt(200_000) - 100_000) / 100f);
            default -> String.valueOf((float) r.nextGaussian() * 1e6f);
        };
    }

    private static String numeric(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> digits(r, 1 + r.nextInt(12));
            case 1 -> digits(r, 1 + r.nextInt(20)) + "." + digits(r, 1 + r.nextInt(12)).replace("-", "");
            case 2 -> digits(r, 1 + r.nextInt(400)) + (r.nextBoolean() ? "" : "." + digits(r, r.nextInt(300)).replace("-", ""));
            default -> digits(r, 1 + r.nextInt(5)) + "e" + (r.nextInt(200) - 100);
        };
    }

    /** A date in ISO form, BC now and then, years up to {@code lastYear} now and then. */
    private static String date(Random r, int lastYear) {
        int year = switch (r.nextInt(6)) {
            case 0 -> 1 + r.nextInt(4713);
            case 1 -> 1 + r.nextInt(lastYear);
            default -> 1 + r.nextInt(9999);
        };
        String bc = r.nextInt(6) == 0 && year <= 4712 ? " BC" : "";
        return String.format("%04d-%02d-%02d", year, 1 + r.nextInt(12), 1 + r.nextInt(28)) + bc;
    }

    private static String time(Random r) {
        String fraction = r.nextBoolean() ? "" : "." + String.valueOf(r.nextInt(1_000_000) + 1_000_000).substring(1, 2 + r.nextInt(6));
        return String.format("%02d:%02d:%02d", r.nextInt(24), r.nextInt(60), r.nextInt(60)) + fraction;
    }

    private static String timestamptz(Random r) {
        int year = 1 + r.nextInt(9999);
        String date = String.format("%04d-%02d-%02d", year, 1 + r.nextInt(12), 1 + r.nextInt(28));
        String[] offsets = {"", "", "+00", "+05:30", "-03:30:15", "+14", "-12", "Z"};
        String bc = r.nextInt(10) == 0 && year <= 4712 ? " BC" : "";
        return date + " " + time(r) + offsets[r.nextInt(offsets.length)] + bc;
    }
}
