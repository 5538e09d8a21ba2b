package io.pgforce.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.StreamSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code pgforce status|mappings|reload|errors|retry|ignore|pause|resume|adopt|release|export|import|diagnose}: the
 * admin API from a shell, as the original's {@code heroku connect:*} commands. It only calls the
 * API of a running pgforce (it never starts the engine). Human output, or the API's JSON as is
 * with {@code --json}. Exit codes: 0 ok, 1 the call failed, 2 usage, 3 a problem found (diagnose
 * RED; status in a problem state).
 */
// scope INHERIT: every command has --help too (pgforce status --help), as the usage errors' "see ... --help" promise
@Command(name = "pgforce", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, sortOptions = false, subcommands = CommandLine.HelpCommand.class,
        description = "Operate a running pgforce through its admin API.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:the call failed (unreachable, refused, an error answer)", "2:usage error",
                "3:a problem found (diagnose RED, status in a problem state)"},
        footer = "%nThe launcher bin/pgforce also runs: pgforce run (the engine), pgforce simulator [--port N] (the Salesforce simulator).")
// picocli reads its annotated fields and methods by reflection, which a native executable only has when told
@RegisterForReflection(targets = {PgforceCli.class, PgforceCli.Which.class, CommandLine.HelpCommand.class})
public class PgforceCli implements Callable<Integer> {

    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int PROBLEM = 3;

