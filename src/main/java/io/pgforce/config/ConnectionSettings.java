package io.pgforce.config;

import io.pgforce.plan.Ordering;
import io.pgforce.plan.WriteAlgorithm;
import java.util.Map;

/**
 * Connection-wide settings, as the original's "Manage Connection" page holds them.
 *
 * @param apiVersion      Salesforce API version, e.g. {@code 62.0}
 * @param assignmentRules  per object (Lead, Case): {@code default} for the default rule, or an assignment rule Id
 * @param writeConcurrency Salesforce calls (SOAP messages, Bulk jobs) at once: 1 is the original's serial writer
 * @param ordering         Ordered Writes' order: {@code log} (the original's) or {@code record}
 * @param atomicTransactions each Postgres transaction's changes go as one all-or-nothing Composite Graph
 */
public record ConnectionSettings(String schema, WriteAlgorithm writeAlgorithm, String apiVersion,
                                 boolean bulkEnabled, Map<String, String> assignmentRules, int writeConcurrency,
                                 Ordering ordering, boolean atomicTransactions) {

    public static final String DEFAULT_SCHEMA = "salesforce";
    public static final String DEFAULT_API_VERSION = "62.0";
    public static final String DEFAULT_ASSIGNMENT_RULE = "default";
    public static final int SERIAL = 1;
    /** Salesforce allows 25 long-running requests per org at once; pgforce stays well below. */
    public static final int MOST_CONCURRENT_WRITES = 16;

    public ConnectionSettings {
        assignmentRules = Map.copyOf(assignmentRules);
    }

    public double apiVersionNumber() {
        return Double.parseDouble(apiVersion);
    }
}
