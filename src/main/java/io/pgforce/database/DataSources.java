package io.pgforce.database;

import com.impossibl.postgres.jdbc.PGDataSource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Unremovable;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;

/**
 * How pgforce talks to Postgres: one connection for all of the engine's work (as the original,
 * whatever the number of mappings; claims, write-backs, lease renewals and housekeeping take
 * turns on it), the notification listener's connection (camel-pgevent needs the pgjdbc-ng driver
 * for LISTEN), and a small pool for the operations surface (admin API, console, metrics, health,
 * diagnose), opened on demand and closed when idle, so that a look at the console never waits for
 * a write-back. Each shows its part in {@code pg_stat_activity.application_name}.
 */
@ApplicationScoped
public class DataSources {

    /** The session setting Heroku Connect's triggers test: the engine's sessions are never captured. */
    public static final String ENGINE_SESSION_SQL = "SET xmlbinary TO 'hex'";
    public static final String WRITER = "pgforce-writer";
    public static final String LISTENER = "pgforce-listener";
    public static final String OPERATIONS = "pgforce-operations";

    /** The listener's pool for closed() reports, stopped with Camel's routes (stopReconnecting). */
    private volatile ExecutorService listenerClosedReports;

    @Produces
    @Singleton
    @Unremovable
    @Named("pgforceDataSource")
    AgroalDataSource engineDataSource(DatabaseServer server) throws SQLException {
        return pool(server, WRITER, 1, 1);
    }

    void close(@Disposes @Named("pgforceDataSource") AgroalDataSource dataSource) {
        dataSource.close();
    }

    @Produces
    @Singleton
    @Unremovable
    @Named("operationsDataSource")
    AgroalDataSource operationsDataSource(DatabaseServer server, DatabaseSettings settings)
            throws SQLException {
        return pool(server, OPERATIONS, 0, settings.operationsPoolSize());
    }

    void closeOperations(@Disposes @Named("operationsDataSource") AgroalDataSource dataSource) {
        dataSource.close();
    }

    private static AgroalDataSource pool(DatabaseServer server, String name, int min, int max) throws SQLException {
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .minSize(min)
                        .maxSize(max)
                        .acquisitionTimeout(Duration.ofSeconds(30))
                        .validationTimeout(Duration.ofSeconds(30))
                        .reapTimeout(Duration.ofMinutes(1))
                        // a connection the server closed (restart, pg_terminate_backend) leaves the pool at its first error
                        .exceptionSorter(new PostgreSQLExceptionSorter())
                        .connectionValidator(AgroalConnectionPoolConfiguration.ConnectionValidator.defaultValidator())
                        .idleValidationTimeout(Duration.ofSeconds(10))
                        .connectionFactoryConfiguration(factory -> {
                            factory.jdbcUrl(server.url()).initialSql(ENGINE_SESSION_SQL).autoCommit(true).jdbcProperty("ApplicationName", name);
                            if (server.username() != null) {
                                factory.principal(new NamePrincipal(server.username()));
                            }
                            if (server.password() != null) {
                                factory.credential(new SimplePassword(server.password()));
                            }
                            return factory;
                        }));
        return AgroalDataSource.from(config);
    }

    @Produces
    @Singleton
    @Unremovable
    @Named("listenerDataSource")
    DataSource listenerDataSource(DatabaseServer server, Event<ListenerConnected> connected, CamelContext camel) {
        Properties p = server.connectionProperties();
        PGDataSource ds = new PGDataSource();
        ds.setServerName(p.getProperty("PGHOST", "localhost"));
        ds.setPortNumber(Integer.parseInt(p.getProperty("PGPORT", "5432")));
        ds.setDatabaseName(p.getProperty("PGDBNAME"));
        if (server.username() != null) {
            ds.setUser(server.username());
        }
        if (server.password() != null && !server.password().isEmpty()) {
            ds.setPassword(server.password());
        }
        ds.setApplicationName(LISTENER);
        if (p.getProperty("sslmode") != null) {
            ds.setSslMode(p.getProperty("sslmode"));
        }
        // camel-pgevent's reconnect loop runs in closed(): on threads Camel makes and stops
        ExecutorService closedOffTheIoThread = camel.getExecutorServiceManager().newCachedThreadPool(this, "pgforce-listener-closed");
        listenerClosedReports = closedOffTheIoThread;
        return new ListenerDataSource(ds, () -> connected.fire(new ListenerConnected()), closedOffTheIoThread);
    }

    /**
     * Camel stopped its routes: a reconnect loop still running (it never ends by itself, see
     * ListenerDataSource) is interrupted now, not after the 10 s Camel's shutdown of its pools
     * waits for a thread still busy.
     */
    void stopReconnecting(@Observes CamelEvent.CamelContextStoppedEvent event) {
        ExecutorService reports = listenerClosedReports;
        if (reports != null) {
            event.getContext().getExecutorServiceManager().shutdownNow(reports);
        }
    }
}
