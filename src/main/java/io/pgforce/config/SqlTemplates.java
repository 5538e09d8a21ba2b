package io.pgforce.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named SQL statements of one resource under {@code schema/}, each a template whose
 * {@code ${placeholders}} are filled in per schema and per mapping: the synced schema's DDL and
 * the trigger log's statements, both packages reading their files the same way (hence here,
 * below both). The file's layout:
 * <ul>
 * <li>a line {@code -- name: <name>} starts a statement; the statement is the lines that follow,
 * up to the first blank line or the end of the file, exactly as written (indentation and
 * comments included, no semicolon: each statement is sent on its own);</li>
 * <li>between statements, only comments and blank lines, which document what follows.</li>
 * </ul>
 * A statement may also be a piece filled into another one's placeholder. Values are inserted as
 * they are: identifiers must come quoted ({@link Identifiers#quote}, {@link Identifiers#qualified})
 * and text as a quoted literal. The generated DDL is what the installer stamps functions and
 * triggers with, so a change to a statement of the schema's files (its comments included)
 * rewrites them in every schema; GeneratedDdlTest holds it to the byte.
 * <p>
 * A missing value, an unknown name or a file that breaks the layout is a bug in pgforce, reported
 * with the file and the statement.
 */
public final class SqlTemplates {

    private static final Pattern NAME = Pattern.compile("-- name: ([\\w-]+)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    private final String resource;
    private final Map<String, String> statements;

    private SqlTemplates(String resource, Map<String, String> statements) {
        this.resource = resource;
        this.statements = statements;
    }

    /** Reads {@code resource} (a classpath path such as {@code schema/capture.sql}); callers keep the result in a constant. */
    public static SqlTemplates load(String resource) {
        try (InputStream in = SqlTemplates.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    /** The layout is checked here, once, so that a broken file fails at class loading, not at the first install. */
    public static SqlTemplates parse(String resource, String text) {
        Map<String, String> statements = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        String name = null;
        String previous = null;
        List<String> body = new ArrayList<>();
        // one line past the end, blank, ends the last statement
        for (int i = 0; i <= lines.size(); i++) {
            String line = i < lines.size() ? lines.get(i) : "";
            String at = resource + " line " + (i + 1) + ": ";
            Matcher marker = NAME.matcher(line.strip());
            if (name != null && !line.isBlank()) {
                if (marker.matches()) {
                    throw new IllegalStateException(at + "a blank line must end statement " + name + " before " + marker.group(1) + " starts");
                }
                body.add(line);
            } else if (name != null) {
                if (body.isEmpty()) {
                    throw new IllegalStateException(at + "statement " + name + " is empty");
                }
                statements.put(name, String.join("\n", body));
                previous = name;
                name = null;
                body.clear();
            } else if (marker.matches()) {
                name = marker.group(1);
                if (statements.containsKey(name)) {
                    throw new IllegalStateException(at + "a second statement named " + name);
                }
            } else if (!line.isBlank() && !line.strip().startsWith("--")) {
                throw new IllegalStateException(at + "SQL outside a statement" + (previous == null ? "" : " (after statement " + previous + ")")
                        + ": a '-- name:' line starts one, a blank line ends it");
            }
        }
        return new SqlTemplates(resource, Collections.unmodifiableMap(statements));
    }

    /** The statements' names, in the file's order: a file of like statements is installed whole. */
    public Set<String> names() {
        return statements.keySet();
    }

    /**
     * The statement with every {@code ${name}} replaced by its value, inserted as it is (a value is
     * not searched for placeholders). Values the statement does not use are allowed, so that one
     * map can serve every statement of a schema or a mapping.
     */
    public String fill(String name, Map<String, String> values) {
        String template = statements.get(name);
        if (template == null) {
            throw new IllegalArgumentException(resource + " has no statement named " + name);
        }
        return PLACEHOLDER.matcher(template).replaceAll(match -> {
            String value = values.get(match.group(1));
            if (value == null) {
                throw new IllegalStateException(resource + ", statement " + name + ": no value for " + match.group());
            }
            return Matcher.quoteReplacement(value);
        });
    }
}
