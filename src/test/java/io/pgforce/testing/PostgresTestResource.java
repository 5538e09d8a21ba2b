package io.pgforce.testing;

import io.pgforce.config.MappingLoader;
import io.pgforce.testing.original.HerokuConnectLayout;
import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/** Gives each Quarkus test application a fresh database on the shared test server. */
public class PostgresTestResource implements QuarkusTestResourceConfigurableLifecycleManager<EndToEnd> {

    /** The URL of the database handed to the running application, for the test's own (user) sessions. */
    private static volatile String currentUrl;

    private int herokuConnectHcver;
    private Path mapping;

    @Override
    public void init(EndToEnd endToEnd) {
        herokuConnectHcver = endToEnd.herokuConnectHcver();
        mapping = endToEnd.mapping().isEmpty() ? Path.of("src/test/resources/mappings/test.yaml") : EndToEnd.MAPPINGS.resolve(endToEnd.mapping());
    }

    @Override
    public Map<String, String> start() {
        TestPostgres pg = TestPostgres.get();
        currentUrl = pg.newDatabase("app");
        if (herokuConnectHcver > 0) {
            try (UserSession user = UserSession.open(currentUrl, pg.user(), pg.password())) {
                HerokuConnectLayout.create(user.connection(), MappingLoader.load(mapping), herokuConnectHcver);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot lay out Heroku Connect's schema: " + e.getMessage(), e);
            }
        }
        return Map.of("pgforce.db.url", currentUrl, "pgforce.db.username", pg.user(), "pgforce.db.password", pg.password());
    }

    @Override
    public void stop() {
        // the database is dropped with the server at the end of the run
    }

    public static UserSession userSession() {
        TestPostgres pg = TestPostgres.get();
        return UserSession.open(currentUrl, pg.user(), pg.password());
    }
}
