package io.pgforce.admin.api;

import io.pgforce.config.ConnectionSettings;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingField;
import io.pgforce.config.MappingFileSettings;
import io.pgforce.config.MappingLoader;
import io.pgforce.config.MappingSet;
import io.pgforce.config.MappingWriter;
import io.pgforce.config.Relationship;
import io.pgforce.salesforce.ObjectInfo;
import io.pgforce.salesforce.OrgSchema;
import io.pgforce.salesforce.SalesforceUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * An imported mapping export: validated as start-up would validate it (the file as it would be
 * written, and against the org's describe), compared with the running mappings, and (unless a dry
 * run) written over the configured mapping file, whose previous content is kept as
 * {@code <file>.bak}. pgforce reads its mappings at start-up, so the import takes effect at the
 * next restart.
 */
@ApplicationScoped
public class MappingImport {

    private static final Logger LOG = Logger.getLogger(MappingImport.class);

    /** What the import does to one mapping: added, changed, unchanged or removed, and the details. */
    public record MappingChange(String object, String table, String access, int fields, String uniqueIdentifier, String change,
                                List<String> details) {
    }

    public record Result(boolean valid, List<String> connection, List<MappingChange> mappings, boolean applied, boolean restartRequired,
                         String file, String backup) {
    }

    private final MappingSet running;
    private final OrgSchema org;
    private final Path file;

    @Inject
    MappingImport(MappingSet running, OrgSchema org, MappingFileSettings settings) {
        this.running = running;
        this.org = org;
        this.file = Path.of(settings.file());
    }

