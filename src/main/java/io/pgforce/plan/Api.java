package io.pgforce.plan;

/** Where a batch goes: a SOAP call, a Bulk job, or a Composite Graph payload (one graph per Postgres transaction). */
public enum Api { SOAP, BULK, GRAPH }
