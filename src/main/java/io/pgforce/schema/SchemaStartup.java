package io.pgforce.schema;

import io.pgforce.config.MappingSet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.spi.CamelEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Lays out the schema before any route starts, so the first poll finds its tables. */
@ApplicationScoped
public class SchemaStartup {

    void install(@Observes CamelEvent.CamelContextStartingEvent event, @Named("pgforceDataSource") DataSource dataSource, MappingSet mappings,
                 @ConfigProperty(name = "pgforce.schema.lock-timeout") Duration lockTimeout) {
        SchemaInstaller.install(dataSource, mappings, lockTimeout);
    }
}
