package io.pgforce.triggerlog;

import static io.pgforce.config.Identifiers.literal;
import static io.pgforce.config.Identifiers.qualified;

import io.pgforce.config.MappingSet;
import io.pgforce.config.SqlTemplates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * What every transition of the trigger log shares (Claims, Settler, OperatorActions,
 * Housekeeping): the engine's data source, this instance's place on the writer lease, and the
 * values their named SQL ({@code schema/trigger-log*.sql}) is filled with. Every statement that
 * changes the log is fenced: it only changes rows while this instance holds the writer lease, and
 * it locks the lease row (FOR SHARE) so that no other instance can take the lease over until it
 * commits. A writer that lost the lease therefore changes nothing.
 */
@ApplicationScoped
class FencedLog {

    private static final SqlTemplates SHARED = SqlTemplates.load("schema/trigger-log.sql");

    private final DataSource dataSource;
    private final String schema;
    private final String owner;
    /** The placeholders every trigger-log statement may use (see trigger-log.sql). */
    private final Map<String, String> values;

    @Inject
    FencedLog(@Named("pgforceDataSource") DataSource dataSource, MappingSet mappings, InstanceId instance) {
        this(dataSource, mappings.connection().schema(), instance.value());
    }

    FencedLog(DataSource dataSource, String schema, String owner) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.owner = owner;
        Map<String, String> v = new HashMap<>();
        v.put("log", qualified(schema, "_trigger_log"));
        v.put("archive", qualified(schema, "_trigger_log_archive"));
        v.put("writer", qualified(schema, "_hc_writer"));
        v.put("connection", qualified(schema, "_hc_connection"));
        for (TriggerLogState state : TriggerLogState.values()) {
            v.put(state.name(), literal(state.name()));
        }
        v.put("PROCESSED", literals(TriggerLogState.PROCESSED));
        v.put("QUEUED", literals(TriggerLogState.QUEUED));
        v.put("lease", SHARED.fill("lease", v));
        v.put("fence", SHARED.fill("fence", v));
        this.values = Map.copyOf(v);
    }

    /** The statement {@code name} of {@code file} for this schema. */
    String sql(SqlTemplates file, String name) {
        return file.fill(name, values);
    }

    /** The statement {@code name} of {@code file} for this schema, with placeholders of its own. */
    String sql(SqlTemplates file, String name, Map<String, String> more) {
        Map<String, String> all = new HashMap<>(values);
        all.putAll(more);
        return file.fill(name, all);
    }

    /** The live log, qualified and quoted. */
    String liveTable() {
        return values.get("log");
    }

    /** The archive, qualified and quoted. */
    String archiveTable() {
        return values.get("archive");
    }

    /** A table of this schema, qualified and quoted. */
    String table(String name) {
        return qualified(schema, name);
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** The owner the fence binds: this instance. */
    String owner() {
        return owner;
    }

    /** A fenced statement whose only parameter is the fence's owner. */
    int update(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            return ps.executeUpdate();
        }
    }

    private static String literals(Collection<TriggerLogState> states) {
        return states.stream().map(s -> literal(s.name())).collect(Collectors.joining(", "));
    }
}
