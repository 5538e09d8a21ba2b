package io.pgforce.database;

import io.smallrye.config.ConfigMapping;

/** {@code pgforce.embedded.*}: the embedded PostgreSQL, when no database URL is set. */
@ConfigMapping(prefix = "pgforce.embedded")
public interface EmbeddedSettings {

    String dataDir();

    /** 0: a free port. */
    int port();

    boolean durable();
}
