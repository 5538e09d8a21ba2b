package io.pgforce.admin.diagnose;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingException;
import io.pgforce.config.MappingLoader;
import io.pgforce.config.MappingSet;
import io.pgforce.salesforce.DescribeMismatch;
import io.pgforce.salesforce.ObjectInfo;
import io.pgforce.salesforce.OrgSchema;
import io.pgforce.schema.InstalledSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Diagnose, like the original's {@code connect:diagnose}: RED / YELLOW / GREEN checks of the
 * running configuration, or of a mapping file before it is used. It changes nothing: it reads
 * the database's catalog and the org's describe, never runs DDL and writes no row.
 */
@ApplicationScoped
public class Diagnose {

    private static final String CONNECTION = Check.CONNECTION;

    private final MappingSet running;
    private final OrgSchema org;
    private final DataSource dataSource;
    private final RuntimeChecks runtime;

    @Inject
    Diagnose(MappingSet running, OrgSchema org, @Named("operationsDataSource") DataSource dataSource, RuntimeChecks runtime) {
        this.running = running;
        this.org = org;
        this.dataSource = dataSource;
        this.runtime = runtime;
    }

    /** The configuration pgforce runs with, and how it is doing. */
    public Diagnosis running() {
        List<Check> checks = new ArrayList<>();
        checks.add(ApiVersion.check(running.connection().apiVersion()));
        checks.addAll(runtime.run());
        checks.addAll(configuration(running, true));
        return Diagnosis.of(checks);
    }

    /**
     * A mapping file's content (pgforce YAML or the original's export JSON), against this database
     * and org. {@code name} stands for the file in the messages; a name ending in {@code .json} is read as JSON.
     */
    public Diagnosis file(String name, String content) {
        Path file = fileName(name);
        MappingSet set;
        try {
            set = MappingLoader.read(file, content);
        } catch (MappingException e) {
            return Diagnosis.of(List.of(Check.red(e.mapping() == null ? CONNECTION : e.mapping(), "mapping-file", e.getMessage(),
                    "Fix the file where the message says, then diagnose it again")));
        }
        List<Check> checks = new ArrayList<>();
        checks.add(Check.green(CONNECTION, "mapping-file", file + " is valid: " + set.mappings().size() + " mapping(s) in schema " + set.connection().schema()));
        checks.add(ApiVersion.check(set.connection().apiVersion()));
        checks.addAll(configuration(set, false));
        return Diagnosis.of(checks);
    }

    private static Path fileName(String name) {
        try {
            return Path.of(name == null || name.isBlank() ? "posted mapping" : name);
        } catch (InvalidPathException e) {
            return Path.of("posted mapping");
        }
    }

    /** The database's and the org's side of a configuration: the connection's checks first, then each mapping's. */
    private List<Check> configuration(MappingSet set, boolean isRunning) {
        String schema = set.connection().schema();
        List<Check> connection = new ArrayList<>();
        Optional<InstalledSchema> installed = Optional.empty();
        try {
            installed = Optional.of(InstalledSchema.read(dataSource, schema));
            connection.add(Check.green(CONNECTION, "database", "the database's catalog was read"));
        } catch (SQLException e) {
            connection.add(Check.red(CONNECTION, "database", "cannot read the database's catalog: " + e.getMessage(),
                    "Check that the database is up and pgforce.db.* point at it; the schema checks are skipped"));
        }
        Map<String, ObjectInfo> described = new HashMap<>();
        List<String> unknownObjects = new ArrayList<>();
        boolean describedAll = describe(set, described, unknownObjects, connection);
        installed.ifPresent(i -> connection.addAll(new SchemaChecks(schema, isRunning).shared(i.sharedGaps())));

        List<Check> checks = new ArrayList<>(connection);
        List<DescribeMismatch> mismatches = OrgSchema.mismatches(set, described);
        SchemaChecks schemaChecks = new SchemaChecks(schema, isRunning);
        for (Mapping m : set.mappings()) {
            if (m.readWrite() && describedAll) {
                checks.addAll(fieldChecks(schema, m, described, unknownObjects, mismatches, installed));
            }
            if (describedAll) {
                checks.addAll(ReadAccess.check(m, Optional.ofNullable(described.get(m.object()))));
            }
            installed.ifPresent(i -> checks.addAll(schemaChecks.mapping(m, i.gaps(m))));
        }
        return checks;
    }

    /** Describes every mapping's object (each is read); false (and a RED check) when the org cannot be asked. */
    private boolean describe(MappingSet set, Map<String, ObjectInfo> described, List<String> unknownObjects, List<Check> connection) {
        try {
            for (Mapping m : set.mappings()) {
                org.describe(m.object()).ifPresentOrElse(info -> described.put(m.object(), info), () -> unknownObjects.add(m.object()));
            }
            connection.add(Check.green(CONNECTION, "salesforce", "the org described " + described.size() + " object(s)"));
            return true;
        } catch (RuntimeException e) {
            connection.add(Check.red(CONNECTION, "salesforce", "cannot ask the org for its describe: " + e.getMessage(),
                    "Check the connection state and the camel.component.salesforce.* settings; the field checks are skipped"));
            return false;
        }
    }

    private static List<Check> fieldChecks(String schema, Mapping m, Map<String, ObjectInfo> described, List<String> unknownObjects,
                                           List<DescribeMismatch> mismatches, Optional<InstalledSchema> installed) {
        if (unknownObjects.contains(m.object())) {
            return List.of(Check.red(m.object(), "object", "the org has no object named '" + m.object() + "'",
                    "Correct the object's API name, or give the integration user access to the object"));
        }
        List<Check> checks = new ArrayList<>();
        checks.add(Check.green(m.object(), "object", "the org has " + m.object()));
        checks.addAll(new FieldChecks(schema, m, described.get(m.object()), mismatches,
                (table, column) -> installed.flatMap(i -> i.columnType(table, column))).run());
        return checks;
    }
}
