package io.pgforce.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Bulk API 2.0 ingest under {@code /services/data/vXX.X/jobs/ingest}: create, upload (one CSV per
 * job), close or abort, job info, list, delete, and the successful, failed and unprocessed
 * results. A closed job waits in a queue (the configured delay plus the latency profile's queue
 * wait), then is processed in batches of 10,000 at the profile's rate, independently of any other.
 */
final class BulkEndpoint extends BulkJobEndpoint<BulkIngestJob> {

    static final int BATCH = 10_000;
    /** A job under a processing rate writes this much of its work at a time, so that its progress shows. */
    private static final long SLICE_MILLIS = 40;
    /** How often a slice waiting for a record lock asks again. */
    private static final long LOCK_RETRY_MILLIS = 10;
    private static final Set<String> OPERATIONS = Set.of("insert", "update", "upsert", "delete", "hardDelete");
    static final String NULL = "#N/A";

    BulkEndpoint(SimulatorContext ctx, Clock clock, BulkJobQueue queue) {
        super(ctx, clock, queue);
    }

    @Override
    void handle(HttpExchange ex, String version, String method, String[] parts) throws IOException {
        String targetState = method.equals("PATCH") ? HttpIo.JSON.readTree(HttpIo.body(ex)).path("state").asText("") : null;
        Faults.BulkStep step = step(method, parts, targetState);
        BulkStepFaults.Next next = BulkStepFaults.take(ctx, ex, "BULK", step, parts.length == 0 ? null : parts[0], clock.instant());
        if (next == BulkStepFaults.Next.DONE) {
            return;
        }
        boolean loseResponse = next == BulkStepFaults.Next.LOSE_ANSWER;
        if (parts.length == 0) {
            if (method.equals("POST")) {
                create(ex, version, loseResponse);
            } else {
                List<Map<String, Object>> all = jobs.all().stream().map(j -> j.info(ctx.org().userId())).toList();
                HttpIo.json(ex, 200, Map.of("done", true, "records", all));
            }
            return;
        }
        BulkIngestJob job = jobs.get(parts[0]);
        if (job == null) {
            HttpIo.errors(ex, 404, "NOT_FOUND", "The requested resource does not exist");
            return;
        }
        if (parts.length == 1) {
            switch (method) {
                case "GET" -> HttpIo.json(ex, 200, job.info(ctx.org().userId()));
                case "PATCH" -> changeState(ex, job, targetState, loseResponse);
                case "DELETE" -> {
                    jobs.remove(job);
                    HttpIo.empty(ex, 204);
                }
                default -> HttpIo.empty(ex, 405);
            }
            return;
        }
        switch (parts[1]) {
            case "batches" -> upload(ex, job, loseResponse);
            case "successfulResults" -> results(ex, job, List.of("sf__Id", "sf__Created"), job.successes);
            case "failedResults" -> results(ex, job, List.of("sf__Id", "sf__Error"), job.failures);
            case "unprocessedrecords" -> results(ex, job, List.of(), job.unprocessed);
            default -> HttpIo.errors(ex, 404, "NOT_FOUND", "The requested resource does not exist");
        }
    }

    /** The job step a request is, for faults; null for anything else (list, abort, delete). */
    private static Faults.BulkStep step(String method, String[] parts, String targetState) {
        if (parts.length == 0) {
            return method.equals("POST") ? Faults.BulkStep.CREATE : null;
        }
        if (parts.length == 1) {
            return method.equals("GET") ? Faults.BulkStep.POLL : "UploadComplete".equals(targetState) ? Faults.BulkStep.CLOSE : null;
        }
        return parts[1].equals("batches") ? Faults.BulkStep.UPLOAD : Faults.BulkStep.RESULTS;
    }

    /** The step was applied; with a lost response the connection is dropped instead of answered. */
    private static boolean dropped(HttpExchange ex, boolean loseResponse) {
        if (loseResponse) {
            ex.close();
        }
        return loseResponse;
    }

