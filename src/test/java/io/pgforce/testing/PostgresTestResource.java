package io.pgforce.testing;

import io.pgforce.config.MappingLoader;
import io.pgforce.testing.original.HerokuConnectLayout;
import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * Gives each Quarkus test application a fresh database on the shared test server, or on Debian's
 * PostgreSQL when the class asks for it ({@link EndToEnd#debianPostgres()}).
 */
public class PostgresTestResource implements QuarkusTestResourceConfigurableLifecycleManager<EndToEnd> {

    /** The database handed to the running application, for the test's own (user) sessions. */
    private static volatile TestDatabase current;

    private int herokuConnectHcver;
    private boolean debian;
    private Path mapping;

    @Override
    public void init(EndToEnd endToEnd) {
        herokuConnectHcver = endToEnd.herokuConnectHcver();
        debian = endToEnd.debianPostgres();
        mapping = endToEnd.mapping().isEmpty() ? Path.of("src/test/resources/mappings/test.yaml") : EndToEnd.MAPPINGS.resolve(endToEnd.mapping());
    }

    @Override
    public Map<String, String> start() {
        TestDatabase db = debian ? TestDatabase.onDebian("app") : TestDatabase.create("app");
        current = db;
        if (herokuConnectHcver > 0) {
            try (UserSession user = db.userSession()) {
                HerokuConnectLayout.create(user.connection(), MappingLoader.load(mapping), herokuConnectHcver);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot lay out Heroku Connect's schema: " + e.getMessage(), e);
            }
        }
        return Map.of("pgforce.db.url", db.url(), "pgforce.db.username", db.user(), "pgforce.db.password", db.password());
    }

    @Override
    public void stop() {
        // the database is dropped with the server at the end of the run
    }

    public static UserSession userSession() {
        return current.userSession();
    }
}