    @Option(names = "--url", scope = ScopeType.INHERIT, defaultValue = "${env:PGFORCE_URL:-http://127.0.0.1:8080}",
            description = "pgforce's HTTP address (env PGFORCE_URL; default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, defaultValue = "${env:PGFORCE_ADMIN_TOKEN}",
            description = "the admin token, pgforce.admin.token (env PGFORCE_ADMIN_TOKEN)")
    String token;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print the API's JSON as is")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs one command line; the exit code is returned, not taken (the caller exits). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new PgforceCli()).setOut(out).setErr(err)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    String line = e instanceof AdminClient.CallFailed ? e.getMessage()
                            : e instanceof IOException ? "cannot read " + e.getMessage() : String.valueOf(e);
                    cmd.getErr().println("pgforce: " + line);
                    return FAILED;
                })
                .setParameterExceptionHandler((e, a) -> {
                    e.getCommandLine().getErr().println("pgforce: " + usageError(e));
                    return USAGE;
                });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** A usage error pgforce words itself: printed as it is. */
    static final class UsageError extends CommandLine.ParameterException {
        UsageError(CommandLine commandLine, String message) {
            super(commandLine, message);
        }
    }

    /**
     * A usage error as one line: a mistyped command names itself and the commands there are;
     * picocli's own messages say where the help is.
     */
    private static String usageError(CommandLine.ParameterException e) {
        CommandLine.Model.CommandSpec where = e.getCommandLine().getCommandSpec();
        if (e instanceof UsageError) {
            return e.getMessage();
        }
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && where.parent() == null && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "' " + commands(where);
        }
        String message = String.join(" ", e.getMessage().strip().split("\\R+"));
        return (message.startsWith("Error: ") ? message.substring("Error: ".length()) : message) + " (see " + where.qualifiedName() + " --help)";
    }

    private static String commands(CommandLine.Model.CommandSpec top) {
        return "(commands: " + String.join(", ", new TreeSet<>(top.subcommands().keySet())) + ")";
    }

    /** {@code pgforce} with options but no command. */
    @Override
    public Integer call() {
        throw new UsageError(spec.commandLine(), "a command is missing " + commands(spec));
    }

    public static void main(String... args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    private AdminClient client() {
        if (!isHttpAddress(url)) {
            throw new UsageError(spec.commandLine(), "--url '" + url + "' is not an http(s) address such as http://127.0.0.1:8080");
        }
        return new AdminClient(url, token);
    }

    private static boolean isHttpAddress(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** With --json the API's answer as is; true when that is all there is to print. */
    private boolean printedJson(AdminClient.Answer answer) {
        if (json) {
            out().println(answer.body());
        }
        return json;
    }

    // ------------------------------------------------------------------ status and mappings

    @Command(name = "status", description = "The connection's state, the backlog and the write errors (connect:info).")
    int status() {
        AdminClient.Answer answer = client().get("/api/status");
        JsonNode s = answer.json();
        if (!printedJson(answer)) {
            printStatus(s);
        }
        return s.path("problem").asBoolean() ? PROBLEM : 0;
    }

    private void printStatus(JsonNode s) {
        PrintWriter out = out();
        out.println("=== pgforce " + s.path("instance").asText());
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("State", s.path("state").asText() + " (" + s.path("label").asText() + ")");
        lines.put("Since", s.path("since").asText());
        if (!s.path("reason").isNull()) {
            lines.put("Reason", s.path("reason").asText());
        }
        JsonNode paused = s.path("paused");
        lines.put("Paused", paused.isObject() ? "since " + paused.path("since").asText() + " by " + paused.path("by").asText() : "no");
        lines.put("Writer", s.path("writer").asBoolean() ? "yes (this instance writes)" : "no (standing by)");
        lines.put("Schema", s.path("schema").asText());
        // the ordering only changes Ordered Writes
        lines.put("Write algorithm", s.path("writeAlgorithm").asText()
                + (s.path("writeAlgorithm").asText().equals("ORDERED") ? " (ordering: " + s.path("ordering").asText().toLowerCase(Locale.ROOT) + ")" : ""));
        if (!s.path("databaseError").isNull()) {
            lines.put("Database", s.path("databaseError").asText());
        } else {
            lines.put("Pending", s.path("pending").asText() + (s.path("oldestNewAgeSeconds").isNull() ? ""
                    : String.format(" (oldest waiting %.1f s)", s.path("oldestNewAgeSeconds").asDouble())));
            lines.put("Write errors", s.path("failed").asText());
            lines.put("Written today", s.path("writtenToday").asText());
        }
        JsonNode api = s.path("apiRequests");
        if (api.path("max").isNumber()) {
            lines.put("API requests", api.path("used").asText() + " of " + api.path("max").asText() + " used today (the org's; pgforce stops at "
                    + Math.round(api.path("maxShare").asDouble() * 100) + "%)");
        }
        lines.forEach((k, v) -> out.printf("%-16s %s%n", k + ":", v));
    }

    @Command(name = "mappings", description = "Every mapping with its counts, its read's phase and lag (connect:mapping:state).")
    int mappings() {
        AdminClient.Answer answer = client().get("/api/mappings");
        if (!printedJson(answer)) {
            TextTable table = new TextTable("OBJECT", "TABLE", "ACCESS", "FIELDS", "UNIQUE IDENTIFIER", "PENDING", "ERRORS", "WRITTEN TODAY", "READ", "LAG");
            answer.json().forEach(m -> table.row(m.path("object").asText(), m.path("table").asText(), m.path("access").asText(),
                    m.path("fields").asInt(), m.path("uniqueIdentifier").isNull() ? "-" : m.path("uniqueIdentifier").asText(),
                    m.path("pending").asLong(), m.path("failed").asLong(), m.path("writtenToday").asLong(),
                    m.path("read").isObject() ? m.path("read").path("phase").asText() : "-", lag(m.path("read").path("lagSeconds"))));
            table.print(out());
        }
        return 0;
    }

    /** Now minus the newest SystemModstamp read: 42 s, 12 min, 3.5 h; "-" before the first record. */
    private static String lag(JsonNode seconds) {
        if (!seconds.isNumber()) {
            return "-";
        }
        double s = seconds.asDouble();
        return s < 90 ? Math.round(s) + " s" : s < 5400 ? Math.round(s / 60) + " min" : String.format("%.1f h", s / 3600);
    }

    @Command(name = "reload", description = "Load a mapping again from nothing at its next read; rows already there are matched, not duplicated (connect:mapping:reload).")
    int reload(@Parameters(paramLabel = "MAPPING", description = "the mapping's object or table name") String mapping) {
        AdminClient.Answer answer = client().post("/api/mappings/" + URLEncoder.encode(mapping, StandardCharsets.UTF_8).replace("+", "%20") + "/reload", "{}");
        if (!printedJson(answer)) {
            JsonNode m = answer.json();
            out().println(m.path("object").asText() + " (table " + m.path("table").asText() + ") loads again from nothing at its next read");
        }
        return 0;
    }

    // ------------------------------------------------------------------ write errors

    @Command(name = "errors", description = "Write errors with Salesforce's message, newest first (connect:write-errors).")
    int errors(@Option(names = "--table", description = "only this mapping table's") String table,
               @Option(names = "--limit", defaultValue = "50", description = "at most this many (default ${DEFAULT-VALUE})") int limit) {
        String query = "?limit=" + limit + (table == null ? "" : "&table=" + URLEncoder.encode(table, StandardCharsets.UTF_8));
        AdminClient.Answer answer = client().get("/api/errors" + query);
        if (!printedJson(answer)) {
            JsonNode rows = answer.json().path("rows");
            if (rows.isEmpty()) {
                out().println("No write errors");
                return 0;
            }
            TextTable t = new TextTable("ID", "TABLE", "ACTION", "RECORD", "CREATED", "ARCHIVED", "MESSAGE");
            rows.forEach(r -> t.row(r.path("id").asLong(), r.path("table").asText(), r.path("action").asText(), r.path("recordId").asLong(),
                    r.path("createdAt").asText(), r.path("archived").asBoolean() ? "yes" : "", r.path("message").asText()));
            t.print(out());
            out().println(rows.size() + " of " + answer.json().path("total").asLong() + " write errors");
        }
        return 0;
    }

    /** Which write errors: ids, a table, or --all; exactly one. */
    static class Which {
        @Parameters(arity = "1..*", paramLabel = "ID", description = "trigger-log ids")
        List<Long> ids;
        @Option(names = "--table", required = true, description = "every write error of this mapping table")
        String table;
        @Option(names = "--all", required = true, description = "every write error")
        boolean all;

        String body() {
            return ids != null ? AdminClient.json(Map.of("ids", ids)) : table != null ? AdminClient.json(Map.of("table", table)) : "{}";
        }
    }

    @Command(name = "retry", description = "Resubmit write errors: live ones become NEW, archived ones REQUEUE.")
    int retry(@CommandLine.ArgGroup(multiplicity = "1") Which which) {
        return changed("/api/errors/retry", which, "Resubmitted %d write error(s)");
    }

    @Command(name = "ignore", description = "Silence write errors: they become IGNORED.")
    int ignore(@CommandLine.ArgGroup(multiplicity = "1") Which which) {
        return changed("/api/errors/ignore", which, "Ignored %d write error(s)");
    }

    private int changed(String path, Which which, String message) {
        AdminClient.Answer answer = client().post(path, which.body());
        if (!printedJson(answer)) {
            out().printf(message + "%n", answer.json().path("changed").asInt());
        }
        return 0;
    }

    // ------------------------------------------------------------------ pause and resume

    @Command(name = "pause", description = "Stop writing to Salesforce and reading from it; changes are still captured (connect:pause).")
    int pause(@Option(names = "--by", description = "who pauses (default: the admin API's)") String by) {
        return pauseOrResume("/api/pause", by);
    }

    @Command(name = "resume", description = "Write and read again, starting with what waited (connect:resume).")
    int resume(@Option(names = "--by", description = "who resumes") String by) {
        return pauseOrResume("/api/resume", by);
    }

    private int pauseOrResume(String path, String by) {
        AdminClient.Answer answer = client().post(path, by == null ? "{}" : AdminClient.json(Map.of("by", by)));
        if (!printedJson(answer)) {
            JsonNode paused = answer.json().path("paused");
            out().println(paused.isObject() ? "Writing paused since " + paused.path("since").asText() + " by " + paused.path("by").asText()
                    : "Writing resumed");
        }
        return 0;
    }

    // ------------------------------------------------------------------ taking over Heroku Connect's schema

    @Command(name = "adopt", description = "Take over the schema Heroku Connect laid out, in place: its capture is replaced table by table, its backlog is sent.")
    int adopt(@Option(names = "--dry-run", description = "print what adopting changes, and change nothing") boolean dryRun) {
        return schemaChange("/api/schema/adopt", dryRun, "Adopting would:", "Adopted:");
    }

    @Command(name = "release", description = "Hand the schema back to Heroku Connect: its capture is put back table by table, nothing waiting is lost (pause pgforce first).")
    int release(@Option(names = "--dry-run", description = "print what releasing changes, and change nothing") boolean dryRun) {
        return schemaChange("/api/schema/release", dryRun, "Releasing would:", "Released:");
    }

    private int schemaChange(String path, boolean dryRun, String wouldHeading, String doneHeading) {
        AdminClient.Answer answer = client().post(path + (dryRun ? "?dryRun=true" : ""), "{}");
        if (!printedJson(answer)) {
            out().println(dryRun ? wouldHeading : doneHeading);
            answer.json().path("changes").forEach(c -> out().println("  " + c.asText()));
        }
        return 0;
    }

    // ------------------------------------------------------------------ export and import

    @Command(name = "export", description = "The running mappings as the original's export JSON (pgforce export > mappings.json).")
    int export() {
        AdminClient.Answer answer = client().get("/api/export");
        out().println(json ? answer.body() : AdminClient.pretty(answer.json()));
        return 0;
    }

    @Command(name = "import", description = "Validate a mapping export JSON and write it as the mapping file (read at the next restart).")
    int importFile(@Parameters(paramLabel = "FILE", description = "a mapping export JSON") Path file,
                   @Option(names = "--dry-run", description = "only validate and say what would change") boolean dryRun) throws IOException {
        String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8); // pgforce says if it is not UTF-8 text
        String name = file.getFileName() == null ? "import.json" : file.getFileName().toString();
        AdminClient.Answer answer = client().post("/api/import?dryRun=" + dryRun + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), content);
        if (!printedJson(answer)) {
            JsonNode result = answer.json();
            result.path("connection").forEach(c -> out().println("connection: " + c.asText()));
            TextTable t = new TextTable("OBJECT", "TABLE", "CHANGE", "DETAILS");
            result.path("mappings").forEach(m -> t.row(m.path("object").asText(), m.path("table").asText(), m.path("change").asText(),
                    String.join("; ", texts(m.path("details")))));
            t.print(out());
            out().println(result.path("applied").asBoolean()
                    ? "Written to " + result.path("file").asText() + (result.path("backup").isNull() ? "" : " (previous content: " + result.path("backup").asText() + ")")
                            + ". Restart pgforce to use it."
                    : "Valid. Nothing written (dry run).");
        }
        return 0;
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    // ------------------------------------------------------------------ diagnose

    @Command(name = "diagnose", description = "Checks of the connection and each mapping; RED and YELLOW ones with what to do (connect:diagnose).")
    int diagnose(@Option(names = "--file", description = "a mapping file (YAML or export JSON) instead of the running configuration") Path file)
            throws IOException {
        AdminClient.Answer answer = file == null ? client().get("/api/diagnose")
                : client().post("/api/diagnose?name=" + URLEncoder.encode(String.valueOf(file.getFileName()), StandardCharsets.UTF_8),
                new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        JsonNode report = answer.json();
        if (!printedJson(answer)) {
            PrintWriter out = out();
            boolean any = false;
            for (JsonNode check : report.path("checks")) {
                String status = check.path("status").asText();
                if (!status.equals("GREEN")) {
                    any = true;
                    out.printf("%-6s  %s %s: %s%n", status, check.path("scope").asText(), check.path("check").asText(), check.path("message").asText());
                    if (!check.path("action").asText().isBlank()) {
                        out.printf("%-6s  -> %s%n", "", check.path("action").asText());
                    }
                }
            }
            if (!any) {
                out.println("Everything appears to be fine");
            }
        }
        return "RED".equals(report.path("status").asText()) ? PROBLEM : 0;
    }
}
