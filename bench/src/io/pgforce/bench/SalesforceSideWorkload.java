package io.pgforce.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgforce.simulator.Credentials;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Another Salesforce user during a chaos run: over the REST API, as any other client would, it
 * creates, updates and deletes Opportunities (a read-only mapping) and sets the Website of Accounts
 * pgforce wrote (a field only Salesforce changes). Salesforce's faults reach it as they reach
 * pgforce: a call that fails is counted and not retried, since the check compares Postgres with
 * what Salesforce holds in the end, not with what this user meant to do.
 */
final class SalesforceSideWorkload implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/services/data/v62.0/";
    private static final List<String> STAGES = List.of("Prospecting", "Qualification", "Negotiation", "Closed Won", "Closed Lost");

    private final String loginUrl;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final Random random;
    private final double callsPerSecond;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> opportunities = new ArrayList<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private String token;
    private String instanceUrl;
    private int next;

    SalesforceSideWorkload(String loginUrl, String dbUrl, String dbUser, String dbPassword, long seed, double callsPerSecond) {
        this.loginUrl = loginUrl;
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.random = new Random(seed * 17 + 5);
        this.callsPerSecond = callsPerSecond;
    }

    void stop() {
        stop.set(true);
    }

    @Override
    public void run() {
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, dbPassword)) {
            while (!stop.get()) {
                step(db);
                ChaosRun.sleep((long) (1000 / callsPerSecond * (0.5 + random.nextDouble())));
            }
        } catch (SQLException | RuntimeException e) {
            count("stopped: " + e.getClass().getSimpleName() + " " + ChaosChecks.shorten(e.getMessage()));
        }
    }

    private void step(Connection db) {
        int choice = random.nextInt(100);
        try {
            if (choice < 40 || opportunities.isEmpty()) {
                createOpportunities(1 + random.nextInt(5));
            } else if (choice < 65) {
                call("PATCH", "sobjects/Opportunity/" + pick(), JSON.writeValueAsString(Map.of("Amount", random.nextInt(100_000) / 4.0,
                        "StageName", STAGES.get(random.nextInt(STAGES.size())))), "update Opportunity");
            } else if (choice < 75) {
                String id = pick();
                if (call("DELETE", "sobjects/Opportunity/" + id, null, "delete Opportunity") != null) {
                    opportunities.remove(id);
                }
            } else {
                String account = randomAccount(db);
                if (account != null) {
                    call("PATCH", "sobjects/Account/" + account, JSON.writeValueAsString(Map.of("Website", "https://w" + random.nextInt(1000) + ".example")),
                            "update Account.Website");
                }
            }
        } catch (IOException e) {
            count("no answer: " + e.getClass().getSimpleName());
        } catch (SQLException e) {
            count("database: " + e.getSQLState());
        }
    }

    private void createOpportunities(int n) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("allOrNone", false);
        ArrayNode records = body.putArray("records");
        for (int i = 0; i < n; i++) {
            int k = ++next;
            ObjectNode r = records.addObject();
            r.putObject("attributes").put("type", "Opportunity");
            r.put("Name", "Opportunity " + k).put("StageName", STAGES.get(random.nextInt(STAGES.size())))
                    .put("CloseDate", "2027-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10)).put("Amount", random.nextInt(100_000) / 4.0)
                    .put("External_Id__c", "O-" + k);
        }
        JsonNode results = call("POST", "composite/sobjects", body.toString(), "create Opportunities");
        if (results != null) {
            results.forEach(r -> {
                if (r.path("success").asBoolean()) {
                    opportunities.add(r.path("id").asText());
                }
            });
        }
    }

    /** The answer's JSON (an empty object when there is no body), or null when the call failed. */
    private JsonNode call(String method, String path, String body, String what) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (token == null) {
                login();
                if (token == null) {
                    return null;
                }
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instanceUrl + API + path)).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> answer = send(request.build());
            if (answer.statusCode() == 401) {
                token = null; // the session expired: log in again once
                continue;
            }
            count(what + " " + answer.statusCode());
            if (answer.statusCode() >= 300) {
                return null;
            }
            return answer.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(answer.body());
        }
        return null;
    }

    private void login() throws IOException {
        Credentials c = Credentials.DEFAULT;
        String form = Map.of("grant_type", "password", "client_id", c.clientId(), "client_secret", c.clientSecret(), "username", c.username(),
                "password", c.password()).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(loginUrl + "/services/oauth2/token")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (answer.statusCode() != 200) {
            count("login " + answer.statusCode());
            return;
        }
        JsonNode session = JSON.readTree(answer.body());
        token = session.path("access_token").asText();
        instanceUrl = session.path("instance_url").asText();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
            throw new IOException("interrupted", e);
        }
    }

    private String pick() {
        return opportunities.get(random.nextInt(opportunities.size()));
    }

    private static String randomAccount(Connection db) throws SQLException {
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT sfid FROM salesforce.account WHERE sfid IS NOT NULL ORDER BY random() LIMIT 1")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private synchronized void count(String outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    /** Each kind of call with its answer's status, and how often. */
    synchronized Map<String, Integer> outcomes() {
        return new TreeMap<>(outcomes);
    }
}
