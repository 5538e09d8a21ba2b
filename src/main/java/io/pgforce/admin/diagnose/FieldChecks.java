package io.pgforce.admin.diagnose;

import io.pgforce.config.Identifiers;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingField;
import io.pgforce.config.PgType;
import io.pgforce.config.Relationship;
import io.pgforce.salesforce.DescribeMismatch;
import io.pgforce.salesforce.FieldInfo;
import io.pgforce.salesforce.ObjectInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/** A read_write mapping against its object's describe: fields, unique identifier, required fields, relationships, column types. */
final class FieldChecks {

    private final String schema;
    private final Mapping mapping;
    private final ObjectInfo object;
    private final List<DescribeMismatch> mismatches;
    /** (table, column) -> the installed column's type, when the table has it */
    private final BiFunction<String, String, Optional<String>> installedType;

    FieldChecks(String schema, Mapping mapping, ObjectInfo object, List<DescribeMismatch> mismatches,
                BiFunction<String, String, Optional<String>> installedType) {
        this.schema = schema;
        this.mapping = mapping;
        this.object = object;
        this.mismatches = mismatches.stream().filter(x -> x.mapping().equals(mapping.object())).toList();
        this.installedType = installedType;
    }

    List<Check> run() {
        List<Check> checks = new ArrayList<>();
        checks.addAll(mismatchChecks(DescribeMismatch.Kind.UNKNOWN_FIELD, "unknown-field", "every mapped field exists in Salesforce",
                "Correct the field's API name (Setup > Object Manager), or remove it from the mapping"));
        checks.addAll(mismatchChecks(DescribeMismatch.Kind.READ_ONLY_FIELD, "read-only-field", "every mapped field can be written",
                "Remove the field from the mapping (formula, roll-up and system fields cannot be written), or give the integration user edit access to it"));
        checks.add(uniqueIdentifier());
        checks.addAll(requiredFields());
        if (!mapping.relationships().isEmpty()) {
            checks.addAll(mismatchChecks(DescribeMismatch.Kind.RELATIONSHIP, "relationships", "every relationship exists and its parent's field is an External ID",
                    "Correct the relationship's name, object or external_id field, or make that field an External ID in Salesforce"));
        }
        checks.addAll(columnTypes());
        return checks;
    }

    private List<Check> mismatchChecks(DescribeMismatch.Kind kind, String id, String fine, String action) {
        List<Check> problems = mismatches.stream().filter(x -> x.kind() == kind)
                .map(x -> Check.red(mapping.object(), id, mapping.object() + "." + x.field() + ": " + x.problem(), action)).toList();
        return Check.orGreen(problems, mapping.object(), id, fine);
    }

    private Check uniqueIdentifier() {
        String scope = mapping.object();
        String id = "unique-identifier";
        String unique = mapping.uniqueIdentifier();
        if (unique == null) {
            return Check.yellow(scope, id, scope + " has no unique identifier: an insert whose answer is lost can be created twice, and its changes never go over the Bulk API",
                    "Map a unique External ID field and name it as the mapping's unique_identifier (upsert_field in an export)");
        }
        if (mismatches.stream().anyMatch(x -> x.kind() == DescribeMismatch.Kind.UNIQUE_IDENTIFIER)) {
            return Check.red(scope, id, scope + "." + unique + ": the unique identifier is not an External ID field in Salesforce, so inserts cannot be upserts on it",
                    "Mark " + unique + " as an External ID (and Unique) in Salesforce, or name an External ID field as unique_identifier");
        }
        if (object.field(unique).map(f -> !f.unique()).orElse(false)) {
            return Check.yellow(scope, id, scope + "." + unique + " is an External ID but not unique: two records may share a value, and an upsert that matches both fails",
                    "Mark " + unique + " as Unique in Salesforce");
        }
        return Check.green(scope, id, scope + "." + unique + " is a unique External ID: inserts are upserts on it");
    }

    private List<Check> requiredFields() {
        Set<String> sent = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Set<String> readOnly = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        mapping.fields().forEach(f -> (f.direction().sent() ? sent : readOnly).add(f.name()));
        for (Relationship r : mapping.relationships()) {
            object.relationship(r.name()).ifPresent(lookup -> sent.add(lookup.name()));
        }
        List<Check> problems = object.fields().stream().filter(FieldInfo::required).filter(f -> !sent.contains(f.name()))
                .map(f -> readOnly.contains(f.name())
                        ? Check.red(mapping.object(), "required-fields", mapping.object() + "." + f.name() + " is required in Salesforce but mapped read_only,"
                                + " so never sent: every insert fails (REQUIRED_FIELD_MISSING)", "Remove direction: read_only from " + f.name()
                                + " so that the application's value is sent, or make the field optional in Salesforce")
                        : Check.red(mapping.object(), "required-fields", mapping.object() + "." + f.name() + " is required in Salesforce but not mapped:"
                                + " every insert fails (REQUIRED_FIELD_MISSING)", "Map " + f.name() + " (" + ColumnTypes.suggested(f)
                                + ") and fill it in every new row, or make the field optional in Salesforce"))
                .toList();
        return Check.orGreen(problems, mapping.object(), "required-fields", "every field Salesforce requires on insert is sent");
    }

    private List<Check> columnTypes() {
        List<Check> problems = new ArrayList<>();
        for (MappingField f : mapping.fields()) {
            Optional<FieldInfo> field = object.field(f.name());
            if (field.isEmpty()) {
                continue; // reported as unknown-field
            }
            Optional<String> installed = installedType.apply(mapping.table(), f.column());
            Optional<PgType> type = installed.isPresent() ? PgType.parse(installed.get()) : Optional.of(f.type());
            ColumnTypes.Fit fit = ColumnTypes.fit(type, field.get());
            if (fit.status() == Status.GREEN) {
                continue;
            }
            String shown = type.map(PgType::sql).orElse(installed.orElse(f.type().sql()));
            String declared = installed.isPresent() && !type.equals(Optional.of(f.type()))
                    ? " (the mapping says " + f.type().sql() + "; pgforce never changes the type of an existing column)" : "";
            String suggested = ColumnTypes.suggested(field.get());
            String message = mapping.object() + "." + f.name() + ": column " + f.column() + " is " + shown + declared
                    + ", the Salesforce field is " + describe(field.get()) + ": " + fit.why();
            String action = "Make the column " + suggested + ": ALTER TABLE " + Identifiers.qualified(schema, mapping.table()) + " ALTER COLUMN "
                    + Identifiers.quote(f.column()) + " TYPE " + suggested + "; and write " + f.name() + ": " + suggested + " in the mapping file";
            problems.add(new Check(mapping.object(), "column-type", fit.status(), message, action));
        }
        return Check.orGreen(problems, mapping.object(), "column-type", "every column can hold its field's values");
    }

    /** {@code string(40)}, {@code currency(18,2)}, {@code int}. */
    private static String describe(FieldInfo f) {
        if (f.length() > 0) {
            return f.type() + "(" + f.length() + ")";
        }
        if (f.precision() > 0 && !f.type().equals("int")) {
            return f.type() + "(" + f.precision() + "," + f.scale() + ")";
        }
        return f.type().toLowerCase(Locale.ROOT);
    }
}
