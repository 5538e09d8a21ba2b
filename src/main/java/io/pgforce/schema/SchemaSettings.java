package io.pgforce.schema;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code pgforce.schema.*}: how start-up changes the synced schema (its name is the mapping file's {@code pgforce.schema}). */
@ConfigMapping(prefix = "pgforce.schema")
public interface SchemaSettings {

    /** The longest a schema change waits for a lock the application holds, before it steps back and retries. */
    Duration lockTimeout();

    /** Adopt a schema Heroku Connect laid out at start. */
    boolean adopt();
}
