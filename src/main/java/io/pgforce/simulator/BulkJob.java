package io.pgforce.simulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every Bulk API 2.0 job has, ingest and query alike: its Id, operation, object, CSV dialect, version and state. */
abstract class BulkJob {

    final String id;
    final String operation;
    final String object;
    final CsvDialect csv;
    final String apiVersion;
    final Instant createdDate;
    volatile String state;
    volatile Instant systemModstamp;
    volatile long totalProcessingTime;

    BulkJob(String id, String operation, String object, CsvDialect csv, String apiVersion, String state, Instant now) {
        this.id = id;
        this.operation = operation;
        this.object = object;
        this.csv = csv;
        this.apiVersion = apiVersion;
        this.state = state;
        this.createdDate = now;
        this.systemModstamp = now;
    }

    /** JobComplete, Failed or Aborted: nothing more happens to the job, and only these can be deleted. */
    boolean finished() {
        return state.equals("JobComplete") || state.equals("Failed") || state.equals("Aborted");
    }

    /** V2Ingest or V2Query. */
    abstract String jobType();

    abstract long recordsProcessed();

    /** The job info JSON: the fields every job has, in the enum spellings clients read, then {@link #addInfo}'s. */
    final Map<String, Object> info(String userId) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", id);
        j.put("operation", operation);
        j.put("object", object);
        j.put("createdById", userId);
        j.put("createdDate", FieldValues.json(createdDate));
        j.put("systemModstamp", FieldValues.json(systemModstamp));
        j.put("state", state);
        j.put("concurrencyMode", "Parallel");
        j.put("contentType", "CSV");
        j.put("apiVersion", Double.parseDouble(apiVersion));
        j.put("jobType", jobType());
        j.put("lineEnding", csv.lineEnding());
        j.put("columnDelimiter", csv.columnDelimiter());
        j.put("numberRecordsProcessed", recordsProcessed());
        j.put("retries", 0);
        j.put("totalProcessingTime", totalProcessingTime);
        addInfo(j);
        return j;
    }

    /** The fields of this kind of job only. */
    abstract void addInfo(Map<String, Object> info);
}
