package io.pgforce.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Bulk API 2.0 ingest job, its data and its results. */
final class BulkIngestJob extends BulkJob {

    final String externalIdFieldName;
    final String assignmentRuleId;
    volatile String data;
    volatile String errorMessage;
    volatile long processed;
    volatile long failed;
    List<String> header = List.of();
    final List<List<String>> successes = new ArrayList<>();
    final List<List<String>> failures = new ArrayList<>();
    final List<List<String>> unprocessed = new ArrayList<>();

    BulkIngestJob(String id, String object, String operation, String externalIdFieldName, CsvDialect csv, String assignmentRuleId,
                  String apiVersion, Instant now) {
        super(id, operation, object, csv, apiVersion, "Open", now);
        this.externalIdFieldName = externalIdFieldName;
        this.assignmentRuleId = assignmentRuleId;
    }

    @Override
    String jobType() {
        return "V2Ingest";
    }

    @Override
    long recordsProcessed() {
        return processed;
    }

    /** The ingest fields, with exactly the names camel-salesforce reads. */
    @Override
    void addInfo(Map<String, Object> j) {
        if (externalIdFieldName != null) {
            j.put("externalIdFieldName", externalIdFieldName);
        }
        if (assignmentRuleId != null) {
            j.put("assignmentRuleId", assignmentRuleId);
        }
        j.put("contentUrl", "services/data/v" + apiVersion + "/jobs/ingest/" + id + "/batches");
        j.put("numberRecordsFailed", failed);
        j.put("apiActiveProcessingTime", totalProcessingTime);
        j.put("apexProcessingTime", 0);
        if (errorMessage != null) {
            j.put("errorMessage", errorMessage);
        }
    }
}
