package io.pgforce.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulator's own API under {@code /__sim}, for tests and people:
 * <ul>
 * <li>{@code GET /__sim/faults}, {@code POST /__sim/faults} (JSON: profile zero|org, maintenance, unavailable
 * NONE|HTTP_503|CONNECTION_RESET, streamingUnavailable likewise for /cometd alone, dropStreamingClients
 * (every Streaming API client is forgotten), latencyPerCallMillis, latencyPerRecordMillis, dailyApiLimit, apiRequests (the
 * requests counted in the rolling 24 hours, as if just made), dailyBulkQueryJobLimit,
 * lockRowRate, lockRowSeed, lockWaitMillis, loseResponses, dropQueryResponses, lateWriteMillis with lateWrites,
 * refuseLogins, faultCalls/faultCode, bulkFault CREATE|UPLOAD|CLOSE|POLL|RESULTS (ingest jobs) or
 * QUERY_CREATE|QUERY_POLL|QUERY_RESULTS (query jobs) with bulkFaultTimes and bulkFaultLoseResponse),
 * {@code DELETE /__sim/faults} (no fault, and the latency profile the simulator was started with)
 * <li>{@code POST /__sim/sessions/expire}: every token stops working
 * <li>{@code POST /__sim/cursors/expire}: every query locator answers INVALID_QUERY_LOCATOR
 * <li>{@code POST /__sim/reset}: empty org, no faults, empty call log
 * <li>{@code GET /__sim/calls}, {@code GET /__sim/counters}
 * <li>{@code GET /__sim/records/{Object}}: the object's live records
 * <li>{@code GET /__sim/events}: the retained Change Data Capture events, oldest first
 * </ul>
 */
final class AdminEndpoint {

    private final SalesforceSimulator simulator;

    AdminEndpoint(SalesforceSimulator simulator) {
        this.simulator = simulator;
    }

