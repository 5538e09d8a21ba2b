package io.pgforce.testing.process;

import static org.awaitility.Awaitility.await;

import io.pgforce.database.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A throw-away PostgreSQL server of its own, apart from the application under test: Debian's
 * PostgreSQL ({@code /usr/lib/postgresql/N/bin}) when it is installed, else the embedded binaries
 * through {@link EmbeddedPostgresServer}. Either way a separate server process in a temp
 * directory, on a free port bound to 127.0.0.1, run as an unprivileged user when this JVM runs as
 * root, and removed on {@link #close()}. {@link #external} wraps a server someone else runs
 * (bench/chaos.sh starts its own).
 */
public final class ScratchPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    private static ScratchPostgres shared;

    private final String baseUrl;
    private final String user;
    private final String password;
    private final String description;
    private final Process process;
    private final EmbeddedPostgresServer embedded;
    private final Path directory;
    private final Path serverLog;

    private ScratchPostgres(String baseUrl, String user, String password, String description, Process process,
                            EmbeddedPostgresServer embedded, Path directory, Path serverLog) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
        this.description = description;
        this.process = process;
        this.embedded = embedded;
        this.directory = directory;
        this.serverLog = serverLog;
    }

    /** A server started elsewhere; {@code baseUrl} ends with a slash, e.g. {@code jdbc:postgresql://127.0.0.1:5432/}. */
    public static ScratchPostgres external(String baseUrl, String user, String password, Path serverLog) {
        String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        return new ScratchPostgres(base, user, password == null ? "" : password, "PostgreSQL at " + base, null, null, null, serverLog);
    }

    /** One server for this JVM, stopped and removed when it exits. */
    public static synchronized ScratchPostgres shared() {
        if (shared == null) {
            shared = start();
            ScratchPostgres s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "scratch-postgres-stop"));
        }
        return shared;
    }

    /** Debian's PostgreSQL when installed (unless -Dpgforce.scratch-postgres=embedded), else the embedded one. */
    public static ScratchPostgres start() {
        try {
            Path dir = Files.createTempDirectory("pgforce-scratch-pg");
            // the server user must reach its data directory inside this root-owned temp dir
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Optional<Path> debian = "embedded".equals(System.getProperty("pgforce.scratch-postgres")) ? Optional.empty() : debianBinaries();
            if (debian.isPresent()) {
                return startDebian(debian.get(), dir);
            }
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("data"), 0, false);
            return new ScratchPostgres("jdbc:postgresql://127.0.0.1:" + server.port() + "/", EmbeddedPostgresServer.USER, "",
                    "embedded PostgreSQL on 127.0.0.1:" + server.port(), null, server, dir, dir.resolve("data.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest /usr/lib/postgresql/N/bin that has a postgres binary. */
    public static Optional<Path> debianBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> versionOf(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ScratchPostgres startDebian(Path bin, Path dir) throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        List<String> asServer = serverUser();
        if (!asServer.isEmpty()) {
            exec(List.of("chown", "-R", serverUid() + ":" + serverGid(), data.toString()));
        }
        exec(with(asServer, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust", "-E", "UTF8",
                "--no-locale", "--no-sync"));
        int port = freePort();
        Path log = dir.resolve("postgres.log");
        Process p = new ProcessBuilder(with(asServer, bin.resolve("postgres").toString(), "-D", data.toString(), "-p", String.valueOf(port),
                "-h", "127.0.0.1", "-k", "", "-c", "fsync=off", "-c", "max_connections=100"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/";
        try {
            await("PostgreSQL to accept connections").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("PostgreSQL exited with " + p.exitValue() + ": " + Files.readString(log));
                }
                try (Connection c = DriverManager.getConnection(url + "postgres", USER, "")) {
                    return true;
                } catch (SQLException notYet) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("PostgreSQL did not accept connections within 60 s: " + Files.readString(log));
        }
        return new ScratchPostgres(url, USER, "", "Debian PostgreSQL " + bin.getParent().getFileName() + " on 127.0.0.1:" + port, p, null, dir, log);
    }

    /** Root cannot run PostgreSQL: run it as the postgres user Debian's package creates (else nobody). */
    private static List<String> serverUser() throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        return List.of("setpriv", "--reuid=" + serverUid(), "--regid=" + serverGid(), "--clear-groups", "--");
    }

    private static String serverUid() throws IOException {
        String uid = idOf("-u");
        return uid.isEmpty() ? "65534" : uid;
    }

    private static String serverGid() throws IOException {
        String gid = idOf("-g");
        return gid.isEmpty() ? "65534" : gid;
    }

    private static String idOf(String flag) throws IOException {
        Process p = new ProcessBuilder("id", flag, "postgres").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            return p.waitFor() == 0 ? out : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static List<String> with(List<String> prefix, String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    private static void exec(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Creates an empty database and returns its JDBC URL. */
    public String newDatabase(String name) {
        String db = name.toLowerCase().replaceAll("[^a-z0-9_]", "_");
        try (Connection c = DriverManager.getConnection(baseUrl + "postgres", user, password); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + db + " on " + description, e);
        }
        return baseUrl + db;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String description() {
        return description;
    }

    /** The server's own log (deadlock reports and the like), when known. */
    public Optional<Path> serverLog() {
        return Optional.ofNullable(serverLog).filter(Files::isReadable);
    }

    @Override
    public synchronized void close() {
        if (embedded != null) {
            embedded.close();
        }
        if (process != null && process.isAlive()) {
            try {
                // SIGINT: PostgreSQL's fast shutdown
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (directory != null) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // a temp directory: the OS cleans up
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
