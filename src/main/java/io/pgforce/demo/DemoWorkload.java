package io.pgforce.demo;

import io.pgforce.database.DatabaseServer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The demo run's application (pgforce.demo.workload.enabled, on in %dev): it writes to the demo
 * mapping's account table the way a user's application would (its own session, so the capture
 * triggers see it), so that the console has live numbers to show. Every tick inserts accounts and
 * updates one; now and then an account has no Name, which Salesforce refuses: a write error to
 * retry from the console once the name is filled in.
 */
@ApplicationScoped
public class DemoWorkload {

    private static final Logger LOG = Logger.getLogger(DemoWorkload.class);
    /** One tick in this many writes an account Salesforce refuses. */
    static final int FAILING_EVERY = 10;

    private final String url;
    private final String user;
    private final String password;
    private final boolean enabled;
    private final Duration period;
    private final int rowsPerTick;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgforce-demo-workload");
        t.setDaemon(true);
        return t;
    });
    private long tick;
    /** This run's accounts' external ids start with it. */
    private final String run = "DEMO-" + System.currentTimeMillis() + "-";

    @Inject
    DemoWorkload(DatabaseServer server, WorkloadSettings settings) {
        this(server.url(), server.username(), server.password(), settings.enabled(), settings.period(), settings.rows());
    }

    DemoWorkload(String url, String user, String password, boolean enabled, Duration period, int rowsPerTick) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.enabled = enabled;
        this.period = period;
        this.rowsPerTick = rowsPerTick;
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            LOG.infof("Demo workload: %d account(s) every %s into salesforce.account (pgforce.demo.workload.*)", rowsPerTick, period);
            ticks.scheduleWithFixedDelay(this::tickQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (SQLException e) {
            LOG.debugf("Demo workload skipped a tick: %s", e.getMessage()); // the database is starting or stopping
        }
    }

    /** One tick of the application's writes, in one transaction. */
    void tick() throws SQLException {
        long n = ++tick;
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO salesforce.account (name, numberofemployees, external_id__c) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
                 PreparedStatement update = c.prepareStatement(
                         // only this run's accounts: the simulator's org lives in memory, so an earlier run's are not in it
                         "UPDATE salesforce.account SET description = ? WHERE id = (SELECT id FROM salesforce.account WHERE sfid IS NOT NULL "
                                 + "AND external_id__c LIKE ? ORDER BY random() LIMIT 1)")) {
                for (int i = 0; i < rowsPerTick; i++) {
                    String key = run + n + "-" + i;
                    boolean refused = i == 0 && n % FAILING_EVERY == 0;
                    insert.setString(1, refused ? null : "Demo account " + key);
                    insert.setInt(2, (int) (n % 500));
                    insert.setString(3, key);
                    insert.addBatch();
                }
                insert.executeBatch();
                update.setString(1, "updated by the demo workload, tick " + n);
                update.setString(2, run + "%");
                update.executeUpdate();
                c.commit();
            }
        }
    }

    @PreDestroy
    void stop() {
        ticks.shutdownNow();
    }
}
