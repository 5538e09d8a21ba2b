package io.pgforce.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgforce.simulator.Credentials;
import io.pgforce.testing.UserSession;
import io.pgforce.testing.process.ScratchPostgres;
import io.pgforce.testing.process.SimulatorProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image {@code mvn -Pimage} builds (target/pgforce-VERSION-image.tar), run as a container
 * runtime runs it, without one: its layers unpacked into a root file system, its entrypoint run
 * there (its own root, /proc, working directory and user, from the image's configuration), with
 * the ConfigMaps of k8s/ where the Deployment mounts them and the Deployment's environment. It
 * gets ready, writes a change to the simulator's org, and stops gracefully on SIGTERM. Run with
 * -Pimage (the build without it leaves this test out); run alone, it is skipped where the image was
 * not built (that needs root, debootstrap and buildah).
 */
class ContainerImageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theImageRunsAsTheManifestsRunIt() throws Exception {
        Path archive = Path.of(System.getProperty("pgforce.image", "target/pgforce-0.1.0-SNAPSHOT-image.tar")).toAbsolutePath();
        assumeTrue(Files.exists(archive), "no " + archive + ": mvn -Pimage builds it (as root, with debootstrap and buildah)");
        assumeTrue("root".equals(System.getProperty("user.name")), "running the image's root file system needs root");

        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "image-it");
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        JsonNode config = unpack(archive, Files.createDirectories(dir.resolve("oci")), rootfs).path("config");

        // the image's configuration is Dockerfile.jvm's, and what k8s/pgforce.yaml expects of it
        String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));
        assertThat(config.path("User").asText()).isEqualTo(instruction(dockerfile, "USER"));
        assertThat(config.path("WorkingDir").asText()).isEqualTo(instruction(dockerfile, "WORKDIR")).isEqualTo(container().path("workingDir").asText());
        assertThat(config.path("Entrypoint").toString()).isEqualTo(instruction(dockerfile, "ENTRYPOINT").replace(" ", ""));
        assertThat(config.path("Cmd").toString()).isEqualTo(instruction(dockerfile, "CMD").replace(" ", ""));
        assertThat(config.path("ExposedPorts").has("8080/tcp")).as("8080 exposed").isTrue();

        mountConfigMaps(rootfs, config.path("WorkingDir").asText());
        ScratchPostgres pg = ScratchPostgres.shared();
        String url = pg.newDatabase("image_it_" + System.currentTimeMillis() % 100_000_000);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = dir.resolve("container.log");
        try (SimulatorProcess sf = SimulatorProcess.start(dir.resolve("simulator.log"));
             UserSession db = UserSession.open(url, pg.user(), pg.password())) {
            Credentials c = sf.credentials();
            Map<String, String> env = new LinkedHashMap<>();
            config.path("Env").forEach(e -> env.put(e.asText().substring(0, e.asText().indexOf('=')), e.asText().substring(e.asText().indexOf('=') + 1)));
            // the Deployment's environment, its Secrets' values those of this test's database and org
            env.putAll(Map.of("PGFORCE_INSTANCE_ID", "image-it", "PGFORCE_DB_URL", url, "PGFORCE_DB_USERNAME", pg.user(),
                    "PGFORCE_DB_PASSWORD", pg.password() == null ? "" : pg.password(), "SALESFORCE_LOGIN_URL", sf.loginUrl(),
                    "SALESFORCE_CLIENT_ID", c.clientId(), "SALESFORCE_CLIENT_SECRET", c.clientSecret(), "SALESFORCE_USERNAME", c.username(),
                    "SALESFORCE_PASSWORD", c.password(), "PGFORCE_ADMIN_TOKEN", "image-token"));
            env.put("JAVA_TOOL_OPTIONS", "-Xmx512m");
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port)); // the machine is shared: not 8080

            List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--fork", "--mount-proc", "--root=" + rootfs,
                    "--wd=" + config.path("WorkingDir").asText(), "--setuid", config.path("User").asText(), "--setgid", config.path("User").asText()));
            config.path("Entrypoint").forEach(a -> command.add(a.asText()));
            config.path("Cmd").forEach(a -> command.add(a.asText()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            Process container = builder.start();
            try {
                await("ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertThat(container.isAlive()).as("the container runs; its output: %s", Files.readString(log)).isTrue();
                    return Files.readString(log).contains("Listening on") && ready(port);
                });
                db.update("INSERT INTO salesforce.account (name, external_id__c) VALUES ('Image', 'IMAGE-1')");
                await("the change written").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> db.count("SELECT count(*) FROM salesforce.account WHERE external_id__c = 'IMAGE-1' AND sfid IS NOT NULL") == 1);
                assertThat(sf.records("Account")).anySatisfy(r -> assertThat(r).containsEntry("External_Id__c", "IMAGE-1"));

                // a pod's end: SIGTERM to the container's process, the JVM (the launcher exec'd it)
                ProcessHandle jvm = container.toHandle().children().findFirst().orElseThrow();
                jvm.destroy();
                assertThat(container.waitFor(60, TimeUnit.SECONDS)).as("the container ends on SIGTERM").isTrue();
                assertThat(Files.readString(log)).contains("stopped in");
                assertThat(Files.readString(log)).contains("This instance (image-it) released the writer lease");
                assertThat(db.count("SELECT count(*) FROM salesforce._hc_writer")).as("the writer lease released").isZero();
            } finally {
                container.destroyForcibly();
            }
        }
    }

    /** The image's layers extracted into {@code rootfs}, in order; its configuration returned. */
    private static JsonNode unpack(Path archive, Path oci, Path rootfs) throws IOException, InterruptedException {
        tar(archive.toString(), oci);
        JsonNode index = JSON.readTree(oci.resolve("index.json").toFile());
        JsonNode manifest = JSON.readTree(blob(oci, index.at("/manifests/0/digest").asText()).toFile());
        for (JsonNode layer : manifest.path("layers")) {
            tar(blob(oci, layer.path("digest").asText()).toString(), rootfs);
        }
        return JSON.readTree(blob(oci, manifest.at("/config/digest").asText()).toFile());
    }

    private static Path blob(Path oci, String digest) {
        return oci.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    /** GNU tar, which keeps owners and modes (as root) and recognises a compressed layer itself. */
    private static void tar(String archive, Path into) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tar", "-xpf", archive, "--numeric-owner", "-C", into.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("tar -xf %s: %s", archive, output).isTrue();
    }

    /** The ConfigMaps' files where the Deployment mounts them (config/ and routes/ of the working directory). */
    private static void mountConfigMaps(Path rootfs, String workingDir) throws IOException {
        for (JsonNode mount : container().path("volumeMounts")) {
            String configMap = null;
            for (JsonNode volume : deployment().at("/spec/template/spec/volumes")) {
                if (volume.path("name").asText().equals(mount.path("name").asText())) {
                    configMap = volume.at("/configMap/name").asText();
                }
            }
            Path target = rootfs.resolve(mount.path("mountPath").asText().substring(1));
            assertThat(target.toString()).startsWith(rootfs.resolve(workingDir.substring(1)).toString());
            try (var files = Files.list(target)) {
                for (Path f : files.toList()) {
                    Files.delete(f); // a mount hides what the image has there
                }
            }
            var data = configMap(configMap).path("data").properties().iterator();
            while (data.hasNext()) {
                var file = data.next();
                Files.writeString(target.resolve(file.getKey()), file.getValue().asText());
            }
        }
    }

    private static JsonNode container() throws IOException {
        return deployment().at("/spec/template/spec/containers/0");
    }

    private static JsonNode deployment() throws IOException {
        return manifest("k8s/pgforce.yaml", "Deployment", "pgforce");
    }

    private static JsonNode configMap(String name) throws IOException {
        JsonNode found = manifest("k8s/pgforce.yaml", "ConfigMap", name);
        return found != null ? found : manifest("k8s/pgforce-routes.yaml", "ConfigMap", name);
    }

    private static JsonNode manifest(String file, String kind, String name) throws IOException {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Path.of(file).toFile())) {
            while (docs.hasNext()) {
                JsonNode d = docs.next();
                if (d != null && kind.equals(d.path("kind").asText()) && name.equals(d.at("/metadata/name").asText())) {
                    return d;
                }
            }
        }
        return null;
    }

    /** An instruction's argument in the Dockerfile (its last occurrence). */
    private static String instruction(String dockerfile, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " +(.+)$").matcher(dockerfile);
        String last = null;
        while (m.find()) {
            last = m.group(1).strip();
        }
        assertThat(last).as(name + " in Dockerfile.jvm").isNotNull();
        return last;
    }

    private static boolean ready(int port) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
