package io.pgforce.plan;

import java.util.List;

public record WritePlan(List<WriteBatch> batches, List<Long> settledWithoutWrite, List<String> warnings) {
}
