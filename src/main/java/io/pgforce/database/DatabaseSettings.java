package io.pgforce.database;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** {@code pgforce.db.*}: the database pgforce writes, or none for the embedded one. */
@ConfigMapping(prefix = "pgforce.db")
public interface DatabaseSettings {

    /** Unset: the embedded PostgreSQL. */
    Optional<String> url();

    Optional<String> username();

    Optional<String> password();

    /** Connections the operations surface may open. */
    int operationsPoolSize();
}
