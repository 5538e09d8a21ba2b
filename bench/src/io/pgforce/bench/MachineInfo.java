package io.pgforce.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the results were measured on: the header of bench/results/latest.*. */
final class MachineInfo {

    private MachineInfo() {
    }

    static Map<String, Object> describe(Connection db) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commit", git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain", "--untracked-files=no").isBlank() ? "" : " (with uncommitted changes)"));
        m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryGiB", Math.round(memTotalKb() / 1048576.0 * 10) / 10.0);
        m.put("cpu", procLine("/proc/cpuinfo", "model name"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try (var st = db.createStatement(); var rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            m.put("postgresql", rs.getString(1) + " (embedded, fsync off)");
        }
        return m;
    }

    private static long memTotalKb() {
        String line = procLine("/proc/meminfo", "MemTotal");
        return line.isEmpty() ? 0 : Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** The value of the first line of a /proc file that starts with {@code key}. */
    private static String procLine(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux: unknown
        }
        return "";
    }

    private static String git(String... args) {
        try {
            String[] command = new String[args.length + 1];
            command[0] = "git";
            System.arraycopy(args, 0, command, 1, args.length);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
