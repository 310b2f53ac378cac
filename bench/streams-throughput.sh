#!/usr/bin/env bash
# Measures the posture job (one instance, exactly-once, RocksDB state) on the embedded broker, in one JVM
# (bench/streams/StreamsBench.java):
#   - sustained events/s through the job, against the raw Kafka producer alone on the same event set in the
#     same run (the ratio is the figure to compare between machines);
#   - latency from a failed handshake's event time to the alert it causes on tlswatch.alerts.v1 (p50, p99),
#     with alerts.minHold=0 (a configured hold adds exactly itself, in event time);
#   - after a warm-up of WARM_UP events (other clients, default as many as EVENTS): CPU microseconds per event by
#     thread group (stream threads, the job's producer I/O, broker, JIT, GC, RocksDB, the bench's own client,
#     other) and the offsets the job wrote per input event, per internal and output topic.
# Usage: bench/streams-throughput.sh [EVENTS] [LATENCY_CLIENTS] [WARM_UP]   (defaults 100000, 200 and EVENTS)
# BENCH_COMMIT_INTERVAL_MS sets the job's kafka.commit.interval.ms (default 100: Kafka Streams' default under
# exactly-once): larger trades alert latency for throughput.
# BENCH_DEBUG=1 prints the job's lag per topic while it drains (where the time goes).
set -euo pipefail

EVENTS="${1:-100000}"
LATENCY_CLIENTS="${2:-200}"
WARM_UP="${3:-$EVENTS}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/launcher/target/tlswatch.jar"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

"$ROOT/tlswatch" --version >/dev/null   # builds the launcher when needed
CP="$JAR:$ROOT/launcher/target/lib/*"
javac -nowarn -cp "$CP" -d "$OUT/classes" "$ROOT/bench/streams/StreamsBench.java"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
java ${BENCH_JAVA_OPTS:-} -cp "$OUT/classes:$CP" StreamsBench "$EVENTS" "$LATENCY_CLIENTS" "$WARM_UP" 2>"$OUT/stderr.log" \
  || { echo "the benchmark failed:" >&2; tail -50 "$OUT/stderr.log" >&2; exit 1; }
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
