package io.pgforce.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.simulator.SimRecord;
import io.pgforce.testing.EndToEndWrites;
import io.pgforce.testing.PostgresTestResource;
import io.pgforce.testing.UserSession;
import io.pgforce.testing.original.HerokuConnectLayout;
import io.quarkus.test.common.http.TestHTTPResource;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * pgforce started on a database Heroku Connect manages (HerokuConnectLayout, hcver 52) with a
 * backlog the original captured and never sent: it waits, changing nothing, until it is told to
 * adopt the schema; adopted while an application writes on, it sends the backlog and every later
 * change exactly once, field by field, leaves the read-only table and the archive as they were,
 * fails an unreadable change alone, and still sends what the original's resubmit function enqueues;
 * released, the original's capture is back. Run on the embedded PostgreSQL (HerokuConnectTakeoverTest)
 * and on Debian's (HerokuConnectTakeoverOnDebianTest).
 */
abstract class HerokuConnectTakeover extends EndToEndWrites {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Test
    void adoptsTheSchemaAndSendsTheBacklogAndEveryLaterChangeExactlyOnce() throws Exception {
        // the original's backlog: inserts, updates, a delete, relationships, every kind of value; a read-only table; an archived failure
        t.db.update("INSERT INTO salesforce.account (name, description, numberofemployees, external_id__c) "
                + "SELECT 'HC acct ' || g, 'Line \"one\"\\two', g * 10, 'A-' || g FROM generate_series(1, 20) g");
        t.db.update("INSERT INTO salesforce.contact (firstname, lastname, email, birthdate, external_id__c, account__r__external_id__c) "
                + "SELECT 'Jo', 'Doe ' || g, 'jo' || g || '@example.com', DATE '1980-02-29' + g, 'C-' || g, 'A-' || g FROM generate_series(1, 20) g");
        t.db.update("INSERT INTO salesforce.invoice__c (name, amount__c, paid__c, due_date__c, issued_at__c, external_id__c, account__r__external_id__c) "
                + "SELECT 'INV ' || g, g + 0.25, g % 2 = 0, DATE '2026-01-31' + g, TIMESTAMP '2026-01-01 09:30:15' + g * INTERVAL '1 hour', 'I-' || g, 'A-1' "
                + "FROM generate_series(1, 10) g");
        t.db.update("UPDATE salesforce.account SET name = name || ' (renamed)' WHERE id <= 5");
        t.db.update("UPDATE salesforce.invoice__c SET paid__c = true WHERE external_id__c = 'I-1'");
        t.db.update("DELETE FROM salesforce.contact WHERE external_id__c = 'C-20'");
        t.db.update("INSERT INTO salesforce.lead (firstname, lastname, company) VALUES ('Read', 'Only', 'Initech')");
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Failed long ago', 'A-98')");
        long archived = (Long) t.db.scalar("SELECT max(id)::bigint FROM salesforce._trigger_log");
        HerokuConnectLayout.archive(t.db.connection(), "salesforce", archived, "FAILED", "REQUIRED_FIELD_MISSING: kept from the original");
        t.db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Hand edited', 'A-99')");
        long handEdited = (Long) t.db.scalar("SELECT max(id)::bigint FROM salesforce._trigger_log");
        t.db.update("UPDATE salesforce._trigger_log SET \"values\" = '\"name\"=>\"Hand edited\", \"external_id__c\"=>' WHERE id = ?", handEdited);
        long backlog = t.states("NEW");
        assertThat(backlog).isEqualTo(20 + 20 + 10 + 5 + 1 + 1 + 1);

        JsonNode status = await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/status"), s -> s.path("state").asText().equals("NOT_ADOPTED"));
        assertThat(status.path("reason").asText()).startsWith("Schema 'salesforce' is Heroku Connect's (hcver 52;");
        assertThat(t.states("NEW")).as("nothing claimed before the schema is adopted").isEqualTo(backlog);
        assertThat(post("/api/schema/adopt?dryRun=true").path("changes").toString()).contains("table account, in one transaction");
        JsonNode unreadable = check(get("/api/diagnose"), "unreadable-changes");
        assertThat(unreadable.path("status").asText()).isEqualTo("RED");
        assertThat(unreadable.path("message").asText()).as("the verification before adopting names the row it cannot read")
                .startsWith("1 of the first " + backlog + " change(s) waiting cannot be read").contains("row " + handEdited + " (account INSERT): ");
        assertThat(t.db.count("SELECT count(*) FROM pg_trigger WHERE tgname = 'hc_account_logtrigger'")).as("the dry run changed nothing").isEqualTo(1);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        CompletableFuture<Void> application = CompletableFuture.runAsync(() -> {
            try (UserSession app = PostgresTestResource.userSession()) {
                for (int i = 1; writing.get(); i++) {
                    app.update("INSERT INTO salesforce.account (name, numberofemployees, external_id__c) VALUES (?, ?, ?)", "W " + i, i, "W-" + i);
                    app.update("UPDATE salesforce.account SET description = ? WHERE external_id__c = ?", "written " + i, "W-" + i);
                    written.set(i);
                }
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> written.get() >= 50);
        JsonNode adopted = post("/api/schema/adopt");
        assertThat(adopted.path("done").asBoolean()).isTrue();
        int atAdoption = written.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> application.isCompletedExceptionally() || written.get() >= atAdoption + 50);
        writing.set(false);
        application.get();
        t.db.update("UPDATE salesforce.account SET name = 'Acme resubmitted' WHERE external_id__c = 'A-20'");
        t.db.execute("SELECT salesforce.hc_capture_update_from_row(hstore(a.*), 'account', ARRAY['name']) FROM salesforce.account a WHERE external_id__c = 'A-20'");
        t.drained(Duration.ofSeconds(90));

        // every account, contact and invoice the application has is in the org once, field by field
        for (Map<String, Object> row : t.db.query("SELECT name, description, numberofemployees, external_id__c FROM salesforce.account WHERE external_id__c NOT IN ('A-98', 'A-99')")) {
            SimRecord r = t.record("Account", (String) row.get("external_id__c"));
            assertThat(r.get("Name")).isEqualTo(row.get("name"));
            assertThat(r.get("Description")).isEqualTo(row.get("description"));
            assertThat(r.get("NumberOfEmployees") == null ? null : ((Number) r.get("NumberOfEmployees")).doubleValue())
                    .isEqualTo(row.get("numberofemployees") == null ? null : ((Number) row.get("numberofemployees")).doubleValue());
        }
        assertThat(t.sf.org().count("Account")).isEqualTo(20 + written.get());
        assertThat(t.record("Account", "A-1").get("Description")).isEqualTo("Line \"one\"\\two");
        assertThat(t.record("Account", "A-20").get("Name")).isEqualTo("Acme resubmitted");
        for (int g = 1; g < 20; g++) {
            t.assertParentOf("C-" + g, "A-" + g);
        }
        assertThat(t.sf.org().records("Contact")).extracting(SimRecord::deleted).containsOnly(false).hasSize(19);
        assertThat(String.valueOf(t.record("Contact", "C-1").get("Birthdate"))).isEqualTo("1980-03-01");
        SimRecord invoice = t.record("Invoice__c", "I-1");
        assertThat(new BigDecimal(String.valueOf(invoice.get("Amount__c")))).isEqualByComparingTo("1.25");
        assertThat(invoice.get("Paid__c")).isEqualTo(true);
        assertThat(String.valueOf(invoice.get("Due_Date__c"))).isEqualTo("2026-02-01");
        assertThat(String.valueOf(invoice.get("Issued_At__c"))).startsWith("2026-01-01T10:30:15");
        assertThat(invoice.get("Account__c")).isEqualTo(t.record("Account", "A-1").id());
        assertThat(t.record("Invoice__c", "I-2").get("Paid__c")).isEqualTo(true);
        assertThat(t.sf.org().count("Invoice__c")).isEqualTo(10);

        // written once each: one successful call per change, no record twice
        assertThat(t.db.count("SELECT count(*) FROM salesforce._trigger_log WHERE table_name = 'account' AND state = 'SUCCESS'"))
                .isEqualTo(20 + 5 + 2L * written.get() + 2);
        assertThat(t.sf.org().records("Account")).extracting(SimRecord::id).doesNotHaveDuplicates();

        // what the original owns: the read-only table's rows, the archive; the unreadable change failed alone
        assertThat(t.sf.org().count("Lead")).isZero();
        assertThat(t.db.query("SELECT state FROM salesforce._trigger_log WHERE table_name = 'lead'")).containsExactly(Map.of("state", "READONLY"));
        assertThat(t.db.query("SELECT state, sf_message FROM salesforce._trigger_log_archive WHERE id = ?", archived))
                .containsExactly(Map.of("state", "FAILED", "sf_message", "REQUIRED_FIELD_MISSING: kept from the original"));
        assertThat(t.state(handEdited)).isEqualTo("FAILED");
        assertThat((String) t.db.scalar("SELECT sf_message FROM salesforce._trigger_log WHERE id = ?", handEdited))
                .startsWith("Unreadable change: ").contains("not sent: correct the trigger-log row's values");
        assertThat(t.db.scalar("SELECT _hc_lastop FROM salesforce.account WHERE external_id__c = 'A-99'")).isEqualTo("FAILED");
        assertThat(get("/api/status").path("state").asText()).isIn("IDLE", "POLLING_DB_CHANGES", "WRITING");

        // rolled back: paused, released, the original's capture is back and pgforce sends nothing more
        assertThat(call(request("/api/schema/release").POST(HttpRequest.BodyPublishers.ofString("{}")), 409).path("error").asText())
                .startsWith("Writing is not paused: pause it first");
        post("/api/pause");
        assertThat(post("/api/schema/release").path("done").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/status").path("state").asText().equals("NOT_ADOPTED"));
        post("/api/resume");
        t.db.update("UPDATE salesforce.account SET name = 'After the release' WHERE external_id__c = 'A-2'");
        assertThat((String) t.db.scalar("SELECT \"values\" FROM salesforce._trigger_log ORDER BY id DESC LIMIT 1")).isEqualTo("\"name\"=>\"After the release\"");
        assertThat(t.db.count("SELECT count(*) FROM pg_trigger WHERE tgname IN ('hc_account_logtrigger', 'hc_contact_logtrigger', 'hc_invoice__c_logtrigger')")).isEqualTo(3);
    }

    private static JsonNode check(JsonNode diagnosis, String id) {
        for (JsonNode c : diagnosis.path("checks")) {
            if (c.path("check").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no check " + id + " in " + diagnosis);
    }

    private JsonNode get(String path) throws Exception {
        return call(request(path).GET(), 200);
    }

    private JsonNode post(String path) throws Exception {
        return call(request(path).POST(HttpRequest.BodyPublishers.ofString("{}")), 200);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path.substring(1))).header("Content-Type", "application/json")
                .header("Authorization", "Bearer test-admin-token").timeout(Duration.ofSeconds(60));
    }

    private static JsonNode call(HttpRequest.Builder request, int status) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return JSON.readTree(answer.body());
    }
}
