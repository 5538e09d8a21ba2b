package io.pgforce.capture;

import static io.pgforce.config.Identifiers.qualified;

import io.pgforce.config.MappingSet;
import io.pgforce.plan.WriteAlgorithm;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Under Ordered Writes a change waits while an earlier INSERT of its record is FAILED. The claim
 * skips such changes; this tells the user why, in each waiting row's sf_message.
 */
@ApplicationScoped
@Unremovable
@Named("heldChanges")
public class HeldChanges {

    private static final String PREFIX = "Not sent: waiting for the failed INSERT (trigger log id ";
    private static final String SUFFIX = ") of this record. Fix it and set that row's state to NEW; this change follows it.";

    private final DataSource dataSource;
    private final String schema;
    private final boolean ordered;

    @Inject
    HeldChanges(@Named("pgforceDataSource") DataSource dataSource, MappingSet mappings) {
        this.dataSource = dataSource;
        this.schema = mappings.connection().schema();
        this.ordered = mappings.connection().writeAlgorithm() == WriteAlgorithm.ORDERED;
    }

    /** The sf_message of a change held behind the failed insert with this trigger-log id. */
    public static String note(long failedInsertId) {
        return PREFIX + failedInsertId + SUFFIX;
    }

    public int mark() throws SQLException {
        if (!ordered) {
            return 0;
        }
        String log = qualified(schema, "_trigger_log");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + log + " AS h SET sf_message = ? || f.id || ? FROM " + log + " AS f "
                     + "WHERE h.state = 'NEW' AND f.table_name = h.table_name AND f.record_id = h.record_id AND f.action = 'INSERT' "
                     + "AND f.state = 'FAILED' AND f.id < h.id AND h.sf_message IS DISTINCT FROM (? || f.id || ?)")) {
            ps.setString(1, PREFIX);
            ps.setString(2, SUFFIX);
            ps.setString(3, PREFIX);
            ps.setString(4, SUFFIX);
            return ps.executeUpdate();
        }
    }
}
