package io.pgforce.admin.diagnose;

import io.pgforce.config.Mapping;
import io.pgforce.schema.SchemaGap;
import io.pgforce.schema.SchemaGap.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the database holds against what the mappings need. For the running configuration a gap
 * means something was dropped or changed since start-up (the installer ran then); for a file
 * that is not in use yet, it is what pgforce will create when it starts with it.
 */
final class SchemaChecks {

    private static final String RESTART = "Restart pgforce: at start-up it creates what is missing and rewrites what differs (it never drops a table or a column)";

    /** The capture triggers and the functions they call (a mapping's only functions). */
    private static final Set<Kind> CAPTURE = EnumSet.of(Kind.TRIGGER, Kind.FUNCTION, Kind.UNWANTED_TRIGGER, Kind.RETIRED_TRIGGER);

    private final String schema;
    /** the running configuration: gaps are faults; otherwise they are what start-up will do */
    private final boolean running;

    SchemaChecks(String schema, boolean running) {
        this.schema = schema;
        this.running = running;
    }

    /** The trigger log, its archive, their indexes, the shared functions: one {@code schema} check. */
    List<Check> shared(List<SchemaGap> gaps) {
        String scope = Check.CONNECTION;
        if (gaps.isEmpty()) {
            return List.of(Check.green(scope, "schema", "schema " + schema + " holds the trigger log, its archive and pgforce's functions"));
        }
        if (!running) {
            return List.of(Check.green(scope, "schema", "at start-up pgforce creates in schema " + schema + ": " + list(gaps)));
        }
        return gaps.stream().map(g -> new Check(scope, "schema", g.kind() == Kind.INDEX || g.outdated() ? Status.YELLOW : Status.RED,
                "schema " + schema + ": " + what(g) + " " + (g.outdated() ? "differs from what pgforce installs" : "is missing"), RESTART)).toList();
    }

    /** One mapping's table, columns, indexes and capture triggers. */
    List<Check> mapping(Mapping m, List<SchemaGap> gaps) {
        String scope = m.object();
        String table = schema + "." + m.table();
        boolean tableMissing = gaps.stream().anyMatch(g -> g.kind() == Kind.TABLE);
        if (!running) {
            String plan = tableMissing ? "at start-up pgforce creates table " + table + " with its columns, indexes and capture triggers"
                    : gaps.isEmpty() ? "table " + table + " is ready: start-up changes nothing in it"
                    : "table " + table + " exists; at start-up pgforce " + list(gaps);
            return List.of(Check.green(scope, "table", plan));
        }
        if (tableMissing) {
            return List.of(Check.red(scope, "table", "table " + table + " is missing: the mapping's changes are not captured", RESTART));
        }
        List<Check> checks = new ArrayList<>();
        checks.add(Check.green(scope, "table", "table " + table + " is there"));
        checks.addAll(Check.orGreen(gaps.stream().filter(g -> g.kind() == Kind.COLUMN)
                .map(g -> Check.red(scope, "columns", "column " + schema + "." + g.name() + " is missing: its field is neither captured nor written", RESTART))
                .toList(), scope, "columns", "every mapped column is there"));
        checks.addAll(Check.orGreen(gaps.stream().filter(g -> g.kind() == Kind.INDEX)
                .map(g -> Check.yellow(scope, "indexes", "index " + g.name() + " on " + table + " is missing: lookups by sfid or the unique identifier"
                        + " read the whole table, and their values are not kept unique", RESTART))
                .toList(), scope, "indexes", "the mapping table's indexes are there"));
        checks.addAll(Check.orGreen(gaps.stream().filter(g -> CAPTURE.contains(g.kind())).map(g -> capture(scope, table, g)).toList(),
                scope, "capture-triggers", "the capture triggers and their functions are installed as pgforce writes them"));
        return checks;
    }

    private Check capture(String scope, String table, SchemaGap g) {
        String what = g.kind() == Kind.FUNCTION ? "function " + schema + "." + g.name() : "trigger " + g.name() + " on " + table;
        return switch (g.kind()) {
            case UNWANTED_TRIGGER -> Check.yellow(scope, "capture-triggers", what + " should not be there: it marks rows of a read_only mapping PENDING", RESTART);
            case RETIRED_TRIGGER -> Check.red(scope, "capture-triggers", what + " is the row-level capture trigger of an older pgforce:"
                    + " beside the statement-level triggers it logs every change twice", RESTART);
            default -> g.outdated()
                    ? Check.yellow(scope, "capture-triggers", what + " differs from what pgforce installs"
                            + " (edited by hand, or written for another mapping): its changes may be captured wrongly", RESTART)
                    : Check.red(scope, "capture-triggers", what + " is missing: the table's changes are not captured"
                            + " and will never reach Salesforce", RESTART);
        };
    }

    private static String what(SchemaGap g) {
        return g.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + g.name();
    }

    /** What start-up does about the gaps: {@code adds column a.b, creates index i, rewrites trigger t}. */
    private static String list(List<SchemaGap> gaps) {
        return gaps.stream().map(g -> (g.kind() == Kind.UNWANTED_TRIGGER || g.kind() == Kind.RETIRED_TRIGGER ? "drops trigger " + g.name()
                : (g.outdated() ? "rewrites " : g.kind() == Kind.COLUMN ? "adds " : "creates ") + what(g))).collect(Collectors.joining(", "));
    }
}
