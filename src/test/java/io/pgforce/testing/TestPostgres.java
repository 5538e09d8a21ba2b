package io.pgforce.testing;

import io.pgforce.database.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL server per test JVM: a Testcontainers PostgreSQL 17 when a Docker engine is
 * available, the embedded server otherwise. Each caller gets a fresh database on it.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile TestPostgres instance;

    private final String baseUrl;
    private final String user;
    private final String password;

    private TestPostgres(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    public static synchronized TestPostgres get() {
        if (instance == null) {
            instance = dockerAvailable() ? container() : embedded();
        }
        return instance;
    }

    private static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false; // nothing to ask: skip Testcontainers' probing
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper with the JVM
    private static TestPostgres container() {
        PostgreSQLContainer pg = new PostgreSQLContainer("postgres:17-alpine");
        pg.start();
        String url = pg.getJdbcUrl();
        return new TestPostgres(url.substring(0, url.lastIndexOf('/') + 1), pg.getUsername(), pg.getPassword());
    }

    private static TestPostgres embedded() {
        try {
            Path dir = Files.createTempDirectory("pgforce-test-pg");
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("data"), 0, false);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                deleteQuietly(dir);
            }));
            return new TestPostgres("jdbc:postgresql://127.0.0.1:" + server.port() + "/", EmbeddedPostgresServer.USER, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates an empty database and returns its JDBC URL. */
    public String newDatabase(String purpose) {
        String name = "t" + DATABASES.incrementAndGet() + "_" + purpose.toLowerCase().replaceAll("[^a-z0-9]", "_");
        try (Connection c = DriverManager.getConnection(baseUrl + "postgres", user, password); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name, e);
        }
        return baseUrl + name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files; the OS cleans up
        }
    }
}
