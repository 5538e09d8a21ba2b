package io.pgforce.plan;

/** A trigger-log action. */
public enum Action { INSERT, UPDATE, DELETE }
