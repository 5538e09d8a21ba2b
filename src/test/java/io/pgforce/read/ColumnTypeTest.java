package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Salesforce's REST JSON values as text of each column type: what fits, and the one line for what does not. */
class ColumnTypeTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static JsonNode json(String value) throws Exception {
        return JSON.readTree(value);
    }

    private static String text(String type, String json) throws Exception {
        return ColumnType.of(type).text(json(json));
    }

    @ParameterizedTest(name = "{1} as {0} is {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "character varying(10)       | \"Acme\"                          | Acme",
        "character varying(4)        | \"Ünïç\"                          | Ünïç",
        "text                        | 12.50                             | 12.5",
        "text                        | true                              | true",
        "boolean                     | true                              | true",
        "boolean                     | \"FALSE\"                         | false",
        "integer                     | 7.0                               | 7",
        "bigint                      | \"9007199254740993\"              | 9007199254740993",
        "smallint                    | -32768                            | -32768",
        "numeric(18,2)               | 1234567890123456.785              | 1234567890123456.79",
        "numeric                     | 0.1                               | 0.1",
        "double precision            | 1234.5                            | 1234.5",
        "real                        | 0.25                              | 0.25",
        "date                        | \"2024-02-29\"                    | 2024-02-29",
        "timestamp without time zone | \"2024-01-01T12:00:00.000+0000\"  | 2024-01-01T12:00",
        "timestamp without time zone | \"2024-01-01T13:30:05.123+0100\"  | 2024-01-01T12:30:05.123",
        "timestamp without time zone | \"2024-01-01T12:00:00Z\"          | 2024-01-01T12:00",
        "timestamp with time zone    | \"2024-01-01T12:00:00.000+0000\"  | 2024-01-01 12:00:00.000+00",
        "time without time zone      | \"08:15:00.000Z\"                 | 08:15",
        "uuid                        | \"7b1c1f4e-9d2a-4a57-9c47-0b1ad3c6e2f1\" | 7b1c1f4e-9d2a-4a57-9c47-0b1ad3c6e2f1",
    })
    void aValueThatFits(String type, String json, String expected) throws Exception {
        assertThat(text(type, json)).isEqualTo(expected);
    }

    @Test
    void nullMissingAndEmptyAreNull() throws Exception {
        ColumnType varchar = ColumnType.of("character varying(10)");
        assertThat(varchar.text(json("null"))).isNull();
        assertThat(varchar.text(null)).isNull();
        assertThat(varchar.text(json("\"\""))).isNull();
        assertThat(ColumnType.of("integer").text(json("\"\""))).isNull();
    }

    @ParameterizedTest(name = "{1} as {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "character varying(10) | \"Acme Corporation\"     | 16 characters do not fit character varying(10)",
        "integer               | 1.5                      | 1.5 is not a whole number, as integer holds",
        "integer               | 3000000000               | 3000000000 is outside the range of integer",
        "smallint              | 40000                    | 40000 is outside the range of smallint",
        "numeric(5,2)          | 1234.5                   | 1234.5 does not fit numeric(5,2)",
        "real                  | 1e39                     | 1E+39 is outside the range of real",
        "boolean               | \"maybe\"                | 'maybe' is not a value of boolean",
        "date                  | \"yesterday\"            | 'yesterday' is not a value of date",
        "integer               | \"seven\"                | 'seven' is not a value of integer",
        "text                  | {\"a\": 1}               | a JSON object is no value for text",
    })
    void aValueThatDoesNotFitSaysWhy(String type, String json, String message) {
        assertThatThrownBy(() -> text(type, json)).isInstanceOf(ColumnType.Refused.class).hasMessage(message);
    }

    @Test
    void salesforceDatetimesAreInstants() {
        assertThat(ColumnType.instant("2024-01-01T12:00:00.000+0000")).isEqualTo(Instant.parse("2024-01-01T12:00:00Z"));
        assertThat(ColumnType.instant("2024-01-01T12:00:00.000-0500")).isEqualTo(Instant.parse("2024-01-01T17:00:00Z"));
        assertThat(ColumnType.instant("2024-01-01T12:00:00+02:00")).isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
        assertThat(ColumnType.instant("2024-01-01")).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    }
}
