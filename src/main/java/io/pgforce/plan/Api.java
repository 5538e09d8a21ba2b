package io.pgforce.plan;

public enum Api { SOAP, BULK }
