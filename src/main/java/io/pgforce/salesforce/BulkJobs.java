package io.pgforce.salesforce;

import io.pgforce.route.PgforceConstants;
import io.pgforce.config.Backoff;
import io.pgforce.config.ConnectionSettings;
import io.pgforce.config.MappingSet;
import io.pgforce.plan.Operation;
import io.pgforce.plan.WriteItem;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.salesforce.api.dto.bulkv2.ContentTypeEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.Job;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.LineEndingEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.jboss.logging.Logger;

/**
 * The steps of the Bulk route around camel-salesforce's bulk2 operations: the job, its CSV
 * ({@code #N/A} clears a field, {@code Rel.ExtId__c} columns reference parents), polling with
 * back-off, what to do with a job an outage or a crash interrupted, and mapping the successful and
 * failed results back to the batch's records by the unique identifier (upserts) or the Id
 * (updates, deletes). Records that failed or were not processed stay pending and go once more
 * over SOAP, which reports their exact error.
 */
@ApplicationScoped
@Unremovable
@Named("bulkJobs")
public class BulkJobs {

    private static final Logger LOG = Logger.getLogger(BulkJobs.class);
    /** The job as Salesforce last described it; null when it does not know the job. */
    static final String NULL = "#N/A";

    private final RecordMapper mapper;
    private final ConnectionSettings connection;
    private final Backoff polls;

    @Inject
    BulkJobs(RecordMapper mapper, MappingSet mappings, BulkSettings bulk) {
        this.mapper = mapper;
        this.connection = mappings.connection();
        this.polls = bulk.polls();
    }

    /** The job to create for the batch in the body. */
    public Job job(BatchProgress progress) {
        WriteItem first = progress.pending().get(0);
        Job job = new Job();
        job.setObject(first.object());
        job.setOperation(switch (progress.operation()) {
            case CREATE -> OperationEnum.INSERT;
            case UPSERT -> OperationEnum.UPSERT;
            case UPDATE -> OperationEnum.UPDATE;
            case DELETE -> OperationEnum.DELETE;
        });
        if (progress.operation() == Operation.UPSERT) {
            job.setExternalIdFieldName(progress.externalIdField());
        }
        job.setContentType(ContentTypeEnum.CSV);
        job.setLineEnding(LineEndingEnum.LF);
        String rule = connection.assignmentRules().get(first.object());
        if (rule != null && progress.operation().isInsert() && !"default".equals(rule)) {
            job.setAssignmentRuleId(rule); // Bulk API 2.0 takes a rule Id; the default rule has none to give
        }
        return job;
    }

    /** Remembers the new job on the batch, so that a retry after an outage resumes it. */
    public void created(Job job, @ExchangeProperty(PgforceConstants.PROGRESS) BatchProgress progress) {
        progress.bulkJobCreated(job.getId());
        LOG.infof("Bulk job %s created: %s %d %s record(s)", job.getId(), job.getOperation(), progress.pending().size(), job.getObject());
    }

    /**
     * bulk2GetJob failed: when Salesforce does not know the job (404 NOT_FOUND: deleted, or never
     * created in this org) there is no job (the route sets {@code pgforceBulkJob} to null); anything else fails on.
     */
    public void unknownJob(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) throws Exception {
        if (!SalesforceFailures.notFound(e)) {
            throw e;
        }
    }

    /** Logs what became of an interrupted job. */
    public void found(@ExchangeProperty(PgforceConstants.BULK_JOB) Job job, @ExchangeProperty(PgforceConstants.PROGRESS) BatchProgress progress) {
        LOG.infof("Bulk job %s of %s was interrupted; Salesforce says: %s", progress.getBulkJobId(), progress,
                job == null ? "no such job" : job.getState() + (isOpen(job) ? " (not closed: it is aborted and its records go again)" : ""));
    }

    /** The job was never closed: whether its upload arrived is unknown, so it is aborted and its records go again. */
    public boolean isOpen(@ExchangeProperty(PgforceConstants.BULK_JOB) Job job) {
        return job != null && job.getState() == JobStateEnum.OPEN;
    }

    /** Salesforce is still processing the job: poll it to its end. */
    public boolean isRunning(@ExchangeProperty(PgforceConstants.BULK_JOB) Job job) {
        return job != null && (job.getState() == JobStateEnum.UPLOAD_COMPLETE || job.getState() == JobStateEnum.IN_PROGRESS);
    }

    public boolean isComplete(@ExchangeProperty(PgforceConstants.BULK_JOB) Job job) {
        return job != null && job.getState() == JobStateEnum.JOB_COMPLETE;
    }

    /**
     * Resuming after an outage: a job that was aborted (it was Open) or that Salesforce does not
     * know is forgotten, and the batch goes in a new job; any other job is followed to its end.
     */
    public BatchProgress resume(@ExchangeProperty(PgforceConstants.BULK_JOB) Job job, @ExchangeProperty(PgforceConstants.PROGRESS) BatchProgress progress) {
        if (job == null || isOpen(job)) {
            progress.bulkJobAbandoned();
        }
        return progress;
    }

