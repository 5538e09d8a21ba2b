package io.pgforce.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgforce.config.MappingLoader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests in k8s/, parsed: what a cluster needs to run pgforce safely, credentials only by
 * reference to Secrets created outside the manifests, and routes that are the files of routes/.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path ROUTES = Path.of("routes");
    /** Names of settings that hold a credential (or where to find one). */
    private static final Pattern CREDENTIAL_NAME = Pattern.compile("(?i).*(password|secret|token|client[-_.]?id|username|user[-_.]name|db[-_.]url|api[-_.]?key).*");
    /** Values that look like a credential written inline. */
    private static final Pattern CREDENTIAL_VALUE = Pattern.compile("(?i).*(change-?me|password=|passwd|://[^/@\\s]+:[^/@\\s]+@|BEGIN [A-Z ]*PRIVATE KEY).*");

    private static List<JsonNode> documents;

    @BeforeAll
    static void parse() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var it = yaml.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
                    it.forEachRemaining(d -> {
                        if (d != null && !d.isNull() && !d.isEmpty()) {
                            documents.add(d);
                        }
                    });
                }
            }
        }
    }

    @Test
    void theKindsAPgforceClusterNeeds() {
        assertThat(deployment().at("/spec/replicas").asInt()).as("replicas: one writes, one stands by").isEqualTo(2);
        assertThat(kinds()).contains("Deployment", "Service", "ConfigMap", "PodDisruptionBudget");
        JsonNode pdb = one("PodDisruptionBudget");
        assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
        assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(deployment().at("/spec/selector/matchLabels"));
        assertThat(one("Service").at("/spec/selector")).isEqualTo(deployment().at("/spec/template/metadata/labels"));
    }

    @Test
    void theImageIsTheOneTheBuildMakes() throws IOException {
        // mvn -Pimage (src/main/docker/build-image.sh) names it pgforce:VERSION, the project's version without -SNAPSHOT
        // the application's pom inherits its version from the build's
        var version = Pattern.compile("<artifactId>pgforce-build</artifactId>\\s*<version>([^<]+)</version>").matcher(Files.readString(Path.of("build/pom.xml")));
        assertThat(version.find()).as("the project's version in build/pom.xml").isTrue();
        assertThat(container().path("image").asText()).isEqualTo("pgforce:" + version.group(1).replace("-SNAPSHOT", ""));
        assertThat(Files.readString(Path.of("src/main/docker/build-image.sh"))).contains("name=\"pgforce:${version%-SNAPSHOT}\"");
    }

    @Test
    void probesOnTheHealthEndpointsAndResourceLimits() {
        JsonNode c = container();
        assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        for (String r : List.of("requests", "limits")) {
            assertThat(c.at("/resources/" + r + "/cpu").asText()).as(r + " cpu").isNotBlank();
            assertThat(c.at("/resources/" + r + "/memory").asText()).as(r + " memory").isNotBlank();
        }
    }

    @Test
    void everyCredentialComesFromASecret() {
        assertThat(kinds()).as("no Secret in the manifests: they are created outside them").doesNotContain("Secret");
        Map<String, JsonNode> env = new TreeMap<>();
        container().path("env").forEach(e -> env.put(e.path("name").asText(), e));
        for (String name : List.of("PGFORCE_DB_URL", "PGFORCE_DB_USERNAME", "PGFORCE_DB_PASSWORD", "SALESFORCE_CLIENT_ID",
                "SALESFORCE_CLIENT_SECRET", "SALESFORCE_USERNAME", "SALESFORCE_PASSWORD", "PGFORCE_ADMIN_TOKEN")) {
            assertThat(env).as("env").containsKey(name);
            assertThat(env.get(name).at("/valueFrom/secretKeyRef/name").asText()).as(name + " from a secretKeyRef").isNotBlank();
        }
        env.forEach((name, e) -> {
            if (CREDENTIAL_NAME.matcher(name).matches()) {
                assertThat(e.has("value")).as(name + " is a credential: a secretKeyRef, never a value").isFalse();
            }
        });
    }

    @Test
    void noValueAnywhereLooksLikeAnInlineCredential() throws IOException {
        for (JsonNode d : documents) {
            assertNoInlineCredential(d, d.path("kind").asText() + " " + d.at("/metadata/name").asText());
        }
        Properties overrides = new Properties();
        overrides.load(new StringReader(configMap("pgforce-config").path("application.properties").asText()));
        overrides.forEach((k, v) -> assertThat(CREDENTIAL_NAME.matcher(k.toString()).matches())
                .as("application.properties in the ConfigMap sets %s: credentials come from Secrets", k).isFalse());
    }

    @Test
    void theRoutesConfigMapHoldsTheRouteFilesAsTheyAre() throws IOException {
        JsonNode data = configMap("pgforce-routes");
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(ROUTES)) {
            for (Path f : list.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                files.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        Map<String, String> entries = new TreeMap<>();
        data.fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue().asText()));
        assertThat(entries.keySet()).as("route files in the ConfigMap (regenerate k8s/pgforce-routes.yaml)").isEqualTo(files.keySet());
        files.forEach((name, text) -> assertThat(entries.get(name))
                .as("k8s/pgforce-routes.yaml entry %s differs from routes/%s: regenerate it", name, name).isEqualTo(text));
        assertThat(volumeMountedAt(configMapVolume("pgforce-routes"))).isEqualTo(configuredPath("pgforce.routes.dir"));
    }

    @Test
    void theConfigMapsMappingIsAValidMappingWhereTheApplicationLooks(@TempDir Path dir) throws IOException {
        Path mapping = Files.writeString(dir.resolve("mapping.yaml"), configMap("pgforce-config").path("mapping.yaml").asText());
        assertThat(MappingLoader.load(mapping).mappings()).isNotEmpty();
        assertThat(configuredPath("pgforce.mapping.file")).isEqualTo(volumeMountedAt(configMapVolume("pgforce-config")) + "/mapping.yaml");
        assertThat(volumeMountedAt(configMapVolume("pgforce-config")))
                .as("Quarkus reads $PWD/config/application.properties").isEqualTo(container().path("workingDir").asText() + "/config");
    }

    private static void assertNoInlineCredential(JsonNode node, String where) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                if (v.isValueNode() && CREDENTIAL_NAME.matcher(e.getKey()).matches() && !v.asText().isBlank()) {
                    throw new AssertionError(where + ": '" + e.getKey() + "' has a value written inline");
                }
                assertNoInlineCredential(v, where + "/" + e.getKey());
            });
        } else if (node.isArray()) {
            node.forEach(n -> assertNoInlineCredential(n, where));
        } else if (node.isTextual()) {
            for (String line : node.asText().split("\n")) {
                assertThat(CREDENTIAL_VALUE.matcher(line).matches()).as("%s looks like an inline credential: %s", where, line).isFalse();
            }
        }
    }

    private static List<String> kinds() {
        return documents.stream().map(d -> d.path("kind").asText()).toList();
    }

    private static JsonNode one(String kind) {
        List<JsonNode> found = documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private static JsonNode deployment() {
        return one("Deployment");
    }

    private static JsonNode container() {
        JsonNode containers = deployment().at("/spec/template/spec/containers");
        assertThat(containers.size()).as("containers").isEqualTo(1);
        return containers.get(0);
    }

    private static JsonNode configMap(String name) {
        return documents.stream().filter(d -> "ConfigMap".equals(d.path("kind").asText()) && name.equals(d.at("/metadata/name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + name)).path("data");
    }

    private static String configMapVolume(String configMap) {
        for (JsonNode v : deployment().at("/spec/template/spec/volumes")) {
            if (configMap.equals(v.at("/configMap/name").asText())) {
                return v.path("name").asText();
            }
        }
        throw new AssertionError("no volume of ConfigMap " + configMap);
    }

    private static String volumeMountedAt(String volume) {
        for (JsonNode m : container().path("volumeMounts")) {
            if (volume.equals(m.path("name").asText())) {
                return m.path("mountPath").asText();
            }
        }
        throw new AssertionError("volume " + volume + " is not mounted");
    }

    private static String configuredPath(String property) throws IOException {
        Properties overrides = new Properties();
        overrides.load(new StringReader(configMap("pgforce-config").path("application.properties").asText()));
        assertThat(overrides).as("application.properties in pgforce-config").containsKey(property);
        return overrides.getProperty(property);
    }
}
