package io.pgforce.admin.jmx;

import java.util.Map;

/**
 * The pgforce MBean of a connection ({@code pgforce:type=Connection,name=<schema>}), beside
 * Camel's own route and processor MBeans. An MXBean, so that any JMX client (jconsole, VisualVM,
 * a Prometheus JMX exporter) reads it without pgforce's classes.
 */
public interface ConnectionMXBean {

    String getState();

    /** The original dashboard's label of the state. */
    String getStateLabel();

    String getStateReason();

    /** Changes per mapping table and state, keyed "table/STATE" (FAILED: live and archived). */
    Map<String, Long> getBacklog();

    /** How long the oldest change not yet written has waited; 0 when none waits. */
    double getOldestNewChangeAgeSeconds();

    /** ISO-8601; empty before the first cycle. */
    String getLastCycleStart();

    /** -1 before the first cycle. */
    long getLastCycleDurationMillis();

    /** Salesforce API calls so far, keyed "API/outcome" (e.g. "SOAP/success"). */
    Map<String, Long> getApiCalls();

    double getRecordsPerCall();

    /** The org's daily API requests used in the last 24 hours (every integration's), as Salesforce last said; -1 before a reading. */
    long getApiRequestsUsed();

    /** The org's daily API request allocation; -1 before a reading. */
    long getApiRequestsMax();

    /** pgforce.api.max-share: the share of the allocation at which pgforce waits (WAITING_FOR_API_ALLOCATION). */
    double getApiMaxShare();

    boolean isPaused();

    void pause();

    void resume();

    /** Resubmits every write error; returns how many. */
    int retryFailed();

    /** Resubmits one mapping's write errors (its object or table name); returns how many. */
    int retryFailed(String mapping);
}
