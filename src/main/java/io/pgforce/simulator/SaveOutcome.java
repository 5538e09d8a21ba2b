package io.pgforce.simulator;

import java.util.List;

/** What happened to one record of a write: SaveResult, UpsertResult and DeleteResult in one shape. */
public record SaveOutcome(boolean success, String id, boolean created, List<SimError> errors) {

    public SaveOutcome {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    static SaveOutcome ok(String id, boolean created) {
        return new SaveOutcome(true, id, created, List.of());
    }

    static SaveOutcome failed(SimError error) {
        return new SaveOutcome(false, null, false, List.of(error));
    }
}