    private void create(HttpExchange ex, String version, boolean loseResponse) throws IOException {
        if (ctx.faults().maintenance()) {
            HttpIo.errors(ex, 503, "INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE", "This org is in read-only mode for maintenance. Try again later.");
            return;
        }
        JsonNode body = HttpIo.JSON.readTree(HttpIo.body(ex));
        String operation = body.path("operation").asText("");
        String object = body.path("object").asText("");
        String delimiter = body.path("columnDelimiter").asText("COMMA");
        String lineEnding = body.path("lineEnding").asText("LF");
        String csvProblem = CsvDialect.problem(delimiter, lineEnding);
        String problem = !OPERATIONS.contains(operation) ? "InvalidJob : Invalid operation: " + operation
                : !ctx.org().schema().containsKey(object) ? "InvalidJob : Invalid object: " + object
                : csvProblem != null ? csvProblem
                : operation.equals("upsert") && body.path("externalIdFieldName").asText("").isEmpty() ? "InvalidJob : External ID was blank for " + object
                : null;
        if (problem != null) {
            HttpIo.errors(ex, 400, "API_ERROR", problem);
            return;
        }
        String id = queue.nextJobId();
        BulkIngestJob job = new BulkIngestJob(id, ctx.org().object(object).name(), operation, body.path("externalIdFieldName").asText(null),
                new CsvDialect(delimiter, lineEnding), body.path("assignmentRuleId").asText(null), version, clock.instant());
        jobs.add(job);
        ctx.calls().add(new CallLog.Call(clock.instant(), "BULK", "createJob", List.of(job.object), 0, 0, 0, "OK", Map.of("jobId", id)));
        if (!dropped(ex, loseResponse)) {
            HttpIo.json(ex, 200, job.info(ctx.org().userId()));
        }
    }

    private void upload(HttpExchange ex, BulkIngestJob job, boolean loseResponse) throws IOException {
        if (!"PUT".equals(ex.getRequestMethod())) {
            HttpIo.empty(ex, 405);
            return;
        }
        if (!job.state.equals("Open") || job.data != null) {
            HttpIo.errors(ex, 409, "INVALIDJOBSTATE", "Found multiple contents for job: <" + job.id + ">, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.");
            return;
        }
        job.data = HttpIo.bodyText(ex);
        if (!dropped(ex, loseResponse)) {
            HttpIo.empty(ex, 201);
        }
    }

    private void changeState(HttpExchange ex, BulkIngestJob job, String target, boolean loseResponse) throws IOException {
        if (target.equals("UploadComplete") && job.state.equals("Open")) {
            job.state = "UploadComplete";
            job.systemModstamp = clock.instant();
            // the answer is the state the close produced, however short the queue wait
            Map<String, Object> answer = job.info(ctx.org().userId());
            queue.enqueue(() -> process(job));
            if (!dropped(ex, loseResponse)) {
                HttpIo.json(ex, 200, answer);
            }
            return;
        } else if (target.equals("Aborted") && !job.finished()) {
            job.state = "Aborted";
            job.systemModstamp = clock.instant();
        } else {
            HttpIo.errors(ex, 400, "INVALIDJOBSTATE", "Cannot change the state of job " + job.id + " from " + job.state + " to " + target);
            return;
        }
        HttpIo.json(ex, 200, job.info(ctx.org().userId()));
    }

    private void results(HttpExchange ex, BulkIngestJob job, List<String> prefix, List<List<String>> rows) throws IOException {
        if (!job.finished() && !prefix.isEmpty()) {
            HttpIo.errors(ex, 400, "INVALIDJOBSTATE", "Job " + job.id + " is not finished");
            return;
        }
        List<String> header = new ArrayList<>(prefix);
        header.addAll(job.header);
        StringWriter out = new StringWriter();
        CSVFormat format = job.csv.results();
        synchronized (job) {
            try (CSVPrinter csv = new CSVPrinter(out, format)) {
                csv.printRecord(header);
                for (List<String> row : rows) {
                    csv.printRecord(row);
                }
            }
        }
        HttpIo.text(ex, 200, "text/csv", out.toString());
    }

