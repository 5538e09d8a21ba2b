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
    private String nextRecordsUrl;
    private boolean done;
    private int pages;
    private long applied;
    private long failed;

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

    void begun(String soql, Instant startedAt, boolean loading) {
        this.soql = soql;
        this.startedAt = startedAt;
        this.loading = loading;
    }

    /** When the read began, the database's time: its query was sent after it. */
    Instant startedAt() {
        return startedAt;
    }

    /** A full load, or a load an interruption left unfinished. */
    boolean loading() {
        return loading;
    }

    void pageApplied(String next, boolean last, long recordsApplied, long recordsFailed) {
        nextRecordsUrl = next;
        done = last || next == null;
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
