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
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The two ways pgforce talks to Postgres: a small pool for the engine's own work, and the
 * notification listener's connection (camel-pgevent needs the pgjdbc-ng driver for LISTEN).
 */
@ApplicationScoped
public class DataSources {

    /** The session setting Heroku Connect's triggers test: the engine's sessions are never captured. */
    public static final String ENGINE_SESSION_SQL = "SET xmlbinary TO 'hex'";

    @Produces
    @Singleton
    @Unremovable
    @Named("pgforceDataSource")
    AgroalDataSource engineDataSource(DatabaseServer server, @ConfigProperty(name = "pgforce.db.pool-size") int poolSize) throws SQLException {
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .minSize(1)
                        .maxSize(poolSize)
                        .acquisitionTimeout(Duration.ofSeconds(30))
                        .validationTimeout(Duration.ofSeconds(30))
                        // a connection the server closed (restart, pg_terminate_backend) leaves the pool at its first error
                        .exceptionSorter(new PostgreSQLExceptionSorter())
                        .connectionValidator(AgroalConnectionPoolConfiguration.ConnectionValidator.defaultValidator())
                        .idleValidationTimeout(Duration.ofSeconds(10))
                        .connectionFactoryConfiguration(factory -> {
                            factory.jdbcUrl(server.url()).initialSql(ENGINE_SESSION_SQL).autoCommit(true);
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

    void close(@Disposes @Named("pgforceDataSource") AgroalDataSource dataSource) {
        dataSource.close();
    }

    @Produces
    @Singleton
    @Unremovable
    @Named("listenerDataSource")
    DataSource listenerDataSource(DatabaseServer server, Event<ListenerConnected> connected) {
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
        if (p.getProperty("sslmode") != null) {
            ds.setSslMode(p.getProperty("sslmode"));
        }
        return new ListenerDataSource(ds, () -> connected.fire(new ListenerConnected()));
    }
}