    void handle(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        String rest = path.substring("/__sim".length());
        Faults faults = simulator.faults();
        switch (rest) {
            case "/faults" -> {
                if (method.equals("POST")) {
                    apply(faults, HttpIo.JSON.readTree(HttpIo.body(ex)));
                } else if (method.equals("DELETE")) {
                    faults.clear();
                }
                HttpIo.json(ex, 200, state(faults));
            }
            case "/sessions/expire" -> {
                simulator.sessions().expireAll();
                HttpIo.json(ex, 200, Map.of("expired", true));
            }
            case "/cursors/expire" -> {
                simulator.queryCursors().expireAll();
                HttpIo.json(ex, 200, Map.of("expired", true));
            }
            case "/reset" -> {
                simulator.reset();
                HttpIo.json(ex, 200, Map.of("reset", true));
            }
            case "/calls" -> HttpIo.json(ex, 200, simulator.calls().calls().stream().map(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("at", c.at().toString());
                m.put("api", c.api());
                m.put("operation", c.operation());
                m.put("objects", c.objects());
                m.put("records", c.records());
                m.put("chunks", c.chunks());
                m.put("durationMillis", c.durationMillis());
                m.put("outcome", c.outcome());
                m.put("detail", c.detail());
                return m;
            }).toList());
            case "/counters" -> HttpIo.json(ex, 200, simulator.calls().counters());
            case "/events" -> HttpIo.json(ex, 200, simulator.org().changeEvents().events().stream().map(e -> e.message(e.channel())).toList());
            default -> {
                if (rest.startsWith("/records/")) {
                    String type = rest.substring("/records/".length());
                    HttpIo.json(ex, 200, simulator.org().records(type).stream().map(r -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        r.fields().forEach((k, v) -> m.put(k, FieldValues.json(v)));
                        return m;
                    }).toList());
                } else {
                    HttpIo.errors(ex, 404, "NOT_FOUND", "No admin resource " + rest);
                }
            }
        }
    }

    private void apply(Faults faults, JsonNode json) {
        if (json.has("streamingUnavailable")) {
            faults.streamingUnavailable(Faults.Unavailable.valueOf(json.get("streamingUnavailable").asText()));
        }
        if (json.path("dropStreamingClients").asBoolean(false)) {
            simulator.dropStreamingClients();
        }
        if (json.has("profile")) {
            faults.profile(LatencyProfile.named(json.get("profile").asText()));
        }
        if (json.has("maintenance")) {
            faults.maintenance(json.get("maintenance").asBoolean());
        }
        if (json.has("unavailable")) {
            faults.unavailable(Faults.Unavailable.valueOf(json.get("unavailable").asText()));
        }
        if (json.has("latencyPerCallMillis") || json.has("latencyPerRecordMillis")) {
            faults.latency(json.path("latencyPerCallMillis").asLong(faults.latencyPerCallMillis()),
                    json.path("latencyPerRecordMillis").asLong(faults.latencyPerRecordMillis()));
        }
        if (json.has("dailyApiLimit")) {
            faults.dailyApiLimit(json.get("dailyApiLimit").asLong());
        }
        if (json.has("apiRequests")) {
            faults.apiRequestsUsed(json.get("apiRequests").asLong());
        }
        if (json.has("dailyBulkQueryJobLimit")) {
            faults.dailyBulkQueryJobLimit(json.get("dailyBulkQueryJobLimit").asLong());
        }
        if (json.has("lockRowRate")) {
            faults.lockRows(json.get("lockRowRate").asDouble(), json.path("lockRowSeed").asLong(42));
        }
        if (json.has("lockWaitMillis")) {
            faults.lockWait(java.time.Duration.ofMillis(json.get("lockWaitMillis").asLong()));
        }
        if (json.has("loseResponses")) {
            faults.loseResponses(json.get("loseResponses").asInt());
        }
        if (json.has("dropQueryResponses")) {
            faults.dropQueryResponses(json.get("dropQueryResponses").asInt());
        }
        if (json.has("lateWriteMillis")) {
            faults.lateWrites(java.time.Duration.ofMillis(json.get("lateWriteMillis").asLong()), json.path("lateWrites").asInt(1));
        }
        if (json.has("refuseLogins")) {
            faults.refuseLogins(json.get("refuseLogins").asBoolean());
        }
        if (json.has("faultCalls")) {
            faults.faultCalls(json.path("faultCode").asText("UNKNOWN_EXCEPTION"), json.get("faultCalls").asInt());
        }
        if (json.has("bulkFault")) {
            faults.bulkFault(Faults.BulkStep.valueOf(json.get("bulkFault").asText()), json.path("bulkFaultTimes").asInt(1),
                    json.path("bulkFaultLoseResponse").asBoolean(false) ? Faults.BulkFailure.LOST_RESPONSE : Faults.BulkFailure.HTTP_503);
        }
    }

    private static Map<String, Object> state(Faults f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", f.profile().name());
        m.put("maintenance", f.maintenance());
        m.put("unavailable", f.unavailable().name());
        m.put("streamingUnavailable", f.streamingUnavailable().name());
        m.put("latencyPerCallMillis", f.latencyPerCallMillis());
        m.put("latencyPerRecordMillis", f.latencyPerRecordMillis());
        m.put("dailyApiLimit", f.dailyApiLimit());
        m.put("apiRequests", f.apiRequests());
        m.put("dailyBulkQueryJobLimit", f.dailyBulkQueryJobLimit());
        m.put("bulkQueryJobs", f.bulkQueryJobs());
        m.put("lockRowRate", f.lockRowRate());
        m.put("lockWaitMillis", f.lockWait().toMillis());
        m.put("loseResponses", f.responsesToLose());
        m.put("dropQueryResponses", f.queryResponsesToDrop());
        m.put("lateWriteMillis", f.lateBy().toMillis());
        m.put("lateWrites", f.lateWritesLeft());
        m.put("refuseLogins", f.refusingLogins());
        m.put("bulkFault", f.bulkFaultStep() == null ? "NONE" : f.bulkFaultStep().name());
        m.put("bulkFaultTimes", f.bulkFaultsLeft());
        m.put("bulkFaultLoseResponse", f.bulkFailure() == Faults.BulkFailure.LOST_RESPONSE);
        return m;
    }
}
