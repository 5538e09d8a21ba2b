package io.pgforce.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Gives each Quarkus test application a fresh database on the shared test server. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** The URL of the database handed to the running application, for the test's own (user) sessions. */
    private static volatile String currentUrl;

    @Override
    public Map<String, String> start() {
        TestPostgres pg = TestPostgres.get();
        currentUrl = pg.newDatabase("app");
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
