package io.pgforce.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.connection.PauseSwitch;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.WriteTestSupport;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI, run in-process against the running test application's HTTP port: output and exit code of each command. */
@QuarkusTest
@EndToEnd
class PgforceCliTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    /** What a command printed and its exit code. */
    record Run(int code, String out, String err) {

        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    @TestHTTPResource("/")
    URL root;
    @Inject
    PauseSwitch pauseSwitch;

    WriteTestSupport t;

    @BeforeEach
    void open() {
        t = new WriteTestSupport();
    }

    @AfterEach
    void close() throws Exception {
        pauseSwitch.resume("test clean-up");
        t.close();
    }

    Run cli(String... args) {
        return against(root, args);
    }

    /** A command against the test application at this address, with its token. */
    static Run against(URL root, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", root.toString(), "--token", "test-admin-token"));
        return raw(all.toArray(String[]::new));
    }

    static Run raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PgforceCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void statusAndMappings() throws Exception {
        Run status = cli("status");
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).contains("=== pgforce test-instance").containsPattern("State: +(IDLE|POLLING_DB_CHANGES|WRITING)")
                .containsPattern("Write errors: +0").contains("Schema:          salesforce")
                .containsPattern("Write algorithm: +ORDERED \\(ordering: log\\)");
        Run json = cli("status", "--json");
        assertThat(json.code()).isZero();
        assertThat(json.json().path("instance").asText()).isEqualTo("test-instance");

        Run mappings = cli("mappings");
        assertThat(mappings.code()).isZero();
        assertThat(mappings.out().lines().toList()).hasSize(5);
        assertThat(mappings.out()).startsWith("OBJECT ").containsPattern("Contact +contact +read_write +7 +External_Id__c +0 +0 +0")
                .containsPattern("Lead +lead +read_write +2 +- ");
        assertThat(cli("--json", "mappings").json().size()).isEqualTo(4);
    }

    @Test
    void errorsRetryAndIgnore() throws Exception {
        assertThat(cli("errors").out()).isEqualTo("No write errors" + System.lineSeparator());
        t.db.update("INSERT INTO salesforce.account (name, numberofemployees, external_id__c) VALUES ('Neg', -1, 'NEG-1')");
        await().atMost(WAIT).until(() -> t.states("FAILED") == 1);
        long id = (Long) t.db.scalar("SELECT id FROM salesforce._trigger_log WHERE state = 'FAILED'");

        Run errors = cli("errors", "--table", "account");
        assertThat(errors.code()).isZero();
        assertThat(errors.out()).startsWith("ID ").containsPattern(id + " +account +INSERT +\\d+ +\\S+ +.*Number of employees cannot be negative")
                .contains("1 of 1 write errors");
        assertThat(cli("errors", "--json").json().path("rows").path(0).path("id").asLong()).isEqualTo(id);
        assertThat(cli("status").out()).containsPattern("Write errors: +1");

        assertThat(cli("retry", String.valueOf(id)).out()).isEqualTo("Resubmitted 1 write error(s)" + System.lineSeparator());
        await().atMost(WAIT).until(() -> "FAILED".equals(t.state(id)));
        assertThat(cli("retry", "--table", "account", "--json").json().path("changed").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> "FAILED".equals(t.state(id)));
        assertThat(cli("ignore", "--all").out()).isEqualTo("Ignored 1 write error(s)" + System.lineSeparator());
        assertThat(t.state(id)).isEqualTo("IGNORED");

        Run bad = cli("retry", "--table", "acount");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err().lines().toList()).containsExactly("pgforce: table: 'acount' is not a mapped table (mapped: account, contact, lead, case)");
        Run listing = cli("errors", "--table", "acount");
        assertThat(listing.code()).isEqualTo(1);
        assertThat(listing.err().lines().toList()).containsExactly("pgforce: table: 'acount' is not a mapped table (mapped: account, contact, lead, case)");
        assertThat(listing.out()).isEmpty();
        Run neither = cli("retry");
        assertThat(neither.code()).isEqualTo(2);
        assertThat(neither.err()).contains("Missing required argument");
        assertThat(cli("retry", "--all", "--table", "account").code()).isEqualTo(2);
        assertThat(cli("retry", "x").code()).isEqualTo(2);
    }

    @Test
    void pauseAndResume() throws Exception {
        Run paused = cli("pause", "--by", "ops@example.com");
        assertThat(paused.code()).isZero();
        assertThat(paused.out()).startsWith("Writing paused since ").contains(" by ops@example.com");
        assertThat(pauseSwitch.current()).isPresent();
        assertThat(cli("status").out()).containsPattern("Paused: +since .* by ops@example.com");
        Run resumed = cli("resume", "--json");
        assertThat(resumed.json().path("paused").isNull()).isTrue();
        assertThat(pauseSwitch.current()).isEmpty();
    }

    /** On a schema pgforce laid out, adopting has nothing to do and releasing is refused: there is nothing of Heroku Connect's to put back. */
    @Test
    void adoptAndReleaseOnASchemaPgforceLaidOut() {
        Run adopt = cli("adopt", "--dry-run");
        assertThat(adopt.code()).isZero();
        assertThat(adopt.out().lines().toList()).containsExactly("Adopting would:", "  nothing: schema 'salesforce' is installed as the mappings need");

        Run release = cli("release", "--dry-run");
        assertThat(release.code()).isEqualTo(1);
        assertThat(release.err().lines().toList()).containsExactly("pgforce: Cannot release schema 'salesforce': pgforce has not adopted it "
                + "(no definitions saved in _pgforce_adoption), so there is nothing of Heroku Connect's to put back");
    }

    @Test
    void exportImportAndDiagnose() throws Exception {
        Run export = cli("export");
        assertThat(export.code()).isZero();
        assertThat(new ObjectMapper().readTree(export.out()).path("version").asInt()).isEqualTo(1);
        Path file = Files.createTempDirectory("pgforce-cli").resolve("acme.json");
        Files.writeString(file, Files.readString(Path.of("src/test/resources/mappings/heroku-connect-export.json")));

        Run dryRun = cli("import", file.toString(), "--dry-run");
        assertThat(dryRun.code()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).containsPattern("Product2 +product2 +added").containsPattern("Lead +lead +removed").contains("Nothing written (dry run)");
        Files.writeString(file, Files.readString(file).replace("\"upsert_field\": \"External_Id__c\"", "\"upsert_field\": \"Nope__c\""));
        Run invalid = cli("import", file.toString(), "--dry-run");
        assertThat(invalid.code()).isEqualTo(1);
        assertThat(invalid.err().lines().toList()).hasSize(1).first().asString()
                .startsWith("pgforce: Invalid mapping configuration in acme.json, mapping 'Account', field 'Nope__c'");
        assertThat(cli("import", "/no/such/file.json").code()).isEqualTo(1);
        // a file saved as UTF-16: pgforce says so, as start-up would, not the decoder's "Input length = 1"
        Path utf16 = file.resolveSibling("utf16.json");
        Files.write(utf16, Files.readString(Path.of("src/test/resources/mappings/heroku-connect-export.json")).getBytes(StandardCharsets.UTF_16));
        Run notText = cli("import", utf16.toString(), "--dry-run");
        assertThat(notText.code()).isEqualTo(1);
        assertThat(notText.err().lines().toList()).hasSize(1).first().asString()
                .startsWith("pgforce: Invalid mapping configuration in utf16.json: the file is not UTF-8 text");
        assertThat(cli("diagnose", "--file", utf16.toString()).out()).contains("RED", "utf16.json: the file is not UTF-8 text");

        // the test mapping maps NumberOfEmployees as double precision: RED
        Run diagnose = cli("diagnose");
        assertThat(diagnose.code()).isEqualTo(3);
        assertThat(diagnose.out()).containsPattern("RED +Account column-type: .*NumberOfEmployees").contains("-> ");
        assertThat(cli("diagnose", "--json").json().path("status").asText()).isEqualTo("RED");
        Path green = file.resolveSibling("green.yaml");
        Files.writeString(green, """
                mappings:
                  - object: Account
                    unique_identifier: External_Id__c
                    fields: {Name: varchar(255), External_Id__c: varchar(255)}
                """);
        Run fine = cli("diagnose", "--file", green.toString());
        assertThat(fine.out()).as(fine.out()).isEqualTo("Everything appears to be fine" + System.lineSeparator());
        assertThat(fine.code()).isZero();
    }

    @Test
    void aWrongTokenAnUnreachableServerAndAWrongCommandAreOneLine() throws Exception {
        Run wrong = raw("status", "--url", root.toString(), "--token", "guess");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.out()).isEmpty();
        assertThat(wrong.err().lines().toList()).containsExactly("pgforce: wrong admin token (set --token or PGFORCE_ADMIN_TOKEN)");

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Run unreachable = raw("mappings", "--url", "http://127.0.0.1:" + port, "--token", "x");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err().lines().toList()).hasSize(1).first().asString().startsWith("pgforce: cannot reach pgforce at http://127.0.0.1:" + port);

        Run usage = raw("nonsense");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err().lines().toList())
                .containsExactly("pgforce: unknown command 'nonsense' (commands: adopt, diagnose, errors, export, help, ignore, import, mappings, pause, release, reload, resume, retry, status)");
        Run badUrl = raw("status", "--url", "not a url");
        assertThat(badUrl.code()).isEqualTo(2);
        assertThat(badUrl.err().lines().toList()).containsExactly("pgforce: --url 'not a url' is not an http(s) address such as http://127.0.0.1:8080");
        assertThat(raw("errors", "--limit", "many").code()).isEqualTo(2);
        assertThat(raw("--help").code()).isZero();
        Run help = raw("help", "retry");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: pgforce retry", "--all");
    }
}
