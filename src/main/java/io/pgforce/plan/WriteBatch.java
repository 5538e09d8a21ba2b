package io.pgforce.plan;

import java.util.List;

public record WriteBatch(int sequence, Api api, Operation operation, String externalIdField, List<WriteItem> items) {
}
