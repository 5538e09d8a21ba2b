package io.pgforce.testing;

import org.postgresql.ds.PGSimpleDataSource;

/** A fresh database on the shared test server, reachable as the engine or as a user. */
public record TestDatabase(String url, String user, String password) {

    public static TestDatabase create(String purpose) {
        TestPostgres pg = TestPostgres.get();
        return new TestDatabase(pg.newDatabase(purpose), pg.user(), pg.password());
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
