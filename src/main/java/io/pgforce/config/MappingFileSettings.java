package io.pgforce.config;

import io.smallrye.config.ConfigMapping;

/** {@code pgforce.mapping.*}: where the mapping is read from. */
@ConfigMapping(prefix = "pgforce.mapping")
public interface MappingFileSettings {

    /** A YAML mapping file or a Heroku Connect mapping export JSON. */
    String file();
}
