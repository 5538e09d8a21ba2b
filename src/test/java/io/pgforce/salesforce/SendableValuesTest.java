package io.pgforce.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.config.PgType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which captured values (as the capture's JSON holds them) can be sent as they are. */
class SendableValuesTest {

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | text             | plain text
            true  | text             | 'tab\tand\nlines\r'
            true  | text             | emoji 😀
            false | text             | esc\u001b[31m
            false | varchar(80)      | start\u0001end
            false | text             | U\uFFFE
            false | text             | U\uFFFF
            false | text             | lone \uD800 surrogate
            true  | date             | 1700-01-01
            true  | date             | 4000-12-31
            false | date             | 1699-12-31
            false | date             | 4001-01-01
            false | date             | 0044-03-15 BC
            false | date             | infinity
            false | date             | -infinity
            true  | timestamp        | 2024-05-01T10:15:00
            false | timestamp        | 0044-03-15T12:00:00 BC
            false | timestamptz      | 12345-01-01T00:00:00+00:00
            true  | text             | 0044-03-15 BC
            false | double precision | NaN
            false | double precision | Infinity
            false | numeric(10,2)    | -Infinity
            false | real             | NaN
            true  | text             | NaN
            """)
    void aValueIsSentAsItIsOrFailsItsRecordWithTheReason(boolean sendable, String type, String value) {
        assertThat(SendableValues.problem("c", new PgType(type), value)).as(value).matches(p -> p.isEmpty() == sendable);
    }
}
