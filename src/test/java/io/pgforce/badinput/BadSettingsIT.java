package io.pgforce.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.process.OneRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged application started with a setting an operator mistyped: it must stop before it
 * touches the database, Salesforce or the HTTP port, with one line naming the setting, its value
 * and what is allowed, and exit status 1. Each row: the -D settings (separated by ';'), a part of
 * the line expected, the exit status.
 */
class BadSettingsIT {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    // each row is a process of its own in a directory of its own: two start at once (failsafe's parallelism)
    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            pgforce.archive.retention-days=-1            | Invalid setting pgforce.archive.retention-days=-1: must be a whole number of days from 1 to 36500 | 1
            pgforce.archive.retention-days=0             | Invalid setting pgforce.archive.retention-days=0: must be                                        | 1
            pgforce.archive.delay-seconds=-1             | Invalid setting pgforce.archive.delay-seconds=-1: must be a whole number of seconds from 0      | 1
            pgforce.poll.batch-size=0                    | Invalid setting pgforce.poll.batch-size=0: must be a whole number from 1 to 1000000               | 1
            pgforce.poll.batch-size=-1                   | Invalid setting pgforce.poll.batch-size=-1: must be a whole number from 1 to 1000000              | 1
            pgforce.poll.batch-size=many                 | Invalid setting pgforce.poll.batch-size=many: must be a whole number                              | 1
            pgforce.poll.batch-size=99999999999999999999 | Invalid setting pgforce.poll.batch-size=99999999999999999999: must be a whole number              | 1
            pgforce.poll.batch-size=                     | Invalid setting pgforce.poll.batch-size='': must be a whole number                                | 1
            pgforce.poll.batch-size=1.5                  | Invalid setting pgforce.poll.batch-size=1.5: must be a whole number                               | 1
            pgforce.poll.min-interval=-5s                | Invalid setting pgforce.poll.min-interval=-5s: must be a duration of 0 or more                   | 1
            pgforce.poll.interval=0s                     | Invalid setting pgforce.poll.interval=0s: must be a positive duration                            | 1
            pgforce.claim.max-wait=PT-1S                 | Invalid setting pgforce.claim.max-wait=PT-1S: must be a positive duration                        | 1
            pgforce.claim.max-wait=soon                  | Invalid setting pgforce.claim.max-wait=soon: must be a positive duration                         | 1
            pgforce.retry.record-attempts=0              | Invalid setting pgforce.retry.record-attempts=0: must be a whole number from 1 to 100            | 1
            pgforce.retry.max-delay-ms=-1                | Invalid setting pgforce.retry.max-delay-ms=-1: must be a whole number of milliseconds            | 1
            pgforce.notify.queue-size=-5                 | Invalid setting pgforce.notify.queue-size=-5: must be a whole number from 1                      | 1
            pgforce.notify.attempts=-1                   | Invalid setting pgforce.notify.attempts=-1: must be a whole number from 0 to 1000                | 1
            pgforce.writer.lease-seconds=0               | Invalid setting pgforce.writer.lease-seconds=0: must be a whole number from 3 to 3600            | 1
            pgforce.writer.lease-lifetime=2s             | Invalid setting pgforce.writer.lease-lifetime=2s: must be a duration from 3s to 1h in whole seconds | 1
            pgforce.retry.max-delay=0ms                  | Invalid setting pgforce.retry.max-delay=0ms: must be a duration from 1ms to 1h                  | 1
            pgforce.archive.retention=36h                | Invalid setting pgforce.archive.retention=36h: must be a duration from 1d to 36500d in whole days | 1
            pgforce.db.operations-pool-size=-1           | Invalid setting pgforce.db.operations-pool-size=-1: must be a whole number from 1 to 100         | 1
            pgforce.claim.commit-consistent=maybe        | Invalid setting pgforce.claim.commit-consistent=maybe: must be true or false                     | 1
            pgforce.describe.check-at-startup=yes        | Invalid setting pgforce.describe.check-at-startup=yes: must be true or false                     | 1
            pgforce.db.url=mysql://db/app                | Invalid setting pgforce.db.url=mysql://db/app: must be a PostgreSQL JDBC URL                     | 1
            pgforce.notify.webhook.url=hooks.example.com | Invalid setting pgforce.notify.webhook.url=hooks.example.com: must be an http or https URL       | 1
            pgforce.write-algorithm=fastest              | Invalid setting pgforce.write-algorithm=fastest: must be ordered or merged                       | 1
            pgforce.embedded.port=70000                  | Invalid setting pgforce.embedded.port=70000: must be a port from 0 to 65535                      | 1
            pgforce.api.max-share=1.5                    | Invalid setting pgforce.api.max-share=1.5: must be a number above 0 and at most 1              | 1
            pgforce.health.max-backlog-age=0             | Invalid setting pgforce.health.max-backlog-age=0: must be a positive duration                    | 1
            camel.component.salesforce.login-url=not a url | Invalid setting camel.component.salesforce.login-url='not a url': must be an http or https URL with a host | 1
            SALESFORCE_LOGIN_URL=htp:/x                  | Invalid setting camel.component.salesforce.login-url=htp:/x: must be an http or https URL with a host | 1
            SALESFORCE_AUTHENTICATION_TYPE=PASSWORD      | Invalid setting camel.component.salesforce.authentication-type=PASSWORD: must be one of USERNAME_PASSWORD, REFRESH_TOKEN, JWT, CLIENT_CREDENTIALS | 1
            quarkus.http.port=abc                        | Invalid setting quarkus.http.port=abc: must be a port from 0 to 65535                            | 1
            pgforce.mapping.file=                        | Invalid setting pgforce.mapping.file='': must be the path of a YAML mapping file                 | 1
            quarkus.http.port=99999                      | Invalid setting quarkus.http.port=99999: must be a port from 0 to 65535                          | 1
            pgforce.poll.batch-size=0; pgforce.archive.retention-days=-1 | Invalid setting pgforce.                                       | 1
            """)
    void aBadSettingStopsStartUpWithOneLine(String settings, String expected, int exitCode) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>(Map.of(
                "pgforce.db.url", "jdbc:postgresql://127.0.0.1:1/none",
                "pgforce.mapping.file", Path.of("mappings/demo.yaml").toAbsolutePath().toString(),
                "quarkus.http.port", "0"));
        for (String setting : settings.split(";")) {
            String[] kv = setting.strip().split("=", 2);
            properties.put(kv[0], kv[1]);
        }

        OneRun run = OneRun.of(dir, properties, WITHIN);

        assertThat(run.exitCode()).as("exit status; output:%n%s", run.output()).isEqualTo(exitCode);
        assertThat(run.lines()).as("output").hasSize(1);
        assertThat(run.lines().get(0)).contains(expected.strip()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("127.0.0.1:1");
    }
}
