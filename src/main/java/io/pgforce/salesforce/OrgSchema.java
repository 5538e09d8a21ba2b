package io.pgforce.salesforce;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingException;
import io.pgforce.config.MappingField;
import io.pgforce.config.MappingSet;
import io.pgforce.config.Relationship;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;
import org.apache.camel.component.salesforce.api.dto.SObjectField;
import org.jboss.logging.Logger;

/**
 * The org's describe of every read_write mapping's object, fetched through camel-salesforce, and
 * the check of the mappings against it: an unknown field, a field nobody can write, a unique
 * identifier that is not an external ID, or a relationship the object does not have stops
 * start-up with a message naming the mapping file, the mapping and the field.
 */
@ApplicationScoped
@Unremovable
@Named("orgSchema")
public class OrgSchema implements DescribedObjects {

    private static final Logger LOG = Logger.getLogger(OrgSchema.class);

    private final ProducerTemplate producer;
    private final SalesforceSessions sessions;
    private final MappingSet mappings;
    private volatile Map<String, ObjectInfo> objects;

    @Inject
    OrgSchema(ProducerTemplate producer, SalesforceSessions sessions, MappingSet mappings) {
        this.producer = producer;
        this.sessions = sessions;
        this.mappings = mappings;
    }

    public boolean loaded() {
        return objects != null;
    }

    @Override
    public Optional<ObjectInfo> object(String name) {
        Map<String, ObjectInfo> current = objects;
        return current == null ? Optional.empty() : Optional.ofNullable(current.get(name));
    }

    /**
     * Describes and checks the mapped objects once; throws {@link SalesforceUnavailableException}
     * while the org cannot be reached, {@link SalesforceUnauthorizedException} while it refuses the
     * credentials, and {@link MappingException} if a mapping does not fit the org.
     */
    public synchronized void ensureLoaded() {
        if (objects != null) {
            return;
        }
        sessions.accessToken(); // logs in first: a refused login is told apart from an unreachable org
        Map<String, ObjectInfo> described = describeAndCheck(mappings);
        objects = described;
        LOG.infof("Checked %d read_write mapping(s) against the org's describe", described.size());
    }

    /**
     * Describes the objects of a configuration's read_write mappings now and checks it as start-up
     * does (an import is checked with this before it is called valid): throws {@link MappingException}
     * at the first mapping that does not fit the org, {@link SalesforceUnavailableException} while
     * the org cannot be asked.
     */
    public Map<String, ObjectInfo> describeAndCheck(MappingSet set) {
        return describeAndCheck(set, Map.of());
    }

    /** The same, taking the objects already {@code described} (an import typed its fields with them) as they are. */
    public Map<String, ObjectInfo> describeAndCheck(MappingSet set, Map<String, ObjectInfo> known) {
        Map<String, ObjectInfo> described = new HashMap<>();
        for (Mapping m : set.readWrite()) {
            Optional<ObjectInfo> info = known.containsKey(m.object()) ? Optional.of(known.get(m.object())) : describe(m.object());
            described.put(m.object(), info.orElseThrow(() ->
                    new MappingException(set.source(), m.object(), null, "the org has no object named '" + m.object() + "'")));
        }
        check(set, described);
        return described;
    }