    /** Takes a job off the queue: reads its CSV and checks the header, then starts writing its rows. */
    private void process(BulkIngestJob job) {
        if (job.state.equals("Aborted")) {
            return;
        }
        job.state = "InProgress";
        List<CSVRecord> rows;
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setDelimiter(job.csv.delimiter()).setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(false).setTrim(false).build().parse(new StringReader(job.data == null ? "" : job.data))) {
            job.header = parser.getHeaderNames();
            rows = parser.getRecords();
        } catch (IOException | IllegalArgumentException e) {
            fail(job, "InvalidBatch : Failed to parse CSV: " + e.getMessage());
            return;
        }
        String problem = checkHeader(job);
        if (problem != null) {
            synchronized (job) {
                rows.forEach(r -> job.unprocessed.add(r.toList()));
            }
            fail(job, problem);
            return;
        }
        new Run(job, rows, ctx.faults().profile()).scheduleNext();
    }

    /**
     * A job being processed: every row through the org's write rules, in batches of 10,000. Each
     * slice of rows is written when the job's own timeline says it is done (the profile's rate,
     * plus any fault latency before a batch), as a scheduled task: no thread waits out a job's
     * processing time, so any number of jobs progress side by side, each at the profile's rate.
     */
    private final class Run {
        private final BulkIngestJob job;
        private final List<CSVRecord> rows;
        private final LatencyProfile profile;
        private final WriteOptions options;
        private final long started = System.nanoTime();
        /** Fault latency so far: it pushes the rest of the timeline back. */
        private long faultMillis;
        private int next;
        /** The transaction of the current 200 rows: Salesforce saves a Bulk batch in chunks of 200 records. */
        private SimulatedOrg.Unit chunk;
        /** The records each row of the slice being processed locks. */
        private final List<Set<String>> sliceLocks = new ArrayList<>();
        /** The locks the slice could not get within the lock wait. */
        private Set<String> blocked = Set.of();

        Run(BulkIngestJob job, List<CSVRecord> rows, LatencyProfile profile) {
            this.job = job;
            this.rows = rows;
            this.profile = profile;
            this.options = new WriteOptions(false, job.assignmentRuleId);
        }

        /** Schedules the next slice for when it is due, or completes the job when no row is left. */
        void scheduleNext() {
            if (next == rows.size()) {
                complete();
                return;
            }
            int end = sliceEnd();
            if (next % BATCH == 0) {
                faultMillis += ctx.faults().latencyPerCallMillis() + ctx.faults().latencyPerRecordMillis() * (Math.min(rows.size(), next + BATCH) - next);
            }
            sliceLocks.clear();
            for (int i = next; i < end; i++) {
                String operation = operationForLocks();
                sliceLocks.add(ctx.org().lockTargets(operation.equals("delete") ? null : job.object, operation, job.externalIdFieldName,
                        input(job, rows.get(i))));
            }
            lock(end, System.nanoTime(), true);
        }

        /**
         * Takes the locks of the slice's rows, held until the slice is saved. While another transaction holds one,
         * the slice asks again every {@link #LOCK_RETRY_MILLIS} until the lock wait is over (the scheduler's threads
         * must not block), and the job's timeline moves back by the time waited; then the rows whose locks are
         * still held fail with UNABLE_TO_LOCK_ROW.
         */
        private void lock(int end, long waitStarted, boolean first) {
            Set<String> all = new LinkedHashSet<>();
            sliceLocks.forEach(all::addAll);
            long waited = System.nanoTime() - waitStarted;
            boolean last = waited >= ctx.faults().lockWait().toNanos();
            Set<String> held = ctx.locks().tryAcquire(this, all, first, last);
            if (!held.isEmpty() && !last) {
                queue.schedule(() -> lock(end, waitStarted, false), LOCK_RETRY_MILLIS);
                return;
            }
            faultMillis += waited / 1_000_000;
            blocked = held;
            long dueMillis = profile.bulkProcessingMillis(end) + faultMillis;
            long delay = dueMillis - (System.nanoTime() - started) / 1_000_000;
            queue.schedule(() -> writeSlice(end), delay);
        }

        /** The operation as {@link SimulatedOrg#lockTargets} names it. */
        private String operationForLocks() {
            return switch (job.operation.toLowerCase(Locale.ROOT)) {
                case "insert" -> "create";
                case "delete", "harddelete" -> "delete";
                default -> job.operation;
            };
        }

        /** A slice never crosses a batch; without a rate it is the whole batch. */
        private int sliceEnd() {
            long perSlice = profile.bulkRecordsPerSecond() == 0 ? BATCH : Math.max(1, profile.bulkRecordsPerSecond() * SLICE_MILLIS / 1000);
            long batchEnd = (next / BATCH + 1L) * BATCH;
            return (int) Math.min(rows.size(), Math.min(batchEnd, next + perSlice));
        }

        private void writeSlice(int end) {
            if (job.state.equals("Aborted")) {
                ctx.locks().release(this);
                synchronized (job) {
                    rows.subList(next, rows.size()).forEach(r -> job.unprocessed.add(r.toList()));
                }
                return;
            }
            int refused = 0;
            for (int i = next; i < end; i++) {
                CSVRecord row = rows.get(i);
                if (i % WriteCall.MAX_RECORDS == 0) {
                    commit(chunk);
                    chunk = ctx.writeUnit();
                }
                String lockHeld = blocked.isEmpty() ? null : sliceLocks.get(i - next).stream().filter(blocked::contains).findFirst().orElse(null);
                refused += lockHeld == null ? 0 : 1;
                SaveOutcome outcome = lockHeld != null ? WriteCall.unableToLock(lockHeld) : write(job, row, options, chunk);
                synchronized (job) {
                    List<String> result = new ArrayList<>();
                    if (outcome.success()) {
                        result.add(outcome.id());
                        result.add(Boolean.toString(outcome.created()));
                        result.addAll(row.toList());
                        job.successes.add(result);
                    } else {
                        SimError e = outcome.errors().get(0);
                        result.add(outcome.id() == null ? "" : outcome.id());
                        result.add(e.statusCode() + ":" + e.message() + ":" + String.join(",", e.fields()) + " --");
                        result.addAll(row.toList());
                        job.failures.add(result);
                        job.failed++;
                    }
                    job.processed++;
                }
            }
            commit(chunk); // the rows of this slice are saved: their events go out before the next slice
            ctx.locks().refused(refused);
            next = end;
            ctx.locks().release(this); // before the next slice asks for its locks
            scheduleNext();
        }

        private static void commit(SimulatedOrg.Unit chunk) {
            if (chunk != null) {
                chunk.commit("bulkapi");
            }
        }

        private void complete() {
            job.totalProcessingTime = (System.nanoTime() - started) / 1_000_000;
            job.systemModstamp = clock.instant();
            if (job.state.equals("Aborted")) {
                return; // aborted while its last slice was written: it stays aborted, as it answered
            }
            job.state = "JobComplete";
            ctx.calls().add(new CallLog.Call(clock.instant(), "BULK", "ingest:" + job.operation, List.of(job.object), rows.size(), 1,
                    job.totalProcessingTime, job.failed == 0 ? "OK" : job.failed + " failed", Map.of("jobId", job.id)));
        }
    }

    private void fail(BulkIngestJob job, String message) {
        job.errorMessage = message;
        job.systemModstamp = clock.instant();
        job.state = "Failed";
        ctx.calls().add(new CallLog.Call(clock.instant(), "BULK", "ingest:" + job.operation, List.of(job.object), 0, 1, 0, "Failed", Map.of("jobId", job.id)));
    }

    private String checkHeader(BulkIngestJob job) {
        ObjectDef def = ctx.org().object(job.object);
        for (String column : job.header) {
            int dot = column.indexOf('.');
            boolean known = dot > 0 ? def.relationship(column.substring(0, dot)).isPresent() : def.field(column).isPresent();
            if (!known) {
                return "InvalidBatch : Field name not found : " + column;
            }
        }
        boolean needsId = job.operation.equals("update") || job.operation.equals("delete") || job.operation.equals("hardDelete");
        if (needsId && job.header.stream().noneMatch(c -> c.equalsIgnoreCase("Id"))) {
            return "InvalidBatch : Field name not found : Id";
        }
        if (job.operation.equals("upsert") && job.header.stream().noneMatch(c -> c.equalsIgnoreCase(job.externalIdFieldName))) {
            return "InvalidBatch : Field name not found : " + job.externalIdFieldName;
        }
        return null;
    }

    private SaveOutcome write(BulkIngestJob job, CSVRecord row, WriteOptions options, SimulatedOrg.Unit unit) {
        if (ctx.faults().maintenance()) {
            return SaveOutcome.failed(SimError.of("INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE",
                    "Unable to process your request because this org is in read-only mode for maintenance. Try again later."));
        }
        if (ctx.faults().rowLocked()) {
            return SaveOutcome.failed(SimError.of("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records"));
        }
        RecordInput in = input(job, row);
        try {
            return switch (job.operation.toLowerCase(Locale.ROOT)) {
                case "insert" -> ctx.org().create(unit, job.object, in, options);
                case "update" -> ctx.org().update(unit, job.object, in, options);
                case "upsert" -> ctx.org().upsert(unit, job.object, job.externalIdFieldName, in, options);
                default -> ctx.org().delete(unit, in.id());
            };
        } catch (SimFault f) {
            return SaveOutcome.failed(SimError.of(f.code(), f.getMessage()));
        }
    }

    /** A CSV row as the record it writes: an empty cell leaves its field alone, #N/A clears it, Rel.Field names a parent. */
    private static RecordInput input(BulkIngestJob job, CSVRecord row) {
        String id = null;
        Map<String, String> values = new LinkedHashMap<>();
        List<String> toNull = new ArrayList<>();
        Map<String, RecordInput.ParentKey> parents = new LinkedHashMap<>();
        for (int i = 0; i < job.header.size(); i++) {
            String column = job.header.get(i);
            String value = i < row.size() ? row.get(i) : "";
            if (column.equalsIgnoreCase("Id")) {
                id = value;
            } else if (value.isEmpty()) {
                continue; // an empty cell leaves the field as it is
            } else if (column.indexOf('.') > 0) {
                int dot = column.indexOf('.');
                parents.put(column.substring(0, dot), new RecordInput.ParentKey(null, column.substring(dot + 1), value));
            } else if (value.equals(NULL)) {
                toNull.add(column);
            } else {
                values.put(column, value);
            }
        }
        return new RecordInput(id, values, toNull, parents);
    }

}