    /** The CSV of every pending record: one column per field any record sets or clears. */
    public String csv(@ExchangeProperty(PgforceConstants.PROGRESS) BatchProgress progress) {
        List<SObjectData> records = progress.pending().stream().map(mapper::map).toList();
        Set<String> columns = new LinkedHashSet<>();
        if (progress.operation() == Operation.UPDATE || progress.operation() == Operation.DELETE) {
            columns.add("Id");
        }
        if (progress.operation() != Operation.DELETE) {
            for (SObjectData r : records) {
                columns.addAll(r.fields().keySet());
                columns.addAll(r.fieldsToNull());
                r.parents().forEach(p -> columns.add(p.relationshipName() + "." + p.externalIdField()));
            }
        }
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator("\n").build())) {
            csv.printRecord(columns);
            for (SObjectData r : records) {
                List<String> row = new ArrayList<>(columns.size());
                for (String column : columns) {
                    row.add(cell(r, column));
                }
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String cell(SObjectData r, String column) {
        if (column.equals("Id")) {
            return r.id();
        }
        int dot = column.indexOf('.');
        if (dot > 0) {
            String rel = column.substring(0, dot);
            return r.parents().stream().filter(p -> p.relationshipName().equals(rel)).map(ParentReference::value).findFirst().orElse("");
        }
        if (r.fieldsToNull().contains(column)) {
            return NULL;
        }
        return r.fields().getOrDefault(column, ""); // empty: leave the field as it is
    }

    /** Milliseconds before the next status poll: doubling from the initial delay up to the maximum. */
    public long pollDelay(@ExchangeProperty(Exchange.LOOP_INDEX) Integer index) {
        return polls.delayMillis(index == null ? 0 : index);
    }

    /** Records every successful result; failed and unprocessed records stay pending for SOAP. */
    public BatchProgress successes(InputStream csv, @ExchangeProperty(PgforceConstants.PROGRESS) BatchProgress progress, @ExchangeProperty(PgforceConstants.BULK_JOB) Job job) {
        if (job.getState() != JobStateEnum.JOB_COMPLETE) {
            LOG.warnf("Bulk job %s ended %s (%s): its %d record(s) go over SOAP", job.getId(), job.getState(), job.getErrorMessage(), progress.pending().size());
            progress.bulkFinished();
            return progress;
        }
        Map<String, WriteItem> byKey = new HashMap<>();
        String keyColumn = keyColumn(progress);
        for (WriteItem item : progress.pending()) {
            byKey.put(key(item, progress), item);
        }
        int ok = 0;
        for (CSVRecord row : read(csv)) {
            WriteItem item = byKey.get(row.get(keyColumn));
            if (item != null) {
                progress.succeeded(item, row.get("sf__Id"));
                ok++;
            }
        }
        LOG.infof("Bulk job %s: %d of %d record(s) written; %d go over SOAP for their exact result", job.getId(), ok, byKey.size(), byKey.size() - ok);
        progress.bulkFinished();
        return progress;
    }

    /** Failed rows are only counted here: those records are still pending and SOAP reports their exact error. */
    public BatchProgress failures(InputStream csv, @ExchangeProperty(PgforceConstants.PROGRESS) BatchProgress progress, @ExchangeProperty(PgforceConstants.BULK_JOB) Job job) {
        List<CSVRecord> failed = new ArrayList<>();
        read(csv).forEach(failed::add);
        if (!failed.isEmpty()) {
            LOG.infof("Bulk job %s: %d record(s) failed, e.g. %s", job.getId(), failed.size(), failed.get(0).get("sf__Error"));
        }
        return progress;
    }

    private String keyColumn(BatchProgress progress) {
        return progress.operation() == Operation.UPSERT ? progress.externalIdField() : "Id";
    }

    private String key(WriteItem item, BatchProgress progress) {
        if (progress.operation() == Operation.UPSERT) {
            SObjectData data = mapper.map(item);
            return data.fields().get(progress.externalIdField());
        }
        return item.sfid();
    }

    private static Iterable<CSVRecord> read(InputStream csv) {
        try {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(new InputStreamReader(csv, StandardCharsets.UTF_8)).getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * camel-salesforce failed. Outages wait (see {@link SalesforceFailures#waitIfUnavailable}); anything else, the
     * day's Bulk jobs used up among it, sends the job's records over SOAP, which reports each
     * record's exact result.
     */
    public void failure(Exchange exchange) {
        BatchProgress progress = exchange.getProperty(PgforceConstants.PROGRESS, BatchProgress.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.getMessage().setBody(progress);
        if (SalesforceFailures.quotaExceeded(e)) {
            // no Bulk job for hours, while SOAP still takes writes: waiting would hold every write back
            LOG.warnf("The org's Bulk jobs of the last 24 hours are used up (ExceededQuota): %d record(s) go over SOAP", progress.pending().size());
            progress.bulkFinished();
            return;
        }
        SalesforceFailures.waitIfUnavailable(e, "Salesforce Bulk API");
        LOG.warnf("Bulk API refused the job (%s): its %d record(s) go over SOAP", e.getMessage(), progress.pending().size());
        progress.bulkFinished();
    }

    /**
     * camel-salesforce failed while resolving a job an interrupted cycle left. Outages wait; for
     * anything else what the job did cannot be known, so its records are planned and sent again
     * (inserts are upserts: nothing is duplicated).
     */
    public void unresolved(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e, @ExchangeProperty(PgforceConstants.PROGRESS) BatchProgress progress) {
        SalesforceFailures.waitIfUnavailable(e, "Salesforce Bulk API");
        LOG.warnf("Cannot tell what Bulk job %s did (%s): its %d record(s) are sent again", progress.getBulkJobId(), e.getMessage(), progress.pending().size());
    }
}
