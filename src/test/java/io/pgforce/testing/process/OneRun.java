package io.pgforce.testing.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application run once to its end, as a user runs it from a shell with {@code -D}
 * settings and arguments: its exit status, everything it printed (stdout and stderr) and how long
 * it took. For runs that must stop by themselves (a bad setting, a CLI command); one still running
 * after {@code within} is killed and fails the test.
 */
public record OneRun(int exitCode, String output, Duration took) {

    public static OneRun of(Path workingDirectory, Map<String, String> properties, Duration within, String... args)
            throws IOException, InterruptedException {
        Path jar = PackagedApp.defaultJar();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: run mvn package first");
        }
        List<String> command = new ArrayList<>(List.of(PackagedApp.java(), "-Xmx256m"));
        command.addAll(PackagedApp.SHORT_RUN); // a run of seconds, all start-up
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("pgforce-run", ".txt");
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("PGFORCE_") || k.startsWith("SALESFORCE_")); // only what the test says
        try {
            Process p = builder.start();
            if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("still running after " + within.toSeconds() + " s:\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new OneRun(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The lines that say something (blank ones dropped). */
    public List<String> lines() {
        return output.lines().filter(l -> !l.isBlank()).toList();
    }
}
