package io.pgforce.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * jsforce, the Node.js Salesforce client, unchanged against the simulator: its array create
 * (sObject collections), upsert, query with autoFetch over more than 2,000 records (it follows the
 * locators itself), delete, queryAll, COUNT(), and Bulk API 2.0 query jobs ({@code bulk2.query}, which
 * creates, polls and reads the results until the locator says null). The script and its pinned lock file are in
 * src/test/jsforce; {@code npm ci} installs them under target/jsforce (again only when the lock
 * file changed).
 */
@ExtendWith(SimulatorExtension.class)
class JsforceConformanceTest {

    private static final Path SOURCE = Path.of("src/test/jsforce");
    private static final Path WORK = Path.of("target/jsforce");
    private static final long INSTALL_MINUTES = 5;
    private static final long RUN_MINUTES = 2;

    @BeforeAll
    static void install() throws Exception {
        for (String tool : List.of("node", "npm")) {
            if (!onPath(tool)) {
                throw new IllegalStateException("The jsforce check needs " + tool + " on the PATH (apt-get install nodejs npm)");
            }
        }
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "check.js")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        byte[] lock = Files.readAllBytes(SOURCE.resolve("package-lock.json"));
        Path installed = WORK.resolve("package-lock.json");
        if (Files.exists(WORK.resolve("node_modules/jsforce")) && Files.exists(installed) && java.util.Arrays.equals(lock, Files.readAllBytes(installed))) {
            return;
        }
        Files.write(installed, lock);
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), INSTALL_MINUTES, WORK.resolve("npm-ci.log"));
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        return java.util.Arrays.stream(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    /** Runs a command in target/jsforce; its output goes to {@code log}, which a failure quotes. */
    private static String run(List<String> command, long minutes, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took more than " + minutes + " minutes; see " + log);
        }
        String output = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + output.strip());
        }
        return output;
    }

    @Test
    void jsforceCreatesQueriesPagesDeletesAndRunsBulkQueryJobs(SalesforceSimulator sf) throws Exception {
        TestRecords.accounts(sf, 4500);
        Credentials c = sf.credentials();
        String output = run(List.of("node", "check.js", sf.loginUrl(), c.username(), c.password()), RUN_MINUTES, WORK.resolve("check.log"));
        JsonNode seen = OAuthTestClient.JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElseThrow());

        JsonNode created = seen.get("created");
        assertThat(created).extracting(r -> r.get("success").asBoolean()).containsExactly(true, true, false);
        assertThat(created.get(2).get("errors").get(0).asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(sf.calls().calls("COLLECTIONS", "create")).as("jsforce's array create is one collections call").hasSize(1);
        assertThat(seen.get("upsertCreated").asBoolean()).isTrue();
        assertThat(seen.get("fetched").asInt()).as("4,500 seeded, 2 created, 1 upserted, in pages").isEqualTo(4503);
        assertThat(seen.get("distinctFetched").asInt()).isEqualTo(4503);
        assertThat(sf.calls().calls("REST", "queryMore")).hasSize(2);
        assertThat(seen.get("deleted")).extracting(JsonNode::asText).containsExactly(created.get(0).get("id").asText());
        assertThat(seen.get("liveCount").asInt()).isEqualTo(4502);

        assertThat(seen.get("bulkFetched").asInt()).as("a Bulk query job sees the live records").isEqualTo(4502);
        assertThat(seen.get("bulkDistinct").asInt()).isEqualTo(4502);
        JsonNode bulkDeleted = seen.get("bulkDeleted");
        assertThat(bulkDeleted).hasSize(1);
        assertThat(bulkDeleted.get(0).get("id").asText()).isEqualTo(created.get(0).get("id").asText());
        assertThat(bulkDeleted.get(0).get("isDeleted").asText()).isEqualTo("true");
        assertThat(sf.calls().calls("BULK_QUERY", "job:query")).extracting(CallLog.Call::records).containsExactly(4502);
        assertThat(sf.calls().calls("BULK_QUERY", "job:queryAll")).extracting(CallLog.Call::records).containsExactly(1);
    }
}
