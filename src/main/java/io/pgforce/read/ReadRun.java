package io.pgforce.read;

import io.pgforce.config.Mapping;
import java.time.Instant;

/**
 * One read of one mapping, a load or a poll, from its query to its last page: the exchange
 * property {@code pgforceRead} of routes/read.yaml. Begun by {@link ReadStates#begin}, moved on
 * page by page by {@link PageApply}, ended by {@link ReadSchedule}.
 */
public final class ReadRun {

    private final Mapping mapping;
    private String soql;
    private Instant startedAt;
    private boolean loading;
    /** No watermark: the whole object is read. */
    private boolean fullLoad;
    /** The load goes through a Bulk API 2.0 query job (BulkLoadChoice). */
    private boolean bulk;
    private String bulkJobId;
    private boolean bulkJobComplete;
    /** The next results page's Sforce-Locator; null for the first, "null" (Salesforce's word) after the last. */
    private String locator;
    private String nextRecordsUrl;
    private boolean done;
    private int pages;
    private long applied;
    private long failed;
    /** The earliest SystemModstamp of a record held back (see PageApply); the watermark stays below it. */
    private Instant heldBack;

    ReadRun(Mapping mapping) {
        this.mapping = mapping;
    }

    public Mapping mapping() {
        return mapping;
    }

    /** The query of the first page. */
    public String soql() {
        return soql;
    }

    /** The next page's locator, or null before the first page. */
    public String nextRecordsUrl() {
        return nextRecordsUrl;
    }

    /** Whether another page is to be read: before the first, and while Salesforce says the result is not done. */
    public boolean hasMore() {
        return !done;
    }

    /** Whether this read is a load through a Bulk query job. */
    public boolean bulk() {
        return bulk;
    }

    /** The Bulk query job, or null before it is created (or after it failed). */
    public String bulkJobId() {
        return bulkJobId;
    }

    /** Whether the Bulk load still waits for a job to be JobComplete (none created yet, or running); false once results are ready or all applied. */
    public boolean awaitsBulkJob() {
        return bulk && !bulkJobComplete && !done;
    }

    /** Whether the Bulk load reads its job's results: the job is JobComplete and pages follow. */
    public boolean readsBulkPages() {
        return bulk && bulkJobComplete && !done;
    }

    /** The next results page's locator, or null for the first page. */
    public String locator() {
        return locator;
    }

    void begun(String soql, Instant startedAt, boolean loading, boolean fullLoad) {
        this.soql = soql;
        this.startedAt = startedAt;
        this.loading = loading;
        this.fullLoad = fullLoad;
    }

    /** No watermark: the whole object is to be read, and a Bulk job may read it. */
    boolean fullLoad() {
        return fullLoad;
    }

    /** A Bulk load an interruption left: its job, the next page's locator, and when the read that created the job began. */
    void bulkResumed(String jobId, String nextLocator, Instant jobStartedAt) {
        bulk = true;
        bulkJobId = jobId;
        locator = nextLocator;
        startedAt = jobStartedAt;
        done = NO_MORE.equals(nextLocator);
    }

    void bulkChosen() {
        bulk = true;
    }

    void bulkJobCreated(String jobId) {
        bulkJobId = jobId;
        locator = null;
        done = false;
    }

    void bulkJobGone() {
        bulkJobId = null;
        bulkJobComplete = false;
    }

    void bulkJobCompleted() {
        bulkJobComplete = true;
    }

    /** Salesforce's Sforce-Locator after the last results page. */
    static final String NO_MORE = "null";

    /** When the read began, the database's time: its query was sent after it. */
    Instant startedAt() {
        return startedAt;
    }

    /** A full load, or a load an interruption left unfinished. */
    boolean loading() {
        return loading;
    }

    /** A record left for the next read: this read's watermark stays below its stamp, so that the overlap reads it again. */
    void heldBack(Instant stamp) {
        if (heldBack == null || stamp.isBefore(heldBack)) {
            heldBack = stamp;
        }
    }

    /** The watermark a page may move to: its newest stamp, below any record this read held back. */
    Instant watermark(Instant newest) {
        if (heldBack == null || newest == null || newest.isBefore(heldBack)) {
            return newest;
        }
        return heldBack.minusMillis(1);
    }

    void pageApplied(String next, boolean last, long recordsApplied, long recordsFailed) {
        nextRecordsUrl = next;
        counted(last || next == null, recordsApplied, recordsFailed);
    }

    void bulkPageApplied(String next, long recordsApplied, long recordsFailed) {
        locator = next;
        counted(next == null || NO_MORE.equals(next), recordsApplied, recordsFailed);
    }

    private void counted(boolean last, long recordsApplied, long recordsFailed) {
        done = last;
        pages++;
        applied += recordsApplied;
        failed += recordsFailed;
    }

    int pages() {
        return pages;
    }

    long applied() {
        return applied;
    }

    long failed() {
        return failed;
    }
}
