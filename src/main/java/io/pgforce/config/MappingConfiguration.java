package io.pgforce.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Makes the loaded mapping configuration available to every bean. */
@ApplicationScoped
public class MappingConfiguration {

    @Produces
    @Singleton
    MappingSet mappingSet(@ConfigProperty(name = "pgforce.mapping.file") String file) {
        return MappingCache.load(Path.of(file));
    }
}
