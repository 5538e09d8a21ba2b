package io.pgforce.simulator;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** One Bulk API 2.0 query job: its query, and once it has run, its result. */
final class BulkQueryJob extends BulkJob {

    final SoqlQuery query;
    /** Null until the job is JobComplete. */
    volatile BulkQueryResult result;

    /** A new job is already UploadComplete: a query job has nothing to upload. */
    BulkQueryJob(String id, String operation, SoqlQuery query, CsvDialect csv, String apiVersion, Instant now) {
        super(id, operation, query.object, csv, apiVersion, "UploadComplete", now);
        this.query = query;
    }

    boolean includesDeleted() {
        return operation.equals("queryAll");
    }

    /** The state as Salesforce spells it in the error of results asked for too early: IN_PROGRESS, UPLOAD_COMPLETE... */
    String stateConstant() {
        return state.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    @Override
    String jobType() {
        return "V2Query";
    }

    @Override
    long recordsProcessed() {
        BulkQueryResult done = result;
        return done == null ? 0 : done.size();
    }

    /** Salesforce's "Get Information About a Query Job" has no field of its own beyond the common ones. */
    @Override
    void addInfo(Map<String, Object> info) {
    }
}
