package io.pgforce.connection;

/**
 * A failure that says the connection cannot go on for now (Salesforce away, credentials refused),
 * and which state that puts it in; nothing is wrong with the changes themselves.
 */
public interface ConnectionProblem {

    ConnectionState state();
}
