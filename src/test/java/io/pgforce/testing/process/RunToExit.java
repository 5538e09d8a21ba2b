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
 * The packaged application started with some settings and expected to end by itself (a start-up
 * that refuses its configuration): its exit status and all it printed, stdout and stderr together.
 * One that is still running after the time given is killed and fails the test with its output.
 *
 * <pre>
 * RunToExit.Result r = RunToExit.run(dir, Map.of("pgforce.mapping.file", "bad.yaml"), Duration.ofSeconds(30));
 * r.exitCode();   // 1
 * r.lines();      // the non-blank lines printed
 * </pre>
 */
public final class RunToExit {

    private RunToExit() {
    }

    /** How the run ended. */
    public record Result(int exitCode, String output) {

        /** The lines printed that are not blank. */
        public List<String> lines() {
            return output.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** Runs the packaged application in {@code dir} with these properties ({@code -Dname=value}); its output goes to {@code dir}/output.txt. */
    public static Result run(Path dir, Map<String, String> properties, Duration within) throws IOException, InterruptedException {
        Path jar = PackagedApp.defaultJar();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: run mvn package first");
        }
        List<String> command = new ArrayList<>(List.of(PackagedApp.java(), "-Xmx256m"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        Path output = dir.resolve("output.txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(within.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("still running after " + within.toSeconds() + " s:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
