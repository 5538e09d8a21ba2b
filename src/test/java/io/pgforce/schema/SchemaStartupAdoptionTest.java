package io.pgforce.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgforce.config.MappingLoader;
import io.pgforce.config.MappingSet;
import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.TestSchema;
import io.pgforce.testing.UserSession;
import io.pgforce.testing.original.HerokuConnectLayout;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@code pgforce.schema.adopt=true} holds beyond start-up's own attempt: with the database away at
 * start, the schema is adopted once it is back; after a release, this process adopts it again only
 * when told.
 */
class SchemaStartupAdoptionTest {

    private static final MappingSet MAPPINGS = MappingLoader.load(Path.of("src/test/resources/mappings/takeover.yaml"));

    @Test
    void adoptsWhenTheDatabaseComesBackAndNotAgainAfterARelease() throws Exception {
        TestDatabase database = TestDatabase.create("startup_adopt");
        try (UserSession user = database.userSession()) {
            HerokuConnectLayout.create(user.connection(), MAPPINGS, 52);
            AtomicInteger refusals = new AtomicInteger(1);
            DataSource awayAtFirst = awayAtFirst(database.engineDataSource(), refusals);
            ConnectionStatus status = newStatus();
            SchemaStartup startup = new SchemaStartup(awayAtFirst, MAPPINGS, status, new SchemaSettings() {
                @Override
                public Duration lockTimeout() {
                    return TestSchema.LOCK_TIMEOUT;
                }

                @Override
                public boolean adopt() {
                    return true;
                }
            });

            startup.installAtStart(null);
            assertThat(status.state()).isEqualTo(ConnectionState.DB_UNAVAILABLE);
            startup.ensureInstalled();

            assertThat(user.query("SELECT details FROM salesforce._pgforce_schema"))
                    .containsExactly(Map.of("details", "adopted by pgforce from Heroku Connect (hcver 52)"));
            startup.release(false);
            assertThatThrownBy(startup::ensureInstalled).isInstanceOf(SchemaNotAdoptedException.class);
        }
    }

    /** The database refuses this many connections first, as one that is restarting does. */
    private static DataSource awayAtFirst(DataSource real, AtomicInteger refusals) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            if (method.getName().equals("getConnection") && refusals.getAndDecrement() > 0) {
                throw new SQLException("Connection refused", "08001");
            }
            return method.invoke(real, args);
        });
    }

    /** The application's one owner of the state; its constructor is the CDI container's. */
    private static ConnectionStatus newStatus() throws ReflectiveOperationException {
        Constructor<ConnectionStatus> constructor = ConnectionStatus.class.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }
}