    /**
     * The org's describe of an object, asked now (not the one checked at start-up), or empty when
     * the org has no such object; throws {@link SalesforceUnavailableException} while it cannot be reached.
     */
    public Optional<ObjectInfo> describe(String object) {
        try {
            SObjectDescription d = producer.requestBody("salesforce:getDescription?sObjectName=" + object, null, SObjectDescription.class);
            return Optional.of(new ObjectInfo(d.getName(), d.getFields().stream().map(OrgSchema::field).toList(), !Boolean.FALSE.equals(d.isQueryable())));
        } catch (CamelExecutionException e) {
            if (SalesforceFailures.notFound(e)) {
                return Optional.empty();
            }
            // whatever else stopped the describe, the mappings cannot be checked now: wait
            throw new SalesforceUnavailableException("Cannot describe " + object + ": " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    private static FieldInfo field(SObjectField f) {
        return new FieldInfo(f.getName(), f.getType(), Boolean.TRUE.equals(f.isCreateable()), Boolean.TRUE.equals(f.isUpdateable()),
                Boolean.TRUE.equals(f.isExternalId()), f.getReferenceTo(), f.getRelationshipName(), number(f.getLength()),
                !Boolean.FALSE.equals(f.isNillable()), Boolean.TRUE.equals(f.isDefaultedOnCreate()), Boolean.TRUE.equals(f.isUnique()),
                number(f.getPrecision()), number(f.getScale()), f.getDigits() == null || f.getDigits().isBlank() ? 0 : Integer.parseInt(f.getDigits().trim()));
    }

    private static int number(Integer value) {
        return value == null ? 0 : value;
    }

    /** Throws the first mismatch, naming the mapping file, the mapping and the field. */
    static void check(MappingSet mappings, Map<String, ObjectInfo> described) {
        List<DescribeMismatch> found = mismatches(mappings, described);
        if (!found.isEmpty()) {
            DescribeMismatch first = found.get(0);
            throw new MappingException(mappings.source(), first.mapping(), first.field(), first.problem());
        }
    }

    /**
     * Every way the read_write mappings do not fit the org: an unknown field, a field nobody can
     * write that the mapping would send, a unique identifier that is not an External ID, a relationship the object does not
     * have. Mappings whose object is not in {@code described} are left out.
     */
    public static List<DescribeMismatch> mismatches(MappingSet mappings, Map<String, ObjectInfo> described) {
        List<DescribeMismatch> found = new ArrayList<>();
        for (Mapping m : mappings.readWrite()) {
            ObjectInfo info = described.get(m.object());
            if (info == null) {
                continue;
            }
            for (MappingField f : m.fields()) {
                Optional<FieldInfo> field = info.field(f.name());
                if (field.isEmpty()) {
                    found.add(new DescribeMismatch(DescribeMismatch.Kind.UNKNOWN_FIELD, m.object(), f.name(),
                            "the org's " + m.object() + " has no field named '" + f.name() + "'"));
                } else if (!field.get().writable() && f.direction().sent()) {
                    found.add(new DescribeMismatch(DescribeMismatch.Kind.READ_ONLY_FIELD, m.object(), f.name(),
                            "the field is read-only in Salesforce (neither createable nor updateable) and cannot be written: map it with"
                                    + " direction: read_only, or in a read_only mapping"));
                }
            }
            if (m.uniqueIdentifier() != null && !info.field(m.uniqueIdentifier()).map(FieldInfo::externalId).orElse(false)) {
                found.add(new DescribeMismatch(DescribeMismatch.Kind.UNIQUE_IDENTIFIER, m.object(), m.uniqueIdentifier(),
                        "the unique identifier must be an External ID field in Salesforce"));
            }
            for (Relationship r : m.relationships()) {
                relationshipMismatch(m, r, info, described).ifPresent(found::add);
            }
        }
        return found;
    }

    private static Optional<DescribeMismatch> relationshipMismatch(Mapping m, Relationship r, ObjectInfo info, Map<String, ObjectInfo> described) {
        Optional<FieldInfo> lookup = info.relationship(r.name());
        String problem = null;
        if (lookup.isEmpty()) {
            problem = "the org's " + m.object() + " has no relationship named '" + r.name() + "'";
        } else if (lookup.get().referenceTo().stream().noneMatch(o -> o.equalsIgnoreCase(r.parentObject()))) {
            problem = "relationship '" + r.name() + "' refers to " + lookup.get().referenceTo() + ", not " + r.parentObject();
        } else {
            ObjectInfo parent = described.get(r.parentObject());
            if (parent != null && !parent.field(r.externalIdField()).map(FieldInfo::externalId).orElse(false)) {
                problem = r.parentObject() + "." + r.externalIdField() + " is not an External ID field, so it cannot identify the parent";
            }
        }
        return Optional.ofNullable(problem).map(p -> new DescribeMismatch(DescribeMismatch.Kind.RELATIONSHIP, m.object(), r.column(), p));
    }
}
