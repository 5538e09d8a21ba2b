package io.pgforce.plan;

public enum Operation {
    CREATE, UPSERT, UPDATE, DELETE;

    public boolean isInsert() {
        return this == CREATE || this == UPSERT;
    }
}
