package io.pgforce.bench;

import io.pgforce.testing.process.ScratchPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos suite's driver (bench/chaos.sh runs it):
 * {@code --kills N} (20), {@code --algorithm ordered|merged|both} (both), {@code --seed S},
 * {@code --quick} (the integration test's shorter pacing), {@code --workdir DIR} (logs),
 * {@code --db-url jdbc:postgresql://127.0.0.1:PORT/ --db-user U --db-password P} (a server to create
 * databases on; without it a scratch server is started), {@code --pg-log FILE} (that server's log, for
 * deadlock reports). Prints one summary line per algorithm and
 * exits 1 when any check failed.
 */
public final class ChaosMain {

    private ChaosMain() {
    }

    public static void main(String[] args) throws Exception {
        int kills = 20;
        String algorithm = "both";
        long seed = System.currentTimeMillis() % 100_000;
        boolean quick = false;
        Path workDir = Path.of("target", "chaos-" + System.currentTimeMillis() / 1000);
        String dbUrl = null;
        String dbUser = "postgres";
        String dbPassword = "";
        Path pgLog = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--kills" -> kills = Integer.parseInt(args[++i]);
                case "--algorithm" -> algorithm = args[++i];
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--quick" -> quick = true;
                case "--workdir" -> workDir = Path.of(args[++i]);
                case "--db-url" -> dbUrl = args[++i];
                case "--db-user" -> dbUser = args[++i];
                case "--db-password" -> dbPassword = args[++i];
                case "--pg-log" -> pgLog = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (use --kills N, --algorithm ordered|merged|both, --seed S, --quick, --workdir DIR, --db-url URL, --db-user U, --db-password P, --pg-log FILE)");
            }
        }
        List<String> algorithms = switch (algorithm) {
            case "both" -> List.of("ordered", "merged");
            case "ordered", "merged" -> List.of(algorithm);
            default -> throw new IllegalArgumentException("--algorithm must be ordered, merged or both");
        };
        ScratchPostgres pg = dbUrl != null ? ScratchPostgres.external(dbUrl, dbUser, dbPassword, pgLog) : ScratchPostgres.shared();
        ChaosRun.log("PostgreSQL: %s; seed %d; %d kill(s) per algorithm", pg.description(), seed, kills);
        List<ChaosRun.Result> results = new ArrayList<>();
        for (String alg : algorithms) {
            ChaosRun.Settings settings = quick ? ChaosRun.Settings.quick(alg, kills, seed, workDir) : ChaosRun.Settings.full(alg, kills, seed, workDir);
            ChaosRun.Result r = new ChaosRun(pg, settings).run();
            System.out.print(r.report());
            results.add(r);
        }
        System.out.println();
        results.forEach(r -> System.out.println(r.summary()));
        System.out.flush();
        System.exit(results.stream().allMatch(ChaosRun.Result::passed) ? 0 : 1);
    }
}
