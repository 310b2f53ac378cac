#!/usr/bin/env bash
# The collector against the raw Kafka producer, on one broker, in the same run: reports per second acknowledged
# over HTTP (the collector answers 202 only once Kafka has acknowledged, acks=all) one report per request and in
# batches of 100, against a KafkaProducer with the collector's settings writing the same events (the same JSON,
# the same topic) as fast as it can. Each round measures the three back to back; the ratios of a round are
# against that round's raw figure, and the summary gives the median of the rounds. Results: docs/benchmarks.md
# ("Collector against the raw producer"). Every load runs in a JVM of its own that loads for 5 s before it measures,
# so that its JIT is warm too.
#
# Usage: bench/collector-vs-producer.sh [ROUNDS]  (default 3). Environment (defaults in brackets):
#   BENCH_SECONDS [10] per run; BENCH_WARMUP_SECONDS [20] of JIT warm-up per kind of load; BENCH_THREADS_SINGLE
#   [16] and BENCH_THREADS_BATCH [16] client threads (one request at a time each, keep-alive); BENCH_JAVA_OPTS
#   for the collector's JVM; BENCH_OUT [a new temp dir] for logs.
# Needs a JDK and Maven (the launcher is built when missing) and python3.
set -euo pipefail

ROUNDS="${1:-3}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
WARMUP="${BENCH_WARMUP_SECONDS:-20}"
THREADS_SINGLE="${BENCH_THREADS_SINGLE:-16}"
THREADS_BATCH="${BENCH_THREADS_BATCH:-16}"
JAVA_OPTS=(${BENCH_JAVA_OPTS:-})
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/launcher/target/tlswatch.jar"
CP="$JAR:$ROOT/launcher/target/lib/*"
OUT="${BENCH_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/collector-vs-producer.XXXXXX")}"
mkdir -p "$OUT"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "collector-vs-producer: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
wait_for() { # file, text, pid
  for _ in $(seq 1200); do
    grep -q "$2" "$1" && return 0
    kill -0 "$3" 2>/dev/null || { cat "$1" >&2; die "process $3 exited"; }
    sleep 0.1
  done
  die "no '$2' in $1"
}

"$ROOT/tlswatch" --version >/dev/null   # builds the launcher when needed
mkdir -p "$OUT/classes"
javac -nowarn -cp "$CP" -d "$OUT/classes" "$ROOT/bench/collector/CollectorLoad.java" || die "CollectorLoad.java does not compile"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

KPORT="$(free_port)"
log "Kafka on port $KPORT"
java -jar "$JAR" kafka --port "$KPORT" >"$OUT/kafka.log" 2>&1 &
pids+=($!)
wait_for "$OUT/kafka.log" "Kafka ready" "${pids[-1]}"

HPORT="$(free_port)"
cat >"$OUT/collector.conf" <<CONF
server.host=127.0.0.1
http.port=$HPORT
https.port=-1
admin.host=127.0.0.1
admin.port=$(free_port)
reports.maxBatchCount=100
limits.perAddress.perSecond=1000000
limits.perAddress.burst=1000000
limits.perClient.perSecond=1000000
limits.perClient.burst=1000000
kafka.bootstrap.servers=localhost:$KPORT
CONF
log "collector on port $HPORT"
java "${JAVA_OPTS[@]}" -jar "$JAR" collector --config "$OUT/collector.conf" >"$OUT/collector.log" 2>&1 &
pids+=($!)
wait_for "$OUT/collector.log" "Collector ready" "${pids[-1]}"

URL="http://127.0.0.1:$HPORT/v1/reports"
load() { java -cp "$OUT/classes:$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn CollectorLoad "$@" 2>>"$OUT/load.log" \
  | sed -n 's/^reports_per_s=\([0-9]*\) errors=\([0-9]*\)$/\1 \2/p'; }

log "warm-up: ${WARMUP}s per kind of load"
load http --url="$URL" --batch=100 --threads="$THREADS_BATCH" --seconds="$WARMUP" >/dev/null
load http --url="$URL" --batch=1 --threads="$THREADS_SINGLE" --seconds="$WARMUP" >/dev/null
load raw --bootstrap="localhost:$KPORT" --seconds="$WARMUP" >/dev/null

printf '%-6s %10s %12s %12s %14s %14s %8s\n' round raw_rps single_rps batch100_rps single/raw batch100/raw errors | tee "$OUT/results.txt"
for round in $(seq "$ROUNDS"); do
  read -r raw raw_err < <(load raw --bootstrap="localhost:$KPORT" --seconds="$SECONDS_PER_RUN" --warmup=5)
  read -r single single_err < <(load http --url="$URL" --batch=1 --threads="$THREADS_SINGLE" --seconds="$SECONDS_PER_RUN" --warmup=5)
  read -r batch batch_err < <(load http --url="$URL" --batch=100 --threads="$THREADS_BATCH" --seconds="$SECONDS_PER_RUN" --warmup=5)
  printf '%-6s %10s %12s %12s %14.3f %14.3f %8s\n' "$round" "$raw" "$single" "$batch" \
    "$(python3 -c "print($single/$raw)")" "$(python3 -c "print($batch/$raw)")" "$((raw_err + single_err + batch_err))" \
    | tee -a "$OUT/results.txt"
done
col() { awk -v c="$1" 'NR>1 {print $c}' "$OUT/results.txt" | median; }
printf '%-6s %10s %12s %12s %14s %14s\n' median "$(col 2)" "$(col 3)" "$(col 4)" "$(col 5)" "$(col 6)" | tee -a "$OUT/results.txt"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); load generator, collector and broker on the same machine"
log "logs in $OUT"
