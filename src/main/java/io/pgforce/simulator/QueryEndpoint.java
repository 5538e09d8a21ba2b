package io.pgforce.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST query resources: {@code query?q=} and {@code queryAll?q=} (deleted records too), and the
 * next pages at {@code query/<locator>} or {@code queryAll/<locator>}, in pages of at most 2,000
 * records ({@code Sforce-Query-Options: batchSize=N} asks for fewer, 200 at the least).
 */
final class QueryEndpoint {

    private static final Pattern BATCH_SIZE = Pattern.compile("(?i).*\\bbatchSize\\s*=\\s*(\\d+).*");

    private final SimulatorContext ctx;
    private final QueryCursors cursors;

    QueryEndpoint(SimulatorContext ctx, QueryCursors cursors) {
        this.ctx = ctx;
        this.cursors = cursors;
    }

    /** @param resource query or queryAll; {@code locator} is null for a new query */
    void handle(HttpExchange ex, String version, String resource, String locator) throws IOException {
        long start = System.nanoTime();
        if (!"GET".equals(ex.getRequestMethod())) {
            HttpIo.errors(ex, 405, "METHOD_NOT_ALLOWED", "HTTP Method '" + ex.getRequestMethod() + "' not allowed. Allowed are GET");
            return;
        }
        int batchSize = QueryCursors.batchSize(requestedBatchSize(ex));
        String operation = locator != null ? "queryMore" : resource;
        QueryCursors.Page page;
        String object;
        try {
            if (locator != null) {
                page = cursors.next(locator, batchSize);
                object = page.records().isEmpty() ? "" : objectOf(page.records().get(0));
            } else {
                String q = HttpIo.params(ex.getRequestURI().getRawQuery()).get("q");
                if (q == null) {
                    throw new SimFault("MALFORMED_QUERY", "A query is required (q=...)");
                }
                SoqlQuery query = SoqlQuery.parse(q, ctx.org());
                object = query.object;
                page = query.count ? new QueryCursors.Page(List.of(), query.run(resource.equals("queryAll")).size(), null)
                        : cursors.first(rows(query, resource.equals("queryAll"), version), batchSize, version);
            }
        } catch (SimFault f) {
            log(operation, List.of(), 0, start, f.code(), locator);
            throw f;
        }
        if (ctx.faults().takeDroppedQueryResponse(object)) {
            log(operation, List.of(object), page.records().size(), start, "RESPONSE_DROPPED", locator);
            ex.close(); // the page was read, the client never hears of it
            return;
        }
        // logged before the answer: a client that reads the call log once answered finds the call there
        log(operation, List.of(object), page.records().size(), start, "OK", locator);
        HttpIo.json(ex, 200, page.json());
    }

    /** Every row of the result, as the REST API returns it: the cursor keeps them as they were now. */
    private static List<Map<String, Object>> rows(SoqlQuery query, boolean includeDeleted, String version) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SimRecord r : query.run(includeDeleted)) {
            rows.add(query.json(r, version));
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static String objectOf(Map<String, Object> row) {
        return String.valueOf(((Map<String, Object>) row.get("attributes")).get("type"));
    }

    /** The batch size a {@code Sforce-Query-Options} header asks for, or null. */
    private static Integer requestedBatchSize(HttpExchange ex) {
        String options = ex.getRequestHeaders().getFirst("Sforce-Query-Options");
        Matcher m = options == null ? null : BATCH_SIZE.matcher(options);
        return m != null && m.matches() ? Integer.valueOf(m.group(1).length() > 9 ? "999999999" : m.group(1)) : null;
    }

    private void log(String operation, List<String> objects, int records, long start, String outcome, String locator) {
        ctx.calls().add(new CallLog.Call(Instant.now(), "REST", operation, objects, records, 0, (System.nanoTime() - start) / 1_000_000, outcome,
                locator == null ? Map.of() : Map.of("locator", locator)));
    }
}