    /**
     * {@code name} stands for the posted document in messages and picks its format ({@code .json}:
     * JSON, else YAML). Valid means the next start takes it: the file as it would be written loads,
     * and the org's describe accepts it, as start-up checks; a dry run checks the same.
     */
    public Result importing(String name, String content, boolean dryRun) throws IOException {
        Map<String, ObjectInfo> described = new HashMap<>(); // each object is described once, for the types and the check
        MappingSet imported = withRunningSettings(typedFromOrg(MappingLoader.read(Path.of(name), content), described));
        String text = fileContent(imported, content);
        MappingLoader.read(file, text);
        checkAgainstOrg(imported, described);
        List<String> connection = connectionChanges(imported);
        List<MappingChange> changes = mappingChanges(imported);
        if (dryRun) {
            return new Result(true, connection, changes, false, false, file.toString(), null);
        }
        Path backup = file.resolveSibling(file.getFileName() + ".bak");
        if (Files.exists(file)) {
            Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING);
        }
        Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(next, text);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.infof("Mappings imported into %s (previous content in %s); they take effect when pgforce restarts", file, backup);
        return new Result(true, connection, changes, true, true, file.toString(), Files.exists(backup) ? backup.toString() : null);
    }

    /**
     * The mapping file's new content, in the file's own format: a YAML file gets YAML, a JSON file
     * the posted export as it is. A JSON file cannot hold what pgforce's YAML says (types, write
     * concurrency, truncate policies), so a YAML document posted for it is refused.
     */
    private String fileContent(MappingSet imported, String content) {
        if (!isJson(file)) {
            return MappingWriter.yaml(imported);
        }
        if (!isJson(imported.source())) {
            throw ApiException.badRequest("name", "the mapping file " + file + " is an export JSON: post an export JSON (a name ending in .json), not YAML");
        }
        return content;
    }

    private static boolean isJson(Path path) {
        return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    /** The describe check start-up runs; an org that cannot be asked now leaves the import unchecked, so it is refused. */
    private void checkAgainstOrg(MappingSet imported, Map<String, ObjectInfo> described) {
        try {
            org.describeAndCheck(imported, described);
        } catch (SalesforceUnavailableException e) {
            throw unchecked(e);
        }
    }

    /**
     * An export names fields without types: each gets the column the original gives its Salesforce
     * type, from the org's describe (a field the org does not have keeps its guess, for the describe
     * check to name). A YAML document states its types and keeps them.
     */
    private MappingSet typedFromOrg(MappingSet imported, Map<String, ObjectInfo> described) {
        if (!isJson(imported.source())) {
            return imported;
        }
        List<Mapping> typed = new ArrayList<>();
        for (Mapping m : imported.mappings()) {
            Optional<ObjectInfo> info = describe(m.object());
            info.ifPresent(i -> described.put(m.object(), i));
            typed.add(info.map(i -> m.withFields(m.fields().stream()
                    .map(f -> i.field(f.name()).map(d -> f.withType(d.columnType())).orElse(f)).toList())).orElse(m));
        }
        return new MappingSet(imported.source(), imported.connection(), typed);
    }

    private Optional<ObjectInfo> describe(String object) {
        try {
            return org.describe(object);
        } catch (SalesforceUnavailableException e) {
            throw unchecked(e);
        }
    }

    private static ApiException unchecked(SalesforceUnavailableException e) {
        return new ApiException(503, "cannot check the mappings against the org's describe, as start-up does: " + e.getMessage()
                + "; nothing was written, try again when Salesforce answers");
    }

    /**
     * The export carries no column types and no write concurrency (the original writes serially): a
     * field the running configuration maps keeps its type, so that a YAML file written from the
     * import states what the table holds, and an export keeps the running write concurrency and
     * TRUNCATE policies (the original has neither).
     */
    private MappingSet withRunningSettings(MappingSet imported) {
        boolean export = isJson(imported.source());
        List<Mapping> typed = imported.mappings().stream().map(m -> running.byObject(m.object()).map(r -> new Mapping(m.object(), m.table(),
                m.access(), m.fields().stream().map(f -> r.field(f.name()).map(rf -> f.withType(rf.type())).orElse(f)).toList(),
                m.uniqueIdentifier(), m.relationships(), export && m.readWrite() ? r.truncate() : m.truncate(), m.pollInterval(),
                m.acceleratedPolling())).orElse(m)).toList();
        ConnectionSettings c = imported.connection();
        ConnectionSettings settings = export ? new ConnectionSettings(c.schema(), c.writeAlgorithm(), c.apiVersion(), c.bulkEnabled(),
                c.assignmentRules(), running.connection().writeConcurrency(), running.connection().ordering(),
                running.connection().atomicTransactions()) : c;
        return new MappingSet(imported.source(), settings, typed);
    }

    private List<String> connectionChanges(MappingSet imported) {
        List<String> changes = new ArrayList<>();
        var now = running.connection();
        var next = imported.connection();
        compare(changes, "schema", now.schema(), next.schema());
        compare(changes, "write algorithm", now.writeAlgorithm(), next.writeAlgorithm());
        compare(changes, "API version", now.apiVersion(), next.apiVersion());
        compare(changes, "Bulk writes", now.bulkEnabled(), next.bulkEnabled());
        compare(changes, "write concurrency", now.writeConcurrency(), next.writeConcurrency());
        compare(changes, "ordering", now.ordering(), next.ordering());
        compare(changes, "atomic transactions", now.atomicTransactions(), next.atomicTransactions());
        return changes;
    }

    private List<MappingChange> mappingChanges(MappingSet imported) {
        List<MappingChange> changes = new ArrayList<>();
        for (Mapping m : imported.mappings()) {
            List<String> details = running.byObject(m.object()).map(r -> differences(r, m)).orElse(List.of());
            String change = running.byObject(m.object()).isEmpty() ? "added" : details.isEmpty() ? "unchanged" : "changed";
            changes.add(describe(m, change, details));
        }
        running.mappings().stream().filter(r -> imported.byObject(r.object()).isEmpty())
                .forEach(r -> changes.add(describe(r, "removed", List.of("no longer mapped: its triggers are dropped, its table and data kept"))));
        return changes;
    }

    private static MappingChange describe(Mapping m, String change, List<String> details) {
        return new MappingChange(m.object(), m.table(), m.access().label(), m.fields().size() + m.relationships().size(), m.uniqueIdentifier(),
                change, details);
    }

    private static List<String> differences(Mapping now, Mapping next) {
        List<String> details = new ArrayList<>();
        compare(details, "access", now.access().label(), next.access().label());
        compare(details, "unique identifier", now.uniqueIdentifier(), next.uniqueIdentifier());
        compare(details, "table", now.table(), next.table());
        compare(details, "truncate", now.truncate().label(), next.truncate().label());
        compare(details, "accelerated polling", now.acceleratedPolling(), next.acceleratedPolling());
        names(details, "field", now.fields(), next.fields(), MappingField::name);
        names(details, "relationship", now.relationships(), next.relationships(), Relationship::column);
        return details;
    }

    private static <T> void names(List<String> details, String what, List<T> now, List<T> next, Function<T, String> name) {
        Set<String> before = now.stream().map(name).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> after = next.stream().map(name).collect(Collectors.toCollection(LinkedHashSet::new));
        after.stream().filter(n -> !before.contains(n)).forEach(n -> details.add(what + " " + n + " added"));
        before.stream().filter(n -> !after.contains(n)).forEach(n -> details.add(what + " " + n + " removed"));
    }

    private static void compare(List<String> details, String what, Object now, Object next) {
        if (!Objects.equals(now, next)) {
            details.add(what + ": " + now + " -> " + next);
        }
    }
}
