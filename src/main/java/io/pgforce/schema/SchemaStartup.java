package io.pgforce.schema;

import io.pgforce.config.MappingSet;
import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;

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
    private final Duration lockTimeout;
    private volatile boolean installed;

    @Inject
    SchemaStartup(@Named("pgforceDataSource") DataSource dataSource, MappingSet mappings, ConnectionStatus status,
                  @ConfigProperty(name = "pgforce.schema.lock-timeout") Duration lockTimeout) {
        this.dataSource = dataSource;
        this.mappings = mappings;
        this.status = status;
        this.lockTimeout = lockTimeout;
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
            SchemaInstaller.install(dataSource, mappings, lockTimeout);
            installed = true;
        }
    }
}
