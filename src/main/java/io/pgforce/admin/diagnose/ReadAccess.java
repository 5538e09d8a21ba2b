package io.pgforce.admin.diagnose;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingField;
import io.pgforce.config.Relationship;
import io.pgforce.salesforce.ObjectInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a mapping can be read, whatever its access: its object queryable by the integration user
 * and every field it reads (all but write_only ones) and relationship in the object's describe (Salesforce leaves out of the
 * describe what the user may not read, and refuses a query naming it).
 */
final class ReadAccess {

    static final String CHECK = "read-access";

    private ReadAccess() {
    }

    /** @param object the org's describe of the mapping's object; empty when the user sees no such object */
    static List<Check> check(Mapping m, Optional<ObjectInfo> object) {
        String scope = m.object();
        if (object.isEmpty()) {
            return List.of(Check.red(scope, CHECK, "the org has no object named '" + m.object() + "' the integration user can see: no read of it can run",
                    "Correct the object's API name, or give the integration user Read on " + m.object()));
        }
        if (!object.get().queryable()) {
            return List.of(Check.red(scope, CHECK, m.object() + " is not queryable by the integration user: no read of it can run",
                    "Give the integration user's profile or a permission set Read on " + m.object()));
        }
        List<Check> problems = new ArrayList<>();
        // a write_only field is never queried: the write checks answer for it
        List<MappingField> read = m.fields().stream().filter(f -> f.direction().read()).toList();
        for (MappingField f : read) {
            if (object.get().field(f.name()).isEmpty()) {
                problems.add(unreadable(m, f.name()));
            }
        }
        for (Relationship r : m.relationships()) {
            if (object.get().relationship(r.name()).isEmpty()) {
                problems.add(unreadable(m, r.name()));
            }
        }
        return Check.orGreen(problems, scope, CHECK, m.object() + " can be queried and its " + (read.size() + m.relationships().size())
                + " mapped field(s) read");
    }

    private static Check unreadable(Mapping m, String field) {
        return Check.red(m.object(), CHECK, m.object() + "." + field + ": the integration user cannot read this field (the org's describe of " + m.object()
                + " does not list it): every read of " + m.object() + " fails",
                "Give the integration user read access to " + field + " (field-level security), or remove it from the mapping");
    }
}
