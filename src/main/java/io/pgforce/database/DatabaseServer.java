package io.pgforce.database;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.jboss.logging.Logger;
import org.postgresql.Driver;

/**
 * Where pgforce's database is: the server named by {@code pgforce.db.url}, or, when none is
 * configured, an embedded PostgreSQL started here and stopped with the application.
 */
@ApplicationScoped
public class DatabaseServer {

    private static final Logger LOG = Logger.getLogger(DatabaseServer.class);

    private final String url;
    private final String username;
    private final String password;
    private final EmbeddedPostgresServer embedded;

    DatabaseServer(DatabaseSettings database, EmbeddedSettings embeddedSettings) {
        Optional<String> url = database.url();
        if (url.isPresent() && !url.get().isBlank()) {
            this.embedded = null;
            this.url = url.get();
            this.username = database.username().orElse(null);
            this.password = database.password().orElse(null);
        } else {
            this.embedded = EmbeddedPostgresServer.start(Path.of(embeddedSettings.dataDir()), embeddedSettings.port(), embeddedSettings.durable());
            this.url = embedded.jdbcUrl();
            this.username = EmbeddedPostgresServer.USER;
            this.password = "";
            LOG.infof("No pgforce.db.url configured: using embedded PostgreSQL. Connect with: psql -h 127.0.0.1 -p %d -U %s %s",
                    embedded.port(), EmbeddedPostgresServer.USER, EmbeddedPostgresServer.DATABASE);
        }
    }

    public String url() {
        return url;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** Host, port, database and sslmode of the URL, as the PostgreSQL driver reads them. */
    Properties connectionProperties() {
        return parsed(url);
    }

    private static Properties parsed(String url) {
        return Driver.parseURL(url, null);
    }

    @PreDestroy
    void stop() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
