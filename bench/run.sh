#!/usr/bin/env bash
# bench/run.sh                 the whole benchmark (docs/benchmarks.md): builds the packaged application
#                              once, runs every workload against it (io.pgforce.bench.Bench) and writes
#                              bench/results/latest.json and latest.md; sizes by -Dbench.<name>=N in
#                              BENCH_OPTS, e.g. BENCH_OPTS="-Dbench.memoryRows=300000" bench/run.sh
# bench/run.sh Bench --smoke   the same with the test suite's tiny sizes (results in target/bench-smoke)
# bench/run.sh SimulatorBench  one benchmark class of bench/src, with its arguments
set -euo pipefail
cd "$(dirname "$0")/.."
started_ms=$(($(date +%s%N) / 1000000))
name="${1:-Bench}"
shift || true
args="$*"
if [ "$name" = "Bench" ]; then
  if [ "$args" = "--smoke" ]; then
    args="--smoke --out target/bench-smoke"
  fi
  # one Maven run: the package, then the benchmark in the same JVM (started_ms splits build and run)
  # the image profile (on where buildah is installed) is no part of a benchmark: its exec step would also take exec.args
  goals=(package -DskipTests -Dpgforce.image.skip=true)
else
  goals=(test-compile)
fi
# shellcheck disable=SC2086 # BENCH_OPTS is a list of -D options
./mvnw -q -B "${goals[@]}" exec:java -Dexec.classpathScope=test -Dexec.mainClass="io.pgforce.bench.$name" \
  -Dexec.cleanupDaemonThreads=false -Dexec.args="$args" -Dbench.startedAtMillis="$started_ms" ${BENCH_OPTS:-}
echo "bench/run.sh $name: $(( ($(date +%s%N) / 1000000 - started_ms) / 1000 )) s in all"
