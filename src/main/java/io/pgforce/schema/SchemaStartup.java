package io.pgforce.schema;

import io.pgforce.config.MappingSet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import javax.sql.DataSource;
import org.apache.camel.spi.CamelEvent;

/** Lays out the schema before any route starts, so the first poll finds its tables. */
@ApplicationScoped
public class SchemaStartup {

    void install(@Observes CamelEvent.CamelContextStartingEvent event, @Named("pgforceDataSource") DataSource dataSource, MappingSet mappings) {
        SchemaInstaller.install(dataSource, mappings);
    }
}
