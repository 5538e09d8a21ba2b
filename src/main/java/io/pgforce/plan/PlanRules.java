package io.pgforce.plan;

import java.util.List;
import java.util.Map;

/**
 * The rules a plan follows: the connection's algorithm, Bulk settings and write concurrency, and
 * the limits of the APIs (the defaults are Salesforce's and Heroku Connect's).
 *
 * @param writeConcurrency Salesforce calls at once: a long Bulk run is cut into that many jobs where it can be
 * @param ordering         the order Ordered Writes keeps: the trigger log's, or each record's
 * @param atomicTransactions each transaction's changes go as one Composite Graph (Ordered Writes only)
 */
public record PlanRules(WriteAlgorithm algorithm, double apiVersion, boolean bulkEnabled, Map<String, ObjectRules> objectsByTable,
                        int soapMaxRecords, int soapMaxChunks, int bulkMinRun, int bulkMaxJob, int bulkMinApiVersion, int writeConcurrency,
                        Ordering ordering, boolean atomicTransactions) {

    public static final int SOAP_MAX_RECORDS = 200;
    public static final int SOAP_MAX_CHUNKS = 10;
    public static final int BULK_MIN_RUN = 2000;
    public static final int BULK_MAX_JOB = 10000;
    public static final int BULK_MIN_API_VERSION = 39;

    public PlanRules {
        objectsByTable = Map.copyOf(objectsByTable);
    }

    public static PlanRules of(WriteAlgorithm algorithm, double apiVersion, boolean bulkEnabled, Map<String, ObjectRules> objectsByTable,
                               int writeConcurrency, Ordering ordering, boolean atomicTransactions) {
        return new PlanRules(algorithm, apiVersion, bulkEnabled, objectsByTable, SOAP_MAX_RECORDS, SOAP_MAX_CHUNKS, BULK_MIN_RUN, BULK_MAX_JOB,
                BULK_MIN_API_VERSION, writeConcurrency, ordering, atomicTransactions);
    }

    public PlanRules withAlgorithm(WriteAlgorithm other) {
        return new PlanRules(other, apiVersion, bulkEnabled, objectsByTable, soapMaxRecords, soapMaxChunks, bulkMinRun, bulkMaxJob, bulkMinApiVersion,
                writeConcurrency, ordering, atomicTransactions);
    }

    ObjectRules rules(String table) {
        ObjectRules r = objectsByTable.get(table);
        if (r == null) {
            throw new IllegalArgumentException("No mapping rules for table " + table);
        }
        return r;
    }

    /** A change as its own write item (as Ordered Writes sends it): an insert is an upsert when it can be. */
    WriteItem item(Change c) {
        return new WriteItem(c.table(), c.object(), c.recordId(), Planner.operation(rules(c.table()), c.action(), c.values()), c.sfid(), c.values(),
                c.logId(), List.of());
    }

    /** The upsert key of an item's call: its mapping's unique identifier, for upserts only. */
    String externalIdField(WriteItem item) {
        return item.operation() == Operation.UPSERT ? rules(item.table()).uniqueIdentifierField() : null;
    }

    /**
     * How many Bulk jobs a run of this many records goes in: as few as the job limit allows, or as
     * many as can run at once when each still holds a Bulk-sized share.
     */
    int bulkJobs(int records) {
        int fewest = (records + bulkMaxJob - 1) / bulkMaxJob;
        return Math.max(fewest, Math.min(writeConcurrency, records / bulkMinRun));
    }

    /** Whether a run of changes of this object may go to Bulk at all (its length decides the rest). */
    boolean bulkAllowed(ObjectRules object) {
        return algorithm == WriteAlgorithm.ORDERED && bulkEnabled && apiVersion >= bulkMinApiVersion && object.hasUniqueIdentifier();
    }
}
