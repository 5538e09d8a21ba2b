package io.pgforce.admin.diagnose;

import java.util.List;

/**
 * Everything diagnose found: {@code {"status": <worst>, "checks": [...]}}. The checks come in a
 * stable order: the connection's first, then each mapping's in the file's order.
 */
public record Diagnosis(Status status, List<Check> checks) {

    public Diagnosis {
        checks = List.copyOf(checks);
    }

    public static Diagnosis of(List<Check> checks) {
        return new Diagnosis(checks.stream().map(Check::status).reduce(Status.GREEN, Status::worse), checks);
    }
}
