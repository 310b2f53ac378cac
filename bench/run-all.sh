#!/usr/bin/env bash
# Runs every benchmark of bench/ and writes their results into docs/benchmarks.md, between the markers
# <!-- run-all:begin --> and <!-- run-all:end --> (replaced on every run), with the machine described:
#
#   validator   bench/validator-vs-nginx.sh [BENCH_VALIDATOR_ROUNDS, 3]   validator against nginx (ratios)
#   collector   bench/collector-vs-producer.sh [BENCH_COLLECTOR_ROUNDS, 3] collector against the raw producer
#   streams     bench/streams-throughput.sh [BENCH_STREAMS_EVENTS, 100000]  streams throughput, alert latency
#   jmh         the JMH microbenchmarks of bench/jmh (ClientHello parsing and fingerprints, token signing and
#               verification with EdDSA and ES256, DPoP proof signing and verification)
#
# Each script keeps its own environment variables (see its header). The service benchmarks report ratios
# against a reference measured in the same run; their summaries are copied as they print them. JMH figures are
# absolute (operations per second, with JMH's 99.9 % error): compare them on one machine only.
#
# Usage: bench/run-all.sh [SUITE...]   (default: all four; e.g. `bench/run-all.sh jmh` runs JMH only)
# Environment: BENCH_JMH_ARGS [-wi 3 -w 2s -i 5 -r 2s -f 1] passed to JMH; BENCH_OUT [a new temp dir].
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${BENCH_OUT:-$(mktemp -d /tmp/tlswatch-bench.XXXXXX)}
mkdir -p "$OUT"
SUITES=("$@")
[ ${#SUITES[@]} -eq 0 ] && SUITES=(validator collector streams jmh)
DOC=docs/benchmarks.md

machine() {
  echo "- when: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- CPU: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "- memory: $(free -g | awk '/^Mem:/ {print $2}') GiB; $(uname -sr)"
  echo "- Java: $(java -version 2>&1 | head -1)"
  echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores; the machine is shared with other work)"
}

MACHINE=$(machine)
SECTIONS=""

run_script() { # name script args...
  local name=$1; shift
  echo "== $name: $*" >&2
  # Each script gets a directory of its own for its raw files: sharing $OUT, the collector script's
  # collector.log was this summary's file too, and the two writers garbled each other.
  if BENCH_OUT="$OUT/$name" "$@" > "$OUT/$name.log" 2>&1; then
    SECTIONS+=$'\n'"### $name (\`$*\`)"$'\n\n```\n'"$(tail -n 25 "$OUT/$name.log")"$'\n```\n'
  else
    SECTIONS+=$'\n'"### $name (\`$*\`)"$'\n\nFailed; see the log. Last lines:\n\n```\n'"$(tail -n 10 "$OUT/$name.log")"$'\n```\n'
  fi
}

run_jmh() {
  echo "== jmh" >&2
  mvn -B -q -Pbench -pl bench/jmh -am package -DskipTests > "$OUT/jmh-build.log" 2>&1
  # shellcheck disable=SC2086
  java -jar bench/jmh/target/benchmarks.jar ${BENCH_JMH_ARGS:--wi 3 -w 2s -i 5 -r 2s -f 1} \
    -rf csv -rff "$OUT/jmh.csv" > "$OUT/jmh.log" 2>&1
  local table
  table=$(python3 - "$OUT/jmh.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
params = [k for k in (rows[0].keys() if rows else []) if k.startswith("Param: ")]
print("| benchmark | parameters | ops/s | ± (99.9 %) | µs/op |")
print("|---|---|---:|---:|---:|")
for r in rows:
    score = float(r["Score"]); err = float(r["Score Error (99.9%)"] or 0)
    p = ", ".join(f'{k[7:]}={r[k]}' for k in params if r.get(k))
    name = r["Benchmark"].replace("io.tlswatch.bench.jmh.", "")
    print(f"| `{name}` | {p} | {score:,.0f} | {err:,.0f} | {1e6 / score:,.1f} |")
PY
)
  SECTIONS+=$'\n'"### JMH microbenchmarks (\`java -jar bench/jmh/target/benchmarks.jar ${BENCH_JMH_ARGS:--wi 3 -w 2s -i 5 -r 2s -f 1}\`)"$'\n\n'"$table"$'\n'
}

for suite in "${SUITES[@]}"; do
  case $suite in
    validator) run_script validator bench/validator-vs-nginx.sh "${BENCH_VALIDATOR_ROUNDS:-3}" ;;
    collector) run_script collector bench/collector-vs-producer.sh "${BENCH_COLLECTOR_ROUNDS:-3}" ;;
    streams) run_script streams bench/streams-throughput.sh "${BENCH_STREAMS_EVENTS:-100000}" ;;
    jmh) run_jmh ;;
    *) echo "unknown suite $suite (validator, collector, streams, jmh)" >&2; exit 2 ;;
  esac
done

MACHINE+=$'\n'"- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
BLOCK="<!-- run-all:begin -->"$'\n'"## Latest bench/run-all.sh ($(IFS=,; echo "${SUITES[*]}"))"$'\n\n'"$MACHINE"$'\n'"$SECTIONS"$'\n'"<!-- run-all:end -->"
python3 - "$DOC" "$BLOCK" <<'PY'
import re, sys
path, block = sys.argv[1], sys.argv[2]
text = open(path).read()
pattern = re.compile(r"<!-- run-all:begin -->.*?<!-- run-all:end -->", re.S)
text = pattern.sub(lambda m: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block + "\n"
open(path, "w").write(text)
PY
echo "Results in $DOC; logs in $OUT" >&2
