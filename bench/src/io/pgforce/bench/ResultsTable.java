package io.pgforce.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a run's results: the JSON as it is, and Markdown tables with the ratios that make them comparable. */
final class ResultsTable {

    private ResultsTable() {
    }

    static void write(Results r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("latest.json"), BenchHttp.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r) + "\n");
        Files.writeString(dir.resolve("latest.md"), markdown(r));
    }

    static String markdown(Results r) {
        StringBuilder b = new StringBuilder("# pgforce benchmark: latest run\n\n");
        Map<String, Object> m = r.machine;
        b.append(String.format("- commit %s, %s%n- machine: %s cores, %s GiB, %s; %s; PostgreSQL %s%n- total %s s (build %s s, benchmark %s s); sizes: %s%n",
                m.get("commit"), m.get("date"), m.get("cores"), m.get("memoryGiB"), m.get("cpu"), m.get("java"), m.get("postgresql"),
                f0(r.totalSeconds), f0(r.buildSeconds), f0(r.runSeconds), r.sizes));
        b.append("\nOne noisy machine: compare figures within this run (the ratios), not with other runs.\n");

        b.append("\n## Drains\n\n");
        b.append("Time from the resume until every change is settled. *bare SQL*: the same rows claimed, settled and written back in "
                + "set-based statements (rolled back). *sim alone*: pgforce's recorded calls replayed against the simulator at the same "
                + "concurrency. *ratio* = drain / (bare SQL + sim alone). *1 call/change*: one single-record SOAP call per change, "
                + "a sample extrapolated. *API requests / 1,000 changes*: what the drain spent of the org's daily API allocation (every SOAP "
                + "and REST call and Bulk step, the simulator's count; pgforce.api.max-share budgets it). Heap: sampled from /q/metrics every 250 ms; RSS: the kernel's peak (VmHWM).\n\n");
        b.append("| workload | algorithm | profile | conc. | changes | drain s | changes/s | API calls | API requests / 1,000 changes | lower bound | bare SQL s | sim alone s | ratio | 1 call/change s (extrapolated) | peak heap MiB | peak RSS MiB |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Measurement x : r.measurements) {
            if (x.read()) {
                continue; // their own section below
            }
            b.append(String.format("| %s %s | %s | %s | %d | %,d | %s | %,.0f | %s | %s | %s | %s | %s | %s | %s | %.0f | %.0f |%n",
                    x.workload, x.title, x.algorithm, x.profile, x.concurrency, x.changes, x.drained ? f2(x.drainSeconds) : "not drained",
                    x.changesPerSecond, x.apiCalls, x.requestsPerThousand(), x.lowerBound, f2(x.bareSqlSeconds), f2(x.simulatorAloneSeconds), f2(x.overheadRatio),
                    f1(x.oneCallPerChangeSeconds), x.peakHeapMb, x.peakRssMb));
        }

        b.append("\n## Engine overhead at the zero profile (target <= 2.0)\n\n| workload | algorithm | drain s | bare SQL s | sim alone s | ratio | target met |\n|---|---|---|---|---|---|---|\n");
        for (Measurement x : r.measurements) {
            if (x.profile.equals("zero") && List.of("W1", "W2", "W5", "W5 slice").contains(x.workload) && x.overheadRatio != null) {
                b.append(String.format("| %s | %s | %s | %s | %s | %s | %s |%n", x.workload, x.algorithm, f2(x.drainSeconds), f2(x.bareSqlSeconds),
                        f2(x.simulatorAloneSeconds), f2(x.overheadRatio), x.overheadRatio <= 2.0 ? "yes" : "**no**"));
            }
        }

        b.append("\n## Latency: W6, commit to acknowledgement (target p99 < 1 s)\n\n"
                + "| algorithm | rate /s (achieved) | changes | p50 ms | p95 ms | p99 ms | max ms | target met | application transactions deadlocked (retried) |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Measurement x : r.measurements) {
            if (x.latency != null && !x.read()) {
                SteadyLoad.Latency l = x.latency;
                b.append(String.format("| %s | %.0f | %,d | %.0f | %.0f | %.0f | %.0f | %s | %d |%n", x.algorithm, l.achievedRate(), l.changes(), l.p50(), l.p95(),
                        l.p99(), l.max(), l.p99() < 1000 ? "yes" : "**no**", l.deadlocks()));
            }
        }

        b.append("\n## write_concurrency 1 and 8 at the org profile\n\n| workload | algorithm | drain s at 1 | drain s at 8 | speedup | records compared | same org |\n|---|---|---|---|---|---|---|\n");
        for (Results.Concurrency c : r.concurrency) {
            b.append(String.format("| %s | %s | %s | %s | %.2f | %,d | %s |%n", c.workload(), c.algorithm(), f2(c.secondsAt1()), f2(c.secondsAt8()), c.speedup(),
                    c.records(), c.sameState() ? "yes" : "**no**: " + String.join("; ", c.differences())));
        }

        if (r.locks != null) {
            Results.Locks l = r.locks;
            b.append("\n## Lock workload: contacts round-robin over few accounts, org profile\n\n"
                    + "The same contacts, in log order, written by pgforce (Ordered Writes, lock-aware lanes: a parent's children in one lane) "
                    + "and by a naive client (Bulk API 2.0 insert jobs of " + String.format("%,d", l.naiveJobSize()) + " rows in log order, "
                    + l.concurrency() + " at once, each job's slices naming every parent). *lock errors*: records the simulator refused "
                    + "UNABLE_TO_LOCK_ROW (a parent held past its 10 s lock wait); *waited*: write transactions (calls, Bulk slices of 200) "
                    + "that found a parent locked and waited for it. A wait that ends within 10 s is no error, so the naive side's cost "
                    + "may show as waits (serialised jobs) rather than errors.\n\n"
                    + "| contacts | accounts | concurrency | pgforce drain s | pgforce API calls | lock errors pgforce | waited pgforce "
                    + "| naive s | naive jobs | lock errors naive | waited naive | naive records failed |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            b.append(String.format("| %,d | %,d | %d | %s | %s | %,d | %,d | %s | %d | %,d | %,d | %,d |%n", l.contacts(), l.accounts(), l.concurrency(),
                    f2(l.pgforceSeconds()), l.pgforceCalls(), l.pgforceLockErrors(), l.pgforceContended(), f2(l.naiveSeconds()), l.naiveJobs(),
                    l.naiveLockErrors(), l.naiveContended(), l.naiveFailed()));
        }

        b.append("\n## Extrapolated from a slice\n\n| workload | setting | slice changes | slice s | whole changes | whole s (extrapolated) | 1 call/change s for the whole (extrapolated) |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Measurement x : r.measurements) {
            if (x.extrapolatedSeconds != null) {
                b.append(String.format("| %s | %s | %,d | %s | %,d | %s | %s |%n", x.workload, x.setting(), x.changes, f2(x.drainSeconds), x.extrapolatedChanges,
                        f0(x.extrapolatedSeconds), x.oneCallPerChangeSeconds == null ? "" : f0(x.oneCallPerChangeSeconds * x.extrapolatedChanges / x.changes)));
            }
        }
        b.append(String.format("%nOne single-record SOAP call: %.2f ms at the zero profile, %.1f ms at the org profile (the means of the samples).%n",
                r.singleCallSecondsZero * 1000, r.singleCallSecondsOrg * 1000));

        b.append("\n## Memory: a large backlog drained with -Xmx256m\n\n| changes | drained | drain s | changes/s | API calls | API requests / 1,000 changes | peak heap MiB | peak RSS MiB | note |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Measurement x : r.measurements) {
            if (x.workload.equals("MEM")) {
                b.append(String.format("| %,d | %s | %s | %,.0f | %s | %s | %.0f | %.0f | %s |%n", x.changes, x.drained ? "yes" : "**no**", f2(x.drainSeconds),
                        x.changesPerSecond, x.apiCalls, x.requestsPerThousand(), x.peakHeapMb, x.peakRssMb, x.note == null ? "" : x.note));
            }
        }

        b.append("\n## Reads: Salesforce to Postgres, pgforce at -Xmx256m\n\n"
                + "READ-LOAD: from the load's first call (its COUNT) until the table holds every record and its read is SYNCED. "
                + "*sim alone*: the same Bulk API 2.0 query job created, polled and read page by page (same page size) by a plain HTTP "
                + "client, no Postgres; *ratio* = load / sim alone.\n\n"
                + "| workload | records | loaded | load s | rows/s | API calls | API requests / 1,000 records | sim alone s | ratio | peak heap MiB | peak RSS MiB | note |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Measurement x : r.measurements) {
            if (x.workload.equals("READ-LOAD")) {
                b.append(String.format("| %s %s | %,d | %s | %s | %,.0f | %s | %s | %s | %s | %.0f | %.0f | %s |%n", x.workload, x.title, x.changes,
                        x.drained ? "yes" : "**no**", f2(x.drainSeconds), x.changesPerSecond, x.apiCalls, x.requestsPerThousand(), f2(x.simulatorAloneSeconds), f2(x.overheadRatio),
                        x.peakHeapMb, x.peakRssMb, x.note == null ? "" : x.note));
            }
        }
        b.append("\nREAD-LAG: from the client's acknowledgement of each Salesforce-side update (REST) to its value seen in Postgres "
                + "(the table polled every " + ReadRows.SEEN_EVERY_MILLIS + " ms). An update waits for the next poll (0 up to the "
                + "poll interval, half of it on average), then for that poll's pages: the interval is the lag's floor: p99 and max "
                + "reach it whatever pgforce does.\n\n"
                + "| workload | poll interval s | rate /s (achieved) | updates | p50 ms | p95 ms | p99 ms | max ms | pgforce's API calls | API requests / 1,000 updates | peak heap MiB | peak RSS MiB |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Measurement x : r.measurements) {
            if (x.workload.equals("READ-LAG") && x.latency != null) {
                SteadyLoad.Latency l = x.latency;
                b.append(String.format("| %s %s | %.0f | %.0f | %,d | %.0f | %.0f | %.0f | %.0f | %s | %s | %.0f | %.0f |%n", x.workload, x.title, x.pollIntervalSeconds,
                        l.achievedRate(), l.changes(), l.p50(), l.p95(), l.p99(), l.max(), x.apiCalls, x.requestsPerThousand(), x.peakHeapMb, x.peakRssMb));
            }
        }

        b.append("\n## Capture's cost to the application's statements (statements/s, and the cost as a multiple of the plain table's)\n\n"
                + "| statement | plain table | row triggers (version 2) | statement triggers (now) | log rows written without a trigger |\n"
                + "|---|---|---|---|---|\n");
        if (r.captureCost != null) {
            for (CaptureCost.Rates c : r.captureCost.rates()) {
                b.append(String.format("| %s | %.1f | %.1f (%.2fx) | %.1f (%.2fx) | %.1f (%.2fx) |%n", c.workload().label(),
                        c.perSecond().get(CaptureCost.Table.PLAIN),
                        c.perSecond().get(CaptureCost.Table.ROW_TRIGGERS), c.cost(CaptureCost.Table.ROW_TRIGGERS),
                        c.perSecond().get(CaptureCost.Table.STATEMENT_TRIGGERS), c.cost(CaptureCost.Table.STATEMENT_TRIGGERS),
                        c.perSecond().get(CaptureCost.Table.LOG_WITHOUT_TRIGGERS), c.cost(CaptureCost.Table.LOG_WITHOUT_TRIGGERS)));
            }
        }
        return b.toString();
    }

    private static String f0(double v) {
        return String.format("%.0f", v);
    }

    private static String f1(Double v) {
        return v == null ? "" : String.format("%,.1f", v);
    }

    private static String f2(Double v) {
        return v == null ? "" : String.format("%.2f", v);
    }
}
