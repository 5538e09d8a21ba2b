package io.pgforce.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgforce.testing.process.OneRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged jar as the CLI, with arguments a user mistyped: one line and exit status 2 for a
 * usage error, 1 for a call that failed; never the engine (no database, no Salesforce, no port).
 * Each row: the arguments (separated by ';'), a part of the line expected, the exit status.
 */
class BadCliIT {

    /** A database nobody listens on: the CLI must not even try it. */
    private static final Map<String, String> NO_DATABASE = Map.of("pgforce.db.url", "jdbc:postgresql://127.0.0.1:2/none");
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            stauts                                          | pgforce: unknown command 'stauts' (commands: adopt, diagnose, errors, export, help, ignore, import, mappings, pause, release, reload, resume, retry, status) | 2
            start                                           | pgforce: unknown command 'start'                                  | 2
            --url;http://127.0.0.1:1;stauts                 | pgforce: unknown command 'stauts'                                 | 2
            --jsn                                           | pgforce: Unknown option: '--jsn' (see pgforce --help)             | 2
            --url;http://127.0.0.1:1                        | pgforce: a command is missing (commands: adopt, diagnose, errors,        | 2
            status;--url;not a url                          | pgforce: --url 'not a url' is not an http(s) address              | 2
            status;--url;htp:/x                             | pgforce: --url 'htp:/x' is not an http(s) address                 | 2
            status;--url;ftp://host/                        | pgforce: --url 'ftp://host/' is not an http(s) address            | 2
            status;--url;http://                            | pgforce: --url 'http://' is not an http(s) address                | 2
            status;--url;http://127.0.0.1:1                 | pgforce: cannot reach pgforce at http://127.0.0.1:1: connection refused | 1
            status;--token;;--url;http://127.0.0.1:1        | pgforce: cannot reach pgforce at http://127.0.0.1:1               | 1
            status;--url;http://nonexistent.invalid:8080    | pgforce: cannot reach pgforce at http://nonexistent.invalid:8080: unknown host | 1
            status;extra;--url;http://127.0.0.1:1           | pgforce: Unmatched argument at index 1: 'extra'                   | 2
            errors;--limit;many                             | pgforce: Invalid value for option '--limit': 'many' is not an int | 2
            retry                                           | pgforce: Missing required argument                                | 2
            retry;--all;--table;account                     | mutually exclusive                                                | 2
            help;stauts                                     | pgforce: Unknown subcommand 'stauts'                              | 2
            import;no-such-file.json;--url;http://127.0.0.1:1 | pgforce: cannot read no-such-file.json                          | 1
            """)
    void aMistypedCommandIsOneLineAndTouchesNothing(String args, String expected, int exitCode) throws Exception {
        OneRun run = OneRun.of(dir, NO_DATABASE, WITHIN, args.split(";", -1));

        assertThat(run.exitCode()).as("exit status; output:%n%s", run.output()).isEqualTo(exitCode);
        assertThat(run.lines()).as("output").hasSize(1);
        assertThat(run.lines().get(0)).contains(expected.strip()).doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("127.0.0.1:2").doesNotContainIgnoringCase("database").doesNotContain("demo.yaml");
        assertThat(run.took()).as("the CLI ends at once, it starts no engine").isLessThan(Duration.ofSeconds(15));
    }
}
