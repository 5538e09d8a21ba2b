package io.pgforce.testing;

import io.pgforce.testing.process.ScratchPostgres;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/** A fresh database on the shared test server, reachable as the engine or as a user. */
public record TestDatabase(String url, String user, String password) {

    private static final AtomicInteger ON_DEBIAN = new AtomicInteger();

    public static TestDatabase create(String purpose) {
        TestPostgres pg = TestPostgres.get();
        return new TestDatabase(pg.newDatabase(purpose), pg.user(), pg.password());
    }

    /**
     * A fresh database on Debian's PostgreSQL (ScratchPostgres, one server for the JVM), for a test
     * that must also hold there. Without it installed the test cannot run: .ci/run installs it.
     */
    public static TestDatabase onDebian(String purpose) {
        if (ScratchPostgres.debianBinaries().isEmpty() || "embedded".equals(System.getProperty("pgforce.scratch-postgres"))) {
            throw new IllegalStateException("Debian's PostgreSQL is not installed (apt-get install postgresql): the test needs it");
        }
        ScratchPostgres server = ScratchPostgres.shared();
        return new TestDatabase(server.newDatabase(purpose + "_" + ON_DEBIAN.incrementAndGet()), server.user(), server.password());
    }

    /** Sessions as pgforce's engine opens them: xmlbinary = hex, so its writes are not captured. */
    public PGSimpleDataSource engineDataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(user);
        ds.setPassword(password);
        ds.setOptions("-c xmlbinary=hex");
        return ds;
    }

    /** A session as an application writing to the mapping tables has one. */
    public UserSession userSession() {
        return UserSession.open(url, user, password);
    }
}
