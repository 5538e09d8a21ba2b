#!/usr/bin/env bash
# The chaos suite: bench/chaos.sh [--kills N] [--algorithm ordered|merged|both] [--seed S] [--quick] [--workdir DIR]
# Builds the packaged application, starts a throw-away PostgreSQL cluster (Debian's postgresql,
# installed when missing) on a free port on 127.0.0.1, runs io.pgforce.bench.ChaosMain against it
# (the application and the simulator each in their own process; SIGKILLs, Salesforce faults, then
# the checks), and removes the cluster. Exits non-zero when a check fails. See docs/chaos.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing Debian's postgresql package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# PostgreSQL refuses to run as root: run the cluster as the postgres OS user.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  as_pg=(runuser -u postgres --)
fi

tmp=$(mktemp -d /tmp/pgforce-chaos-pg.XXXXXX)
chmod 755 "$tmp"
cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
[ ${#as_pg[@]} -eq 0 ] || chown postgres: "$tmp"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$((20000 + RANDOM % 20000))
while ! port_free "$port"; do port=$((20000 + RANDOM % 20000)); done

"${as_pg[@]}" "$pgbin/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$tmp/initdb.log"
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/postgres.log" -w \
  -o "-p $port -h 127.0.0.1 -k $tmp -c fsync=off -c max_connections=100" start >/dev/null
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $tmp/data)"

./mvnw -q -B package -DskipTests -Dpgforce.image.skip=true  # the image is no part of the chaos run
./mvnw -q -B test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.pgforce.bench.ChaosMain \
  -Dexec.cleanupDaemonThreads=false \
  -Dexec.args="--db-url jdbc:postgresql://127.0.0.1:$port/ --db-user postgres --pg-log $tmp/postgres.log $*"
