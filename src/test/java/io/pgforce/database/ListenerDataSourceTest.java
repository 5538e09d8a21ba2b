package io.pgforce.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.impossibl.postgres.api.jdbc.PGConnection;
import com.impossibl.postgres.api.jdbc.PGNotificationListener;
import com.impossibl.postgres.jdbc.PGDataSource;
import io.pgforce.testing.TestDatabase;
import io.pgforce.testing.UserSession;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * camel-pgevent reconnects from inside the driver's {@code closed()} callback and waits there for
 * the new connection; pgjdbc-ng calls it on its I/O thread, which the new connection needs. The
 * listener's data source must hand that callback to another thread, or a dropped listener
 * connection can hang the listener (and the application's shutdown) for good. A connection is
 * reported (the rescan it wakes covers what nobody heard) once it listens, not before.
 */
class ListenerDataSourceTest {

    private static final String APPLICATION = "listener-data-source-test";
    /** In the application Camel's executor manager runs the reports; here a thread each. */
    private static final Executor OWN_THREAD = task -> new Thread(task, "listener-closed-test").start();

    @Test
    void aListenerThatReconnectsInsideClosedGetsItsNewConnection() throws Exception {
        TestDatabase db = TestDatabase.create("listener");
        AtomicInteger connects = new AtomicInteger();
        PGDataSource driver = pgjdbcNg(db);
        ListenerDataSource listener = new ListenerDataSource(driver, connects::incrementAndGet, OWN_THREAD);
        try (UserSession user = db.userSession()) {
            PGConnection first = listen(listener);
            for (int drop = 1; drop <= 3; drop++) {
                // the driver's I/O threads take connections in turn: these stand for the attempts a
                // reconnect makes while the database is still down, so that the next one lands on
                // the I/O thread that reports the drop
                for (int other = 0; other < drop; other++) {
                    driver.getConnection().close();
                }
                CompletableFuture<PGConnection> reconnected = new CompletableFuture<>();
                // what camel-pgevent's closed() does: connect again on another thread, and wait for it
                first.addNotificationListener("drop" + drop, "pgforce_test", new PGNotificationListener() {
                    @Override
                    public void closed() {
                        try {
                            reconnected.complete(CompletableFuture.supplyAsync(() -> {
                                try {
                                    return listen(listener);
                                } catch (SQLException e) {
                                    throw new IllegalStateException(e);
                                }
                            }).get());
                        } catch (Exception e) {
                            reconnected.completeExceptionally(e);
                        }
                    }
                });
                user.scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + APPLICATION + "'");
                first = reconnected.get(10, TimeUnit.SECONDS);
                assertThat(first.isClosed()).isFalse();
            }
            assertThat(connects).hasValue(4);
            first.close();
        }
    }

    @Test
    void aChangeCommittedTheMomentTheConnectionIsReportedIsHeard() throws Exception {
        TestDatabase db = TestDatabase.create("listener-reported");
        List<String> heard = new CopyOnWriteArrayList<>();
        try (UserSession user = db.userSession()) {
            // the rescan the report wakes has scanned the log: a change committed now has only its notification
            ListenerDataSource listener = new ListenerDataSource(pgjdbcNg(db),
                    () -> user.scalar("SELECT pg_notify('pgforce_test', 'committed after the rescan')"), OWN_THREAD);
            CamelContext camel = new DefaultCamelContext();
            camel.getRegistry().bind("listenerDataSource", listener);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("pgevent:///" + URI.create(db.url().substring("jdbc:".length())).getPath().substring(1)
                            + "/pgforce_test?datasource=#listenerDataSource").process(e -> heard.add(e.getMessage().getBody(String.class)));
                }
            });
            try {
                camel.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("committed after the rescan"));
            } finally {
                camel.close();
            }
        }
    }

    @Test
    void whileItsConnectionIsOpenTheSameOneIsHandedOutAgain() throws Exception {
        TestDatabase db = TestDatabase.create("listener-again");
        AtomicInteger connects = new AtomicInteger();
        ListenerDataSource listener = new ListenerDataSource(pgjdbcNg(db), connects::incrementAndGet, OWN_THREAD);
        try (UserSession user = db.userSession()) {
            PGConnection first = listen(listener);
            // camel-pgevent's reconnect asks again every reconnectDelay, connected or not
            assertThat(listen(listener)).isSameAs(first);
            assertThat(backends(user)).isEqualTo(1);

            user.scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + APPLICATION + "'");
            await().atMost(Duration.ofSeconds(10)).until(first::isClosed);
            PGConnection second = listen(listener);
            assertThat(second).isNotSameAs(first);
            assertThat(backends(user)).isEqualTo(1);
            assertThat(connects).hasValue(2);
            second.close();
        }
    }

    private static long backends(UserSession user) {
        return user.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + APPLICATION + "'");
    }

    /** What camel-pgevent does with a connection: LISTEN, then its notification listener. */
    private static PGConnection listen(ListenerDataSource ds) throws SQLException {
        Connection c = ds.getConnection();
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN pgforce_test");
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        pg.addNotificationListener("pgforce_test", "pgforce_test", new PGNotificationListener() {
        });
        return pg;
    }

    private static PGDataSource pgjdbcNg(TestDatabase db) {
        URI uri = URI.create(db.url().substring("jdbc:".length()));
        PGDataSource ds = new PGDataSource();
        ds.setServerName(uri.getHost());
        ds.setPortNumber(uri.getPort());
        ds.setDatabaseName(uri.getPath().substring(1));
        ds.setUser(db.user());
        if (db.password() != null && !db.password().isEmpty()) {
            ds.setPassword(db.password());
        }
        ds.setApplicationName(APPLICATION);
        return ds;
    }
}
