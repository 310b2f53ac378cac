#!/usr/bin/env bash
# Measures the embedded Kafka broker as `tlswatch kafka` runs it, over several fresh JVMs:
#   - broker start-up: format + KafkaRaftServer start until an Admin client sees it (the command's own figure)
#   - ready: process start until "Kafka ready" (JVM start + broker + every catalogue topic with leaders)
#   - heap in use after a full GC once ready, and the process's resident memory
#   - stop: SIGTERM until the process has exited (the same shutdown as Ctrl-C; a background job of a
#     non-interactive shell ignores SIGINT, so SIGINT cannot be used here)
# Prints one line per run and the medians. Usage: bench/broker-startup.sh [RUNS] (default 7).
set -euo pipefail

RUNS="${1:-7}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/launcher/target/tlswatch.jar"
JAVA_OPTS=(${BENCH_JAVA_OPTS:-})

"$ROOT/tlswatch" --version >/dev/null   # builds the launcher when needed

now_ms() { date +%s%3N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
printf '%-4s %12s %10s %14s %10s %9s\n' run broker_ms ready_ms heap_used_mib rss_mib stop_ms
for run in $(seq "$RUNS"); do
  port="$(free_port)"
  out="$(mktemp)"
  start="$(now_ms)"
  java "${JAVA_OPTS[@]}" -jar "$JAR" kafka --port "$port" >"$out" 2>&1 &
  pid=$!
  until grep -q "Kafka ready" "$out"; do
    kill -0 "$pid" 2>/dev/null || { echo "run $run: the broker exited:" >&2; cat "$out" >&2; exit 1; }
    sleep 0.02
  done
  ready=$(( $(now_ms) - start ))
  broker="$(sed -n 's/.*broker started in \([0-9]*\) ms.*/\1/p' "$out")"
  jcmd "$pid" GC.run >/dev/null
  heap_kib="$(jcmd "$pid" GC.heap_info | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1)"
  rss_kib="$(ps -o rss= -p "$pid" | tr -d ' ')"
  stop_start="$(now_ms)"
  kill -TERM "$pid"
  wait "$pid" || true
  stop=$(( $(now_ms) - stop_start ))
  grep -q "Kafka stopped." "$out" || { echo "run $run: no clean stop:" >&2; cat "$out" >&2; exit 1; }
  rm -f "$out"
  heap=$(( heap_kib / 1024 )); rss=$(( rss_kib / 1024 ))
  printf '%-4s %12s %10s %14s %10s %9s\n' "$run" "$broker" "$ready" "$heap" "$rss" "$stop"
  echo "$broker $ready $heap $rss $stop" >>"$results"
done
printf '%-4s %12s %10s %14s %10s %9s\n' median \
  "$(cut -d' ' -f1 "$results" | median)" "$(cut -d' ' -f2 "$results" | median)" \
  "$(cut -d' ' -f3 "$results" | median)" "$(cut -d' ' -f4 "$results" | median)" \
  "$(cut -d' ' -f5 "$results" | median)"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
