package io.pgforce.salesforce;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingField;
import io.pgforce.config.MappingSet;
import io.pgforce.config.Relationship;
import io.pgforce.plan.Operation;
import io.pgforce.plan.WriteItem;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a write item (Postgres columns, as captured) into the record Salesforce receives: field
 * API names, values as wire text, fields to clear, and parent references. Fields the org says
 * cannot be written by the operation (not createable on insert, not updateable on update) are
 * never sent, nor are read_only ones (a change captured before the field was made read_only may
 * still hold one).
 */
@ApplicationScoped
@Unremovable
@Named("recordMapper")
public class RecordMapper {

    /** A timestamp without an offset: Postgres timestamp columns hold UTC, as Heroku Connect's do. */
    private static final Pattern LOCAL_DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?");

    private final MappingSet mappings;
    private final DescribedObjects org;

    @Inject
    public RecordMapper(MappingSet mappings, DescribedObjects org) {
        this.mappings = mappings;
        this.org = org;
    }

    public SObjectData map(WriteItem item) {
        Mapping m = mapping(item);
        if (item.operation() == Operation.DELETE) {
            return new SObjectData(m.object(), item.sfid(), Map.of(), List.of(), List.of());
        }
        Optional<ObjectInfo> info = org.object(m.object());
        boolean insert = item.operation().isInsert();
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> toNull = new ArrayList<>();
        for (MappingField f : m.sentFields()) {
            if (!item.values().containsKey(f.column())) {
                continue; // unchanged
            }
            Optional<FieldInfo> described = info.flatMap(i -> i.field(f.name()));
            if (described.isPresent() && !(insert ? described.get().createable() : described.get().updateable())) {
                continue;
            }
            Object value = item.values().get(f.column());
            if (value == null) {
                if (item.operation() != Operation.CREATE) {
                    toNull.add(f.name());
                }
                continue;
            }
            fields.put(f.name(), wireText(value, described.map(FieldInfo::type).orElse(null)));
        }
        List<ParentReference> parents = new ArrayList<>();
        for (Relationship r : m.relationships()) {
            Object value = item.values().get(r.column());
            if (value != null && !value.toString().isBlank()) {
                parents.add(new ParentReference(r.name(), r.parentObject(), r.externalIdField(), value.toString()));
            }
        }
        return new SObjectData(m.object(), item.operation() == Operation.UPDATE ? item.sfid() : null, fields, toNull, parents);
    }

    /**
     * Why this item cannot be sent as it is (a value the API cannot carry, or one Salesforce
     * would hold as something else), as the error its record fails with; empty when it can.
     */
    public Optional<RecordError> refusal(WriteItem item) {
        if (item.operation() == Operation.DELETE) {
            return Optional.empty();
        }
        Mapping m = mapping(item);
        // every record of every batch passes here: stop at the first problem, build nothing for the others
        Optional<String> problem = Optional.empty();
        List<MappingField> sent = m.sentFields();
        for (int i = 0; i < sent.size() && problem.isEmpty(); i++) {
            MappingField f = sent.get(i);
            problem = SendableValues.problem(f.column(), f.type(), item.values().get(f.column()));
        }
        for (int i = 0; i < m.relationships().size() && problem.isEmpty(); i++) {
            Relationship r = m.relationships().get(i);
            problem = SendableValues.problem(r.column(), r.type(), item.values().get(r.column()));
        }
        return problem.map(p -> RecordError.fromPgforce("INVALID_VALUE", p + "; not sent: fix the row and resubmit the change"));
    }

    private Mapping mapping(WriteItem item) {
        return mappings.byTable(item.table()).orElseThrow(() -> new IllegalStateException("No mapping for table " + item.table()));
    }

    /** Values as the SOAP and Bulk APIs read them: plain numbers, true/false, ISO dates and times in UTC. */
    static String wireText(Object value, String salesforceType) {
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Float f) {
            return BigDecimal.valueOf(f.doubleValue()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        String text = value.toString();
        if (LOCAL_DATE_TIME.matcher(text).matches() && (salesforceType == null || "datetime".equals(salesforceType))) {
            return text + "Z";
        }
        return text;
    }
}
