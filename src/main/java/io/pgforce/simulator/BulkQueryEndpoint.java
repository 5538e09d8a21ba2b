package io.pgforce.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Bulk API 2.0 query jobs under {@code /services/data/vXX.X/jobs/query}: create (the query is
 * checked then), job info, list, abort, delete, and the results in CSV pages chosen with
 * {@code maxRecords} and followed with the {@code Sforce-Locator} header. A new job waits in the
 * queue (as an ingest job does once closed), then runs: its result is fixed at that moment and
 * served once the job is JobComplete, after the profile's processing time for its rows.
 */
final class BulkQueryEndpoint extends BulkJobEndpoint<BulkQueryJob> {

    /** Rows in a results page when the request names no maxRecords: Salesforce says only that the server picks a default. */
    static final int DEFAULT_MAX_RECORDS = 50_000;
    /** Jobs in one page of the job list, as Salesforce's. */
    static final int JOBS_PAGE = 1000;
    private static final Set<String> OPERATIONS = Set.of("query", "queryAll");
    /** What Bulk API 2.0 cannot query (GROUP BY, OFFSET, TYPEOF, aggregate functions, FIELDS()), looked for outside string literals. */
    private static final Pattern UNSUPPORTED = Pattern.compile("(?i)\\b(GROUP\\s+BY|OFFSET|TYPEOF|COUNT\\s*\\(|FIELDS\\s*\\()");
    private static final Pattern LITERAL = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'");

    BulkQueryEndpoint(SimulatorContext ctx, Clock clock, BulkJobQueue queue) {
        super(ctx, clock, queue);
    }

