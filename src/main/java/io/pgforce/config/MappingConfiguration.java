package io.pgforce.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Makes the loaded mapping configuration available to every bean. */
@ApplicationScoped
public class MappingConfiguration {

    @Produces
    @Singleton
    MappingSet mappingSet(MappingFileSettings settings) {
        return MappingCache.load(Path.of(settings.file()));
    }
}
