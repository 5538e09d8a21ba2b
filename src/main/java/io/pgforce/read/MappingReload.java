package io.pgforce.read;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * An operator's reload of a mapping (the original's {@code connect:mapping:reload}): its read state
 * starts again from nothing, so that its next read loads the whole object; the rows already there
 * are matched by sfid, not duplicated. On the writer the next read is at the next tick; on a
 * standby the request waits in the state table for the writer's next read of the mapping.
 */
@ApplicationScoped
@Unremovable
public class MappingReload {

    private static final Logger LOG = Logger.getLogger("io.pgforce.read");

    private final DataSource dataSource;
    private final MappingSet mappings;
    private final ReadSchedule schedule;

    @Inject
    MappingReload(@Named("operationsDataSource") DataSource dataSource, MappingSet mappings, ReadSchedule schedule) {
        this.dataSource = dataSource;
        this.mappings = mappings;
        this.schedule = schedule;
    }

    /** Reloads the mapping of this object or table name; empty when there is none. */
    public Optional<Mapping> reload(String objectOrTable, String by) throws SQLException {
        Optional<Mapping> found = mappings.byObject(objectOrTable).or(() -> mappings.byTable(objectOrTable));
        if (found.isPresent()) {
            reload(found.get(), by);
        }
        return found;
    }

    private void reload(Mapping m, String by) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(ReadStates.statement("reload", mappings.connection().schema(), m))) {
            ps.setString(1, m.object());
            ps.executeUpdate();
        }
        schedule.readSoon(m);
        LOG.infof("Reload of %s (table %s) asked for by %s: its next read loads it from nothing", m.object(), m.table(), by);
    }
}
