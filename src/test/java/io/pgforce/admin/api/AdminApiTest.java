package io.pgforce.admin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgforce.cycle.WriterLease;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingLoader;
import io.pgforce.config.MappingSet;
import io.pgforce.connection.PauseSwitch;
import io.pgforce.simulator.Credentials;
import io.pgforce.testing.EndToEnd;
import io.pgforce.testing.SalesforceTestResource;
import io.pgforce.testing.TestPostgres;
import io.pgforce.testing.WriteTestSupport;
import io.pgforce.triggerlog.Housekeeping;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API against the running application: every call refused without the token, every
 * operation with it, over real HTTP, a real database and the simulated org; no answer holds a secret.
 */
@QuarkusTest
@EndToEnd
class AdminApiTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URL root;
    @Inject
    PauseSwitch pauseSwitch;
    @Inject
    WriterLease lease;
    @Inject
    Housekeeping housekeeping;
    @Inject
    MappingSet mappings;

    final List<String> answers = new ArrayList<>();
    ApiClient api;
    WriteTestSupport t;

    @BeforeEach
    void open() {
        t = new WriteTestSupport();
        api = new ApiClient(root, "test-admin-token", answers);
    }

    @AfterEach
    void noSecretInAnyAnswer() throws Exception {
        pauseSwitch.resume("test clean-up");
        t.close();
        Credentials sf = SalesforceTestResource.simulator().credentials();
        List<String> secrets = Stream.of(sf.password(), sf.clientSecret(), TestPostgres.get().password(), "test-admin-token")
                .filter(s -> s != null && !s.isEmpty()).toList();
        assertThat(answers).isNotEmpty();
        for (String answer : answers) {
            for (String secret : secrets) {
                assertThat(answer).as("an answer holds a secret").doesNotContain(secret);
            }
        }
    }

    @Test
    void everyCallWithoutTheRightTokenIs401() {
        List<String[]> calls = List.of(new String[] {"GET", "/api/status"}, new String[] {"GET", "/api/mappings"},
                new String[] {"GET", "/api/trigger-log"}, new String[] {"GET", "/api/errors"}, new String[] {"POST", "/api/errors/retry"},
                new String[] {"POST", "/api/errors/1/retry"}, new String[] {"POST", "/api/errors/ignore"}, new String[] {"POST", "/api/errors/1/ignore"},
                new String[] {"POST", "/api/pause"}, new String[] {"POST", "/api/resume"}, new String[] {"GET", "/api/activity"},
                new String[] {"GET", "/api/export"}, new String[] {"POST", "/api/import?dryRun=true"}, new String[] {"GET", "/api/diagnose"},
                new String[] {"POST", "/api/diagnose"}, new String[] {"POST", "/api/mappings/Account/reload"}, new String[] {"GET", "/api/no-such-endpoint"});
        for (ApiClient caller : List.of(api.withToken(null), api.withToken("wrong-token"), api.withToken(""))) {
            for (String[] call : calls) {
                ApiClient.Answer answer = call[0].equals("GET") ? caller.get(call[1]) : caller.post(call[1], "{}");
                assertThat(answer.error(401)).as("%s %s", call[0], call[1]).isNotBlank();
                assertThat(answer.response().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            }
        }
        assertThat(api.withToken(null).get("/api/status").error(401)).contains("missing Authorization");
        assertThat(api.withToken("wrong-token").get("/api/status").error(401)).isEqualTo("wrong admin token");
        assertThat(t.db.count("SELECT count(*) FROM salesforce._hc_connection WHERE paused")).as("no refused call did anything").isZero();
        assertThat(t.db.count("SELECT count(*) FROM salesforce._pgforce_read_state")).as("nor asked for a reload").isZero();
        // with the token, an unknown endpoint is still one JSON line
        assertThat(api.get("/api/no-such-endpoint").error(404)).contains("no such endpoint");
    }

    @Test
    void statusPauseAndResume() {
        await().atMost(WAIT).until(lease::isHeld);
        JsonNode status = api.get("/api/status").ok();
        assertThat(status.path("state").asText()).isIn("IDLE", "POLLING_DB_CHANGES", "WRITING");
        assertThat(status.path("label").asText()).isNotBlank();
        assertThat(status.path("since").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(status.path("paused").isNull()).isTrue();
        assertThat(status.path("writer").asBoolean()).isTrue();
        assertThat(status.path("instance").asText()).isEqualTo("test-instance");
        assertThat(status.path("schema").asText()).isEqualTo("salesforce");
        assertThat(status.path("writeAlgorithm").asText()).isEqualTo("ORDERED");
        assertThat(status.path("ordering").asText()).isEqualTo("LOG");
        assertThat(status.path("oldestNewAgeSeconds").isNull()).isTrue();
        assertThat(status.path("pending").asLong()).isZero();
        assertThat(status.path("failed").asLong()).isZero();
        assertThat(status.has("writtenToday")).isTrue();

        JsonNode paused = api.post("/api/pause", "{\"by\": \"ops@example.com\"}").ok();
        assertThat(paused.path("paused").path("by").asText()).isEqualTo("ops@example.com");
        assertThat(paused.path("paused").path("since").asText()).isNotBlank();
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Paused', 'PA-1')");
        await().atMost(WAIT).until(() -> api.get("/api/status").ok().path("state").asText().equals("PAUSED"));
        JsonNode waiting = api.get("/api/status").ok();
        assertThat(waiting.path("pending").asLong()).isEqualTo(1);
        assertThat(waiting.path("oldestNewAgeSeconds").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(waiting.path("reason").asText()).contains("ops@example.com");

        JsonNode resumed = api.post("/api/resume", null).ok();
        assertThat(resumed.path("paused").isNull()).isTrue();
        t.drained(WAIT);
        await().atMost(WAIT).until(() -> api.get("/api/status").ok().path("writtenToday").asLong() == 1);
        assertThat(t.db.scalar("SELECT changed_by FROM salesforce._hc_connection")).isEqualTo(StatusResource.DEFAULT_BY);
        assertThat(api.post("/api/pause", "{\"who\": 1}").error(400)).contains("body", "'who'");
    }

    @Test
    void writeErrorsAreBrowsedRetriedAndIgnored() {
        t.db.update("INSERT INTO salesforce.account (name, numberofemployees, external_id__c) VALUES ('Neg', -1, 'NEG-1'), ('Ok', 5, 'OK-1')");
        t.db.update("INSERT INTO salesforce.contact (lastname, external_id__c) VALUES ('Smith', 'C-1')");
        await().atMost(WAIT).until(() -> t.states("FAILED") == 1 && t.states("SUCCESS") == 2);
        long failedId = (Long) t.db.scalar("SELECT id FROM salesforce._trigger_log WHERE state = 'FAILED'");

        JsonNode errors = api.get("/api/errors").ok();
        assertThat(errors.path("total").asLong()).isEqualTo(1);
        JsonNode error = errors.path("rows").path(0);
        assertThat(error.path("id").asLong()).isEqualTo(failedId);
        assertThat(error.path("table").asText()).isEqualTo("account");
        assertThat(error.path("action").asText()).isEqualTo("INSERT");
        assertThat(error.path("state").asText()).isEqualTo("FAILED");
        assertThat(error.path("message").asText()).contains("Number of employees cannot be negative");
        assertThat(error.path("archived").asBoolean()).isFalse();
        assertThat(error.path("createdAt").asText()).isNotBlank();
        assertThat(error.has("recordId") && error.has("sfid") && error.has("processedAt")).isTrue();
        assertThat(api.get("/api/errors?table=contact").ok().path("total").asLong()).isZero();
        assertThat(api.get("/api/errors?table=acount").error(400)).startsWith("table: 'acount' is not a mapped table (mapped: account");

        // browsing: newest first, filters, paging
        JsonNode all = api.get("/api/trigger-log").ok();
        assertThat(all.path("total").asLong()).isEqualTo(3);
        assertThat(all.path("limit").asInt()).isEqualTo(50);
        assertThat(all.path("rows").path(0).path("table").asText()).isEqualTo("contact");
        assertThat(api.get("/api/trigger-log?state=failed").ok().path("rows").path(0).path("id").asLong()).isEqualTo(failedId);
        assertThat(api.get("/api/trigger-log?table=account&action=INSERT&state=SUCCESS").ok().path("total").asLong()).isEqualTo(1);
        long recordId = error.path("recordId").asLong();
        assertThat(api.get("/api/trigger-log?table=account&recordId=" + recordId).ok().path("total").asLong()).isEqualTo(1);
        JsonNode page = api.get("/api/trigger-log?limit=1&offset=1").ok();
        assertThat(page.path("rows").size()).isEqualTo(1);
        assertThat(page.path("total").asLong()).isEqualTo(3);
        assertThat(page.path("offset").asLong()).isEqualTo(1);
        assertThat(api.get("/api/trigger-log?limit=100000").ok().path("limit").asInt()).isEqualTo(TriggerLogResource.MAX_LIMIT);
        assertThat(api.get("/api/trigger-log?archive=true").ok().path("total").asLong()).isZero();
        assertThat(api.get("/api/trigger-log?state=DONE").error(400)).startsWith("state: unknown value 'DONE'");
        assertThat(api.get("/api/trigger-log?action=UPSERT").error(400)).startsWith("action: ");
        assertThat(api.get("/api/trigger-log?limit=ten").error(400)).isEqualTo("limit: 'ten' is not a number");
        assertThat(api.get("/api/trigger-log?offset=-1").error(400)).startsWith("offset: ");
        assertThat(api.get("/api/trigger-log?recordId=x").error(400)).startsWith("recordId: ");
        assertThat(api.get("/api/trigger-log?archive=maybe").error(400)).startsWith("archive: ");

        // the counts per mapping and in the status
        JsonNode account = mapping(api.get("/api/mappings").ok(), "Account");
        assertThat(account.path("failed").asLong()).isEqualTo(1);
        assertThat(account.path("writtenToday").asLong()).isEqualTo(1);
        assertThat(account.path("states").path("FAILED").asLong()).isEqualTo(1);
        assertThat(api.get("/api/status").ok().path("failed").asLong()).isEqualTo(1);

        // retry one: sent again (the org refuses it again)
        int sentBefore = t.calls("SOAP", "upsert").size();
        assertThat(api.post("/api/errors/" + failedId + "/retry", null).ok().path("changed").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> t.calls("SOAP", "upsert").size() > sentBefore && "FAILED".equals(t.state(failedId)));
        assertThat(api.post("/api/errors/" + failedId + "/retry", "").ok().path("changed").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> "FAILED".equals(t.state(failedId)));
        assertThat(api.post("/api/errors/abc/retry", null).error(400)).startsWith("id: ");

        // from the archive: requeued, sent again, failed again in the live log
        await().atMost(WAIT).until(() -> {
            housekeeping.archive(0);
            return t.states("FAILED") == 0;
        });
        JsonNode archived = api.get("/api/errors").ok().path("rows").path(0);
        assertThat(archived.path("archived").asBoolean()).isTrue();
        assertThat(api.get("/api/trigger-log?archive=true&state=FAILED").ok().path("total").asLong()).isEqualTo(1);
        assertThat(api.post("/api/errors/retry", "{\"table\": \"account\"}").ok().path("changed").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> "FAILED".equals(t.state(failedId)));
        assertThat(api.get("/api/errors").ok().path("rows").path(0).path("archived").asBoolean()).isFalse();

        // retry by ids and all; a bad body names what is wrong
        assertThat(api.post("/api/errors/retry", "{\"ids\": [" + failedId + "]}").ok().path("changed").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> "FAILED".equals(t.state(failedId)));
        assertThat(api.post("/api/errors/retry", "{\"table\": \"acount\"}").error(400)).startsWith("table: 'acount' is not a mapped table");
        assertThat(api.post("/api/errors/retry", "{\"ids\": [\"x\"]}").error(400)).startsWith("ids: ");
        assertThat(api.post("/api/errors/retry", "[1]").error(400)).startsWith("body: must be a JSON object");
        assertThat(api.post("/api/errors/retry", null).error(400)).startsWith("body: ");
        assertThat(api.post("/api/errors/ignore", "{not json").error(400)).startsWith("body: not valid JSON");

        // ignore: no longer a write error
        assertThat(api.post("/api/errors/ignore", "{\"table\": \"contact\"}").ok().path("changed").asInt()).isZero();
        assertThat(api.post("/api/errors/" + failedId + "/ignore", null).ok().path("changed").asInt()).isEqualTo(1);
        assertThat(t.state(failedId)).isEqualTo("IGNORED");
        assertThat(api.get("/api/errors").ok().path("total").asLong()).isZero();
        assertThat(api.get("/api/status").ok().path("failed").asLong()).isZero();
        assertThat(api.post("/api/errors/ignore", "{}").ok().path("changed").asInt()).isZero();
        assertThat(api.post("/api/errors/retry", "{}").ok().path("changed").asInt()).isZero();
    }

    @Test
    void everyMappingIsListedWithItsCountsAndTheActivityChartCountsWrites() {
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('A', 'A-1'), ('B', 'B-1')");
        t.drained(WAIT);
        await().atMost(WAIT).until(() -> t.states("SUCCESS") == 2);

        JsonNode list = api.get("/api/mappings").ok();
        assertThat(list.size()).isEqualTo(mappings.mappings().size());
        JsonNode contact = mapping(list, "Contact");
        assertThat(contact.path("table").asText()).isEqualTo("contact");
        assertThat(contact.path("access").asText()).isEqualTo("read_write");
        assertThat(contact.path("fields").asInt()).isEqualTo(7);
        assertThat(contact.path("uniqueIdentifier").asText()).isEqualTo("External_Id__c");
        assertThat(contact.path("pending").asLong()).isZero();
        assertThat(contact.path("states").path("NEW").asLong()).isZero();
        assertThat(mapping(list, "Lead").path("uniqueIdentifier").isNull()).isTrue();
        assertThat(mapping(list, "Account").path("states").path("SUCCESS").asLong()).isEqualTo(2);

        JsonNode activity = api.get("/api/activity").ok();
        assertThat(activity.size()).isEqualTo(60);
        assertThat(activity.path(59).path("at").asText()).endsWith("Z");
        long written = 0;
        for (JsonNode point : api.get("/api/activity?window=PT10M&interval=PT1M").ok()) {
            written += point.path("written").asLong();
        }
        assertThat(written).isEqualTo(2);
        assertThat(api.get("/api/activity?window=1h").error(400)).startsWith("window: ");
        assertThat(api.get("/api/activity?window=P30D&interval=PT1S").error(400)).startsWith("window: at most");
    }

    @Test
    void exportRoundTripsAndImportValidatesAndSaysWhatWouldChange() throws Exception {
        String export = api.get("/api/export").ok().toString();
        MappingSet back = MappingLoader.read(Path.of("export.json"), export);
        assertThat(back.connection().schema()).isEqualTo("salesforce");
        assertThat(back.connection().writeAlgorithm()).isEqualTo(mappings.connection().writeAlgorithm());
        assertThat(back.mappings()).hasSameSizeAs(mappings.mappings());
        for (Mapping m : mappings.mappings()) {
            Mapping b = back.byObject(m.object()).orElseThrow();
            assertThat(b.uniqueIdentifier()).isEqualTo(m.uniqueIdentifier());
            assertThat(b.fields()).extracting(f -> f.name()).isEqualTo(m.fields().stream().map(f -> f.name()).toList());
            assertThat(b.relationships()).extracting(r -> r.column() + " " + r.parentObject())
                    .isEqualTo(m.relationships().stream().map(r -> r.column() + " " + r.parentObject()).toList());
        }
        JsonNode unchanged = api.post("/api/import?dryRun=true", export).ok();
        assertThat(unchanged.path("valid").asBoolean()).isTrue();
        assertThat(unchanged.path("applied").asBoolean()).isFalse();
        unchanged.path("mappings").forEach(m -> assertThat(m.path("change").asText()).as(m.toString()).isEqualTo("unchanged"));

        String original = Files.readString(Path.of("src/test/resources/mappings/test.yaml"));
        String example = Files.readString(Path.of("src/test/resources/mappings/heroku-connect-export.json"));
        JsonNode dryRun = api.post("/api/import?dryRun=true", example).ok();
        assertThat(dryRun.path("applied").asBoolean()).isFalse();
        assertThat(mapping(dryRun.path("mappings"), "Product2").path("change").asText()).isEqualTo("added");
        assertThat(mapping(dryRun.path("mappings"), "Lead").path("change").asText()).isEqualTo("removed");
        assertThat(mapping(dryRun.path("mappings"), "Account").path("change").asText()).isEqualTo("unchanged");
        assertThat(Files.readString(Path.of("src/test/resources/mappings/test.yaml"))).as("a dry run writes nothing").isEqualTo(original);
        // the original's accelerated polling (sf_notify_enabled) is a mapping's option, compared as the others
        JsonNode notified = api.post("/api/import?dryRun=true", example.replaceFirst("\"sf_notify_enabled\": false", "\"sf_notify_enabled\": true")).ok();
        assertThat(mapping(notified.path("mappings"), "Account").path("change").asText()).isEqualTo("changed");
        assertThat(mapping(notified.path("mappings"), "Account").path("details").toString()).contains("accelerated polling: false -> true");

        String wrong = example.replace("\"upsert_field\": \"External_Id__c\"", "\"upsert_field\": \"Nope__c\"");
        String message = api.post("/api/import?dryRun=true&name=acme.json", wrong).error(400);
        assertThat(message).startsWith("Invalid mapping configuration in acme.json, mapping 'Account', field 'Nope__c'");
        assertThat(api.post("/api/import?dryRun=true", "{\"version\": ").error(400)).contains("import.json", "cannot parse");
        assertThat(api.post("/api/import?dryRun=maybe", example).error(400)).startsWith("dryRun: ");
    }

    private static JsonNode mapping(JsonNode list, String object) {
        for (JsonNode m : list) {
            if (m.path("object").asText().equals(object)) {
                return m;
            }
        }
        throw new AssertionError("no mapping " + object + " in " + list);
    }
}
