package io.pgforce.admin.jmx;

/**
 * One mapping's read from Salesforce ({@code pgforce:type=Read,name=<schema>,mapping=<table>}), as
 * {@code _pgforce_read_state} holds it. An MXBean, as the connection's.
 */
public interface MappingReadMXBean {

    String getObject();

    String getTable();

    /** LOADING, SYNCED, ERROR or PAUSED; empty before the mapping's first read. */
    String getPhase();

    /** The newest SystemModstamp applied (ISO-8601); empty before the first record. */
    String getWatermark();

    /** Now minus the watermark; -1 without one. */
    double getLagSeconds();

    /** ISO-8601; empty before the first read. */
    String getLastPollStarted();

    /** ISO-8601; empty before the first read ended. */
    String getLastPollEnded();

    String getLastError();

    long getRecordsApplied();

    long getRecordsFailed();

    /** Salesforce calls (query pages, counts, Bulk query job calls) since the state began. */
    long getApiCalls();

    long getLastPollApiCalls();

    long getLoadApiCalls();

    /** Loads the mapping again from nothing at its next read; the rows there are matched, not duplicated. */
    void reload();
}