    @Override
    void handle(HttpExchange ex, String version, String method, String[] parts) throws IOException {
        Faults.BulkStep step = parts.length == 0 ? (method.equals("POST") ? Faults.BulkStep.QUERY_CREATE : null)
                : !method.equals("GET") ? null
                : parts.length == 1 ? Faults.BulkStep.QUERY_POLL
                : Faults.BulkStep.QUERY_RESULTS;
        BulkStepFaults.Next next = BulkStepFaults.take(ctx, ex, "BULK_QUERY", step, parts.length == 0 ? null : parts[0], clock.instant());
        if (next == BulkStepFaults.Next.DONE) {
            return;
        }
        if (parts.length == 0) {
            switch (method) {
                case "POST" -> create(ex, version, next == BulkStepFaults.Next.LOSE_ANSWER);
                case "GET" -> list(ex, version);
                default -> HttpIo.empty(ex, 405);
            }
            return;
        }
        BulkQueryJob job = jobs.get(parts[0]);
        if (job == null || parts.length > 2 || parts.length == 2 && !parts[1].equals("results")) {
            HttpIo.errors(ex, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }
        if (parts.length == 2) {
            results(ex, version, job);
            return;
        }
        switch (method) {
            case "GET" -> {
                log("poll", job, 0, "OK", "state", job.state);
                HttpIo.json(ex, 200, job.info(ctx.org().userId()));
            }
            case "PATCH" -> abort(ex, job, HttpIo.JSON.readTree(HttpIo.body(ex)).path("state").asText(""));
            case "DELETE" -> delete(ex, job);
            default -> HttpIo.empty(ex, 405);
        }
    }

    private void create(HttpExchange ex, String version, boolean loseResponse) throws IOException {
        JsonNode body = HttpIo.JSON.readTree(HttpIo.body(ex));
        String operation = body.path("operation").asText("");
        String soql = body.path("query").asText("");
        String contentType = body.path("contentType").asText("CSV");
        CsvDialect csv = new CsvDialect(body.path("columnDelimiter").asText("COMMA"), body.path("lineEnding").asText("LF"));
        String csvProblem = CsvDialect.problem(csv.columnDelimiter(), csv.lineEnding());
        String problem = !OPERATIONS.contains(operation) ? "InvalidJob : Invalid operation: " + operation
                : soql.isBlank() ? "InvalidJob : A query is required"
                : !contentType.equals("CSV") ? "InvalidJob : Invalid content type: " + contentType
                : csvProblem != null ? csvProblem
                : UNSUPPORTED.matcher(LITERAL.matcher(soql).replaceAll("''")).find()
                        ? "Bulk API 2.0 does not support GROUP BY, OFFSET, TYPEOF, aggregate functions such as COUNT() or FIELDS() in a query"
                : null;
        if (problem != null) {
            log("create", null, 0, "API_ERROR");
            HttpIo.errors(ex, 400, "API_ERROR", problem);
            return;
        }
        SoqlQuery query;
        try {
            query = SoqlQuery.parse(soql, ctx.org());
            query.columns(); // an unknown field is refused now, as Salesforce checks the query when the job is created
        } catch (SimFault f) {
            log("create", null, 0, f.code());
            throw f;
        }
        if (!ctx.faults().countBulkQueryJob()) {
            log("create", null, 0, "EXCEEDEDQUOTA");
            HttpIo.errors(ex, 400, "EXCEEDEDQUOTA", "The daily limit of " + ctx.faults().dailyBulkQueryJobLimit() + " Bulk API 2.0 query jobs is reached");
            return;
        }
        BulkQueryJob job = new BulkQueryJob(queue.nextJobId(), operation, query, csv, version, clock.instant());
        jobs.add(job);
        Map<String, Object> answer = job.info(ctx.org().userId());
        queue.enqueue(() -> run(job));
        log("create", job, 0, "OK");
        if (loseResponse) {
            ex.close();
        } else {
            HttpIo.json(ex, 200, answer);
        }
    }

    /** Takes a job off the queue: the query runs now, and the job completes after the profile's time for its rows. */
    private void run(BulkQueryJob job) {
        if (!job.state.equals("UploadComplete")) {
            return; // aborted while it waited
        }
        long started = System.nanoTime();
        job.state = "InProgress";
        job.systemModstamp = clock.instant();
        BulkQueryResult result = BulkQueryResult.of(job.query, job.query.run(job.includesDeleted()));
        long processing = ctx.faults().profile().bulkProcessingMillis(result.size());
        queue.schedule(() -> complete(job, result, started), processing - (System.nanoTime() - started) / 1_000_000);
    }

    private void complete(BulkQueryJob job, BulkQueryResult result, long started) {
        if (!job.state.equals("InProgress")) {
            return; // aborted while it ran: it stays aborted, without a result
        }
        job.totalProcessingTime = (System.nanoTime() - started) / 1_000_000;
        job.result = result;
        job.systemModstamp = clock.instant();
        job.state = "JobComplete";
        ctx.calls().add(new CallLog.Call(clock.instant(), "BULK_QUERY", "job:" + job.operation, List.of(job.object), result.size(), 1,
                job.totalProcessingTime, "OK", Map.of("jobId", job.id)));
    }

    private void results(HttpExchange ex, String version, BulkQueryJob job) throws IOException {
        BulkQueryResult result = job.result;
        if (result == null) {
            log("results", job, 0, "JOB_NOT_COMPLETE");
            HttpIo.errors(ex, 412, "JOB_NOT_COMPLETE", "can only download query results of successfully completed bulk job with status: JOB_COMPLETE. "
                    + "Current status: " + job.stateConstant());
            return;
        }
        if (!version.equals(job.apiVersion)) {
            log("results", job, 0, "API_ERROR");
            HttpIo.errors(ex, 409, "API_ERROR", "The results of job " + job.id + " are read in the API version that created it: " + job.apiVersion);
            return;
        }
        Map<String, String> params = HttpIo.params(ex.getRequestURI().getRawQuery());
        String maxRecords = params.get("maxRecords");
        if (maxRecords != null && !maxRecords.matches("0*[1-9]\\d{0,8}")) {
            log("results", job, 0, "API_ERROR");
            HttpIo.errors(ex, 400, "API_ERROR", "maxRecords must be a positive integer: " + maxRecords);
            return;
        }
        String locator = params.get("locator");
        int from;
        try {
            from = locator == null || locator.isEmpty() ? 0 : OffsetLocator.offset(job.id, locator, result.size());
        } catch (SimFault f) {
            log("results", job, 0, f.code());
            throw f;
        }
        int to = (int) Math.min(result.size(), (long) from + (maxRecords == null ? DEFAULT_MAX_RECORDS : Integer.parseInt(maxRecords)));
        ex.getResponseHeaders().set("Sforce-Locator", to < result.size() ? OffsetLocator.of(job.id, to) : "null");
        ex.getResponseHeaders().set("Sforce-NumberOfRecords", Integer.toString(to - from));
        log("results", job, to - from, "OK", "locator", locator == null ? "" : locator);
        HttpIo.text(ex, 200, "text/csv", result.csv(job.csv, from, to));
    }

    private void abort(HttpExchange ex, BulkQueryJob job, String target) throws IOException {
        if (!target.equals("Aborted") || job.finished()) {
            log("abort", job, 0, "INVALIDJOBSTATE");
            HttpIo.errors(ex, 400, "INVALIDJOBSTATE", "Cannot change the state of job " + job.id + " from " + job.state + " to " + target);
            return;
        }
        job.state = "Aborted";
        job.systemModstamp = clock.instant();
        log("abort", job, 0, "OK");
        HttpIo.json(ex, 200, job.info(ctx.org().userId()));
    }

    private void delete(HttpExchange ex, BulkQueryJob job) throws IOException {
        if (!job.finished()) {
            log("delete", job, 0, "API_ERROR");
            HttpIo.errors(ex, 400, "API_ERROR", "Error encountered when deleting the job because the job is not terminated");
            return;
        }
        jobs.remove(job);
        log("delete", job, 0, "OK");
        HttpIo.empty(ex, 204);
    }

    /**
     * Every query job, oldest first, in pages of 1,000 followed with {@code nextRecordsUrl}. The
     * filters that ask for other kinds of job (a {@code jobType} other than V2Query, PK chunking,
     * which only Bulk API 1.0 jobs have) list none: the simulator has no Bulk API 1.0 jobs.
     */
    private void list(HttpExchange ex, String version) throws IOException {
        Map<String, String> params = HttpIo.params(ex.getRequestURI().getRawQuery());
        boolean v2Query = params.getOrDefault("jobType", "V2Query").equals("V2Query") && !"true".equals(params.get("isPkChunkingEnabled"));
        List<BulkQueryJob> all = v2Query ? jobs.all() : List.of();
        String locator = params.get("queryLocator");
        int from = locator == null || locator.isEmpty() ? 0 : OffsetLocator.offset("jobs", locator, all.size());
        int to = Math.min(all.size(), from + JOBS_PAGE);
        List<Map<String, Object>> records = new ArrayList<>();
        all.subList(from, to).forEach(j -> records.add(j.info(ctx.org().userId())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("done", to == all.size());
        body.put("records", records);
        body.put("nextRecordsUrl", to == all.size() ? null : "/services/data/v" + version + "/jobs/query?queryLocator=" + OffsetLocator.of("jobs", to));
        log("list", null, records.size(), "OK");
        HttpIo.json(ex, 200, body);
    }

    /** @param detail names and values in turn, e.g. the locator a results call asked for */
    /** Before the answer is sent: a client that reads the call log once answered finds the call there. */
    private void log(String operation, BulkQueryJob job, int records, String outcome, String... detail) {
        Map<String, String> details = new LinkedHashMap<>();
        if (job != null) {
            details.put("jobId", job.id);
        }
        for (int i = 0; i < detail.length; i += 2) {
            details.put(detail[i], detail[i + 1]);
        }
        ctx.calls().add(new CallLog.Call(clock.instant(), "BULK_QUERY", operation, job == null ? List.of() : List.of(job.object), records, 0, 0,
                outcome, details));
    }
}
