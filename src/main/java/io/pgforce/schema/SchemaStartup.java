package io.pgforce.schema;

import io.pgforce.config.MappingSet;
import io.pgforce.write.ConnectionState;
import io.pgforce.write.ConnectionStatus;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import javax.sql.DataSource;
import org.apache.camel.spi.CamelEvent;

/**
 * Lays out the schema before the first cycle claims anything. It is tried as Camel starts, so
 * that the tables exist once the application is up; a database that is down then does not stop
 * start-up: every cycle begins with {@link #ensureInstalled()}, which fails (and the cycle is
 * retried, see CycleRunner) until the database is back.
 */
@ApplicationScoped
@Unremovable
@Named("schemaStartup")
public class SchemaStartup {

    private final DataSource dataSource;
    private final MappingSet mappings;
    private final ConnectionStatus status;
    private volatile boolean installed;

    @Inject
    SchemaStartup(@Named("pgforceDataSource") DataSource dataSource, MappingSet mappings, ConnectionStatus status) {
        this.dataSource = dataSource;
        this.mappings = mappings;
        this.status = status;
    }

    void installAtStart(@Observes CamelEvent.CamelContextStartingEvent event) {
        try {
            ensureInstalled();
        } catch (RuntimeException e) {
            if (ConnectionStatus.stateFor(e) != ConnectionState.DB_UNAVAILABLE) {
                throw e;
            }
            status.failed(e);
        }
    }

    /** Installs the schema unless this process already has. */
    public synchronized void ensureInstalled() {
        if (!installed) {
            SchemaInstaller.install(dataSource, mappings);
            installed = true;
        }
    }
}
