#!/usr/bin/env bash
# Runs one benchmark: bench/run.sh SimulatorBench | WriteBench | CaptureCost [arguments of its main]
# WriteBench drives the packaged application, so the jar is built first.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: bench/run.sh SimulatorBench|WriteBench|CaptureCost [arguments]}"
shift
if [ "$name" = "WriteBench" ]; then
  mvn -q -B package -DskipTests
fi
mvn -q -B test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass="io.pgforce.bench.$name" -Dexec.cleanupDaemonThreads=false -Dexec.args="$*"
