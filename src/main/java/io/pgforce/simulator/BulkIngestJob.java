package io.pgforce.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One Bulk API 2.0 ingest job, its data and its results. */
final class BulkIngestJob {

    final String id;
    final String object;
    final String operation;
    final String externalIdFieldName;
    final CsvDialect csv;
    final String assignmentRuleId;
    final String apiVersion;
    final Instant createdDate;
    volatile String state = "Open";
    volatile Instant systemModstamp;
    volatile String data;
    volatile String errorMessage;
    volatile long processed;
    volatile long failed;
    volatile long totalProcessingTime;
    List<String> header = List.of();
    final List<List<String>> successes = new ArrayList<>();
    final List<List<String>> failures = new ArrayList<>();
    final List<List<String>> unprocessed = new ArrayList<>();

    BulkIngestJob(String id, String object, String operation, String externalIdFieldName, CsvDialect csv, String assignmentRuleId,
                  String apiVersion, Instant now) {
        this.id = id;
        this.object = object;
        this.operation = operation;
        this.externalIdFieldName = externalIdFieldName;
        this.csv = csv;
        this.assignmentRuleId = assignmentRuleId;
        this.apiVersion = apiVersion;
        this.createdDate = now;
        this.systemModstamp = now;
    }

    boolean finished() {
        return state.equals("JobComplete") || state.equals("Failed") || state.equals("Aborted");
    }

    /** The job info JSON, with exactly the fields and enum spellings camel-salesforce reads. */
    Map<String, Object> info(String userId) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", id);
        j.put("operation", operation);
        j.put("object", object);
        j.put("createdById", userId);
        j.put("createdDate", FieldValues.json(createdDate));
        j.put("systemModstamp", FieldValues.json(systemModstamp));
        j.put("state", state);
        if (externalIdFieldName != null) {
            j.put("externalIdFieldName", externalIdFieldName);
        }
        if (assignmentRuleId != null) {
            j.put("assignmentRuleId", assignmentRuleId);
        }
        j.put("concurrencyMode", "Parallel");
        j.put("contentType", "CSV");
        j.put("apiVersion", Double.parseDouble(apiVersion));
        j.put("jobType", "V2Ingest");
        j.put("contentUrl", "services/data/v" + apiVersion + "/jobs/ingest/" + id + "/batches");
        j.put("lineEnding", csv.lineEnding());
        j.put("columnDelimiter", csv.columnDelimiter());
        j.put("numberRecordsProcessed", processed);
        j.put("numberRecordsFailed", failed);
        j.put("retries", 0);
        j.put("totalProcessingTime", totalProcessingTime);
        j.put("apiActiveProcessingTime", totalProcessingTime);
        j.put("apexProcessingTime", 0);
        if (errorMessage != null) {
            j.put("errorMessage", errorMessage);
        }
        return j;
    }
}
