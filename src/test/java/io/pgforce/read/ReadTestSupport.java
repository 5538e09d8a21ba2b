package io.pgforce.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgforce.simulator.RestTestClient;
import io.pgforce.testing.PostgresTestResource;
import io.pgforce.testing.UserSession;
import io.pgforce.testing.WriteTestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the end-to-end read tests share ({@link EndToEndReads}). Each test starts with reading paused (an operator's pause
 * stops reads and writes) and no read in flight, the tables and the org emptied
 * ({@link WriteTestSupport}), so that nothing an earlier test left can land in its tables; it
 * resumes once its org is set up. {@link #salesforce} changes records as another Salesforce user
 * would, over the REST API.
 */
public final class ReadTestSupport implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/services/data/v62.0/";

    public final UserSession control;
    public final WriteTestSupport t;
    public final RestTestClient salesforce;

    ReadTestSupport() throws Exception {
        control = PostgresTestResource.userSession();
        pause();
        t = new WriteTestSupport();
        salesforce = RestTestClient.login(t.sf);
    }

    /** Stops reading and writing, and waits until no read is in flight (one may have begun as the pause was set). */
    public void pause() {
        control.update("INSERT INTO salesforce._hc_connection (id, paused, changed_by) VALUES (1, true, 'a read test') "
                + "ON CONFLICT (id) DO UPDATE SET paused = true");
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(30)).until(() -> control.count(
                "SELECT count(*) FROM salesforce._pgforce_read_state WHERE last_poll_ended IS NULL OR last_poll_ended < last_poll_started") == 0);
    }

    public void resume() {
        control.update("UPDATE salesforce._hc_connection SET paused = false");
        control.execute("SELECT pg_notify('salesforce_hc_trigger_log', 'resume')");
    }

    /** Resumes reading and waits until each table's read got to the end of its load. */
    public void resumedAndSynced(String... tables) {
        resume();
        await().atMost(Duration.ofSeconds(60)).until(() -> Arrays.stream(tables).allMatch(table -> "SYNCED".equals(state(table).get("phase"))));
    }

    /** Waits until a read of the table began after this moment and ended: what it could see was seen. */
    public void polledAfterNow(String table) {
        Object now = control.scalar("SELECT clock_timestamp()");
        await().atMost(Duration.ofSeconds(30)).until(() -> control.count("SELECT count(*) FROM salesforce._pgforce_read_state WHERE table_name = ? "
                + "AND last_poll_started > ? AND last_poll_ended >= last_poll_started", table, now) == 1);
    }

    /** The read state's columns for the table. */
    public Map<String, Object> state(String table) {
        List<Map<String, Object>> rows = control.query("SELECT phase, records_applied, records_failed, api_calls, last_poll_api_calls, load_api_calls, last_error, watermark, loaded_at "
                + "FROM salesforce._pgforce_read_state "
                + "WHERE table_name = ?", table);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    /** Creates one record, as another user; its Id. */
    public String create(String object, Map<String, Object> fields) throws Exception {
        HttpResponse<String> created = salesforce.send("POST", API + "sobjects/" + object, JSON.writeValueAsString(fields));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return RestTestClient.json(created).path("id").asText();
    }

    /** Creates the records, 200 a call (sObject collections); their Ids. */
    public List<String> createMany(String object, List<Map<String, Object>> records) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < records.size(); from += 200) {
            ObjectNode body = JSON.createObjectNode().put("allOrNone", true);
            ArrayNode list = body.putArray("records");
            for (Map<String, Object> r : records.subList(from, Math.min(records.size(), from + 200))) {
                ObjectNode record = JSON.valueToTree(r);
                record.putObject("attributes").put("type", object);
                list.add(record);
            }
            HttpResponse<String> created = salesforce.send("POST", API + "composite/sobjects", body.toString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            for (JsonNode result : RestTestClient.json(created)) {
                assertThat(result.path("success").asBoolean()).as(result.toString()).isTrue();
                ids.add(result.path("id").asText());
            }
        }
        return ids;
    }

    public void update(String object, String id, Map<String, Object> fields) throws Exception {
        HttpResponse<String> updated = salesforce.send("PATCH", API + "sobjects/" + object + "/" + id, JSON.writeValueAsString(fields));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(204);
    }

    public void delete(String object, String id) throws Exception {
        HttpResponse<String> deleted = salesforce.send("DELETE", API + "sobjects/" + object + "/" + id, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    }

    @Override
    public void close() {
        t.sf.faults().clear();
        resume();
        t.close();
        control.close();
    }
}
