#!/usr/bin/env bash
# The validator against nginx on this machine, same certificate, same clients, one worker per core
# (nginx `worker_processes auto`; the validator's Netty with its defaults). Every figure is also a ratio
# against nginx (or, for events, against the validator with events off) measured in the same round; the
# summary gives the median of the rounds. Results: docs/benchmarks.md ("Validator against nginx").
#
#   hs_full     full TLS 1.3 handshakes per second on new connections: `openssl s_time -new` (never offers
#               a session), several clients in parallel, one GET per connection (the JWKS, same body on both)
#   hs_resumed  the same with `openssl s_time -reuse`, which offers its session on every connection; nginx
#               with its session cache and tickets on (the validator always resumes: Netty/BoringSSL issue
#               TLS 1.3 tickets and offer no setting to stop it)
#   ka_dpop     validations per second over K keep-alive connections with a DPoP proof each
#               (bench/validator/LoadClient.java, proofs signed before the clock starts), p50/p99 latency;
#               nginx answers a captured real validator answer, same size, to the same requests
#   ka_noproof  the same without proofs, with h2load (validator started with licenses.proofRequired=false)
#   events      the validator with events to Kafka on against off (events.enabled=false) for hs_full and
#               ka_dpop: on/off ratios
# Server CPU per handshake or request (utime+stime of the server's processes over the measured window) is
# reported beside each rate, and the Kafka broker's apart: what a core would sustain were the load generator
# not sharing the machine.
#
# Usage: bench/validator-vs-nginx.sh [ROUNDS]  (default 5). Environment (defaults in brackets):
#   BENCH_SECONDS [8] per run; BENCH_HS_CLIENTS [4] parallel s_time clients; BENCH_CONNECTIONS [8] keep-alive
#   connections; BENCH_WARMUP_SECONDS [60] of JIT warm-up per validator and kind of load; BENCH_MAX_PROOFS
#   [20000] proofs made per validator run (a run that uses them all ends early); BENCH_JAVA_OPTS for the
#   validators' JVMs; BENCH_OUT [a new temp dir] for logs and raw results (raw.tsv, machine.txt).
# Needs a JDK and Maven (the launcher is built when missing); installs nginx and h2load (nghttp2-client),
# curl and python3 with apt-get where missing.
set -euo pipefail

ROUNDS="${1:-5}"
SECONDS_PER_RUN="${BENCH_SECONDS:-8}"
HS_CLIENTS="${BENCH_HS_CLIENTS:-4}"
CONNECTIONS="${BENCH_CONNECTIONS:-8}"
WARMUP="${BENCH_WARMUP_SECONDS:-60}"
MAX_PROOFS="${BENCH_MAX_PROOFS:-20000}"
JAVA_OPTS=(${BENCH_JAVA_OPTS:-})
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/launcher/target/tlswatch.jar"
CP="$JAR:$ROOT/launcher/target/lib/*"
OUT="${BENCH_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/validator-vs-nginx.XXXXXX")}"
mkdir -p "$OUT"
CLK_TCK="$(getconf CLK_TCK)"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "validator-vs-nginx: $*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------------------------
missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v h2load >/dev/null || missing+=(nghttp2-client)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log "installing ${missing[*]} with apt-get"
  $SUDO apt-get update -qq
  # Installing nginx must not leave a system nginx running on port 80: policy-rc.d forbids starting services.
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  [ "$policy_added" = 0 ] || $SUDO rm -f /usr/sbin/policy-rc.d
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

"$ROOT/tlswatch" --version >/dev/null   # builds the launcher when needed
javac -nowarn -cp "$CP" -d "$OUT/classes" "$ROOT/bench/validator/LoadClient.java" 2>/dev/null \
  || die "LoadClient.java does not compile"

# --- processes: everything started here is stopped on exit, by its own pid --------------------------------
pids=()
nginx_master=""
cleanup() {
  set +e
  [ -n "$nginx_master" ] && kill -QUIT "$nginx_master" 2>/dev/null
  for (( i=${#pids[@]}-1; i>=0; i-- )); do kill -TERM "${pids[i]}" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  [ -n "$nginx_master" ] && while kill -0 "$nginx_master" 2>/dev/null; do sleep 0.1; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
await_line() { # FILE TEXT PID SECONDS
  local i
  for (( i=0; i<$4*10; i++ )); do
    grep -q "$2" "$1" && return 0
    kill -0 "$3" 2>/dev/null || { cat "$1" >&2; die "process $3 exited before '$2'"; }
    sleep 0.1
  done
  cat "$1" >&2; die "no '$2' within $4 s"
}
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }
# Every server must still be running: a figure measured against a stopped one would be meaningless.
alive() {
  local name
  for name in "${!watched[@]}"; do
    kill -0 "${watched[$name]}" 2>/dev/null \
      || die "$name (pid ${watched[$name]}) is no longer running: stopped from outside this script? (logs: $OUT)"
  done
}
declare -A watched
now_ns() { date +%s%N; }

# --- certificate: one ECDSA P-256 server certificate from a throw-away CA, for both servers ----------------
CERTS="$OUT/certs"; mkdir -p "$CERTS"
(
  cd "$CERTS"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
  openssl req -x509 -new -key ca.key -sha256 -days 7 -subj "/CN=tlswatch bench CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign -out ca.pem 2>/dev/null
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key 2>/dev/null
  openssl req -new -key server.key -subj "/CN=localhost" -out server.csr 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' > ext.cnf
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 7 -sha256 -extfile ext.cnf \
    -out server.pem 2>/dev/null
)

# --- Kafka, a license, three validators ---------------------------------------------------------------------
KPORT="$(free_port)"
java -jar "$JAR" kafka --port "$KPORT" >"$OUT/kafka.log" 2>&1 &
kafka_pid=$!; pids+=("$kafka_pid"); watched[kafka]=$kafka_pid
await_line "$OUT/kafka.log" "Kafka ready" "$kafka_pid" 120
log "Kafka on $KPORT"
KEY="$(java -jar "$JAR" licenses issue --customer bench --plan bench --valid-for P30D --max-machines 100000 \
  --bootstrap-servers "localhost:$KPORT" | grep -o 'TLSW-[A-Z0-9]*')"
[ -n "$KEY" ] || die "no license key issued"

declare -A VPORT VADMIN VPID
start_validator() { # NAME EVENTS PROOF_REQUIRED
  local name=$1 port admin
  port="$(free_port)"; admin="$(free_port)"
  cat >"$OUT/$name.conf" <<EOF
server.host=127.0.0.1
https.port=$port
admin.host=127.0.0.1
admin.port=$admin
server.publicUrl=https://localhost:$port
tls.certificate=$CERTS/server.pem
tls.privateKey=$CERTS/server.key
kafka.bootstrap.servers=localhost:$KPORT
events.enabled=$2
licenses.proofRequired=$3
node.name=bench-$name
EOF
  java "${JAVA_OPTS[@]}" -jar "$JAR" validator --config "$OUT/$name.conf" >"$OUT/$name.log" 2>&1 &
  VPID[$name]=$!; pids+=("${VPID[$name]}"); watched[$name]=${VPID[$name]}
  VPORT[$name]=$port; VADMIN[$name]=$admin
}
start_validator v_on true true
start_validator v_off false true
start_validator v_noproof true false
for v in v_on v_off v_noproof; do await_line "$OUT/$v.log" "Validator ready" "${VPID[$v]}" 120; done
provider="$(curl -s "http://127.0.0.1:${VADMIN[v_on]}/metrics" | sed -n 's/^tlswatch_tls_provider{provider="\([a-z]*\)".*/\1/p')"
[ "$provider" = openssl ] || log "warning: the validator runs on the '${provider:-unknown}' TLS provider, not OpenSSL (BoringSSL)"
log "validators: on ${VPORT[v_on]}, events off ${VPORT[v_off]}, no proof required ${VPORT[v_noproof]}"

loadclient() { # TIMEOUT_SECONDS ARGS...
  local limit=$1; shift
  timeout "$limit" java -cp "$OUT/classes:$CP" LoadClient --ca="$CERTS/ca.pem" --license="$KEY" --clock-ticks="$CLK_TCK" "$@"
}
validate_url() { echo "https://localhost:$1/v1/licenses/validate"; }

# --- nginx: the same answers, captured from the validator ---------------------------------------------------
loadclient 120 --url="$(validate_url "${VPORT[v_on]}")" --dpop-htu="$(validate_url "${VPORT[v_on]}")" --connections=1 \
  --seconds=10 --max-requests=1 --expect='"code":"VALID"' --sample-out="$OUT/answer.json" >/dev/null 2>"$OUT/sample.err" \
  || { cat "$OUT/sample.err" >&2; die "the validator did not answer VALID"; }
curl -sf --cacert "$CERTS/ca.pem" "https://localhost:${VPORT[v_on]}/.well-known/jwks.json" >"$OUT/jwks.json"
grep -q "['\\\\\$]" "$OUT/answer.json" "$OUT/jwks.json" && die "the captured answers cannot be quoted for nginx"
printf '{"licenseKey":"%s","clientId":"bench-h2load","sdk":{"name":"tlswatch-bench","version":"1"}}' "$KEY" >"$OUT/body.json"

NFULL="$(free_port)"; NRES="$(free_port)"
mkdir -p "$OUT/nginx/logs"
locations="location = /v1/licenses/validate { default_type application/json; add_header Cache-Control no-store always; return 200 '$(cat "$OUT/answer.json")'; }
    location = /.well-known/jwks.json { default_type application/json; return 200 '$(cat "$OUT/jwks.json")'; }
    location / { return 404; }"
cat >"$OUT/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/logs/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  server_tokens off;
  keepalive_requests 10000000;
  keepalive_timeout 60s;
  client_body_buffer_size 64k;
  ssl_certificate $CERTS/server.pem;
  ssl_certificate_key $CERTS/server.key;
  # The validator's defaults: Mozilla intermediate.
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
  ssl_prefer_server_ciphers off;
  ssl_ecdh_curve X25519:prime256v1:secp384r1;
  server {
    listen 127.0.0.1:$NFULL ssl backlog=1024;
    ssl_session_cache off;
    ssl_session_tickets off;
    $locations
  }
  server {
    listen 127.0.0.1:$NRES ssl backlog=1024;
    ssl_session_cache shared:SSL:10m;
    ssl_session_tickets on;
    $locations
  }
}
EOF
"$NGINX" -t -q -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx/" || die "nginx refused the configuration"
"$NGINX" -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx/"
for _ in $(seq 50); do [ -s "$OUT/nginx/nginx.pid" ] && break; sleep 0.1; done
nginx_master="$(cat "$OUT/nginx/nginx.pid")"
sleep 0.5
nginx_workers="$(pgrep -P "$nginx_master" | tr '\n' ' ')"
watched[nginx]=$nginx_master
log "nginx on $NFULL (no resumption) and $NRES (session cache and tickets), workers: $nginx_workers"

# --- checks: what each handshake negotiates, and which servers resume -----------------------------------------
tls_facts() { # PORT -> "protocol cipher group first/second"
  local port=$1 sess="$OUT/sess.$1" first second
  first="$(timeout 10 openssl s_client -connect "127.0.0.1:$port" -servername localhost -CAfile "$CERTS/ca.pem" \
    -sess_out "$sess" -ign_eof 2>/dev/null <<<$'GET /.well-known/jwks.json HTTP/1.0\r\n\r\n')" || true
  second="$(timeout 10 openssl s_client -connect "127.0.0.1:$port" -servername localhost -CAfile "$CERTS/ca.pem" \
    -sess_in "$sess" -ign_eof 2>/dev/null <<<$'GET /.well-known/jwks.json HTTP/1.0\r\n\r\n')" || true
  echo "$(grep -m1 -o '^New, [^,]*, Cipher is [A-Z0-9_]*' <<<"$first" | sed 's/, Cipher is / /; s/New, //')" \
    "$(grep -m1 -o 'Server Temp Key: [^,]*' <<<"$first" | sed 's/Server Temp Key: //')" \
    "verify=$(grep -m1 -o 'Verify return code: [0-9]*' <<<"$first" | grep -o '[0-9]*$')" \
    "second-connection=$(grep -m1 -o -E '^(New|Reused)' <<<"$second")"
}
{
  echo "nginx (no resumption) : $(tls_facts "$NFULL")"
  echo "nginx (resumption)    : $(tls_facts "$NRES")"
  echo "validator             : $(tls_facts "${VPORT[v_on]}")"
} | tee "$OUT/tls-facts.txt" >&2

# --- one measurement each: every function prints "rate p50_us p99_us server_cpu_us broker_cpu_us" (CPU per
# handshake or request, of the server's processes and of the Kafka broker's, over the measured window) -------
RAW="$OUT/raw.tsv"
printf 'round\ttest\tserver\trate\tp50_us\tp99_us\tserver_cpu_us\tbroker_cpu_us\n' >"$RAW"
record() { # ROUND TEST SERVER "RESULT"
  local rate p50 p99 cpu broker
  read -r rate p50 p99 cpu broker <<<"$4"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$rate" "$p50" "$p99" "$cpu" "$broker" >>"$RAW"
  log "round $1 $2 $3: $rate/s, p50 $p50 us, p99 $p99 us, CPU each: server $cpu us, Kafka broker $broker us"
}

# handshakes SECONDS PORT new|reuse SERVER_PIDS...: HS_CLIENTS s_time clients in parallel (no latency figures)
handshakes() {
  local secs=$1 port=$2 mode=$3; shift 3
  local c0 c1 k0 k1 t0 t1 n i clients=() files=()
  alive
  c0="$(cpu_ticks "$@")"; k0="$(cpu_ticks "$kafka_pid")"; t0="$(now_ns)"
  for (( i=0; i<HS_CLIENTS; i++ )); do
    files+=("$OUT/stime.$i")
    timeout $((secs + 60)) openssl s_time -connect "127.0.0.1:$port" -tls1_3 "-$mode" -time "$secs" -www /.well-known/jwks.json \
      >"$OUT/stime.$i" 2>&1 &
    clients+=($!)
  done
  for i in "${clients[@]}"; do wait "$i" || { cat "${files[@]}" >&2; die "s_time failed on port $port"; }; done
  t1="$(now_ns)"; c1="$(cpu_ticks "$@")"; k1="$(cpu_ticks "$kafka_pid")"
  n="$(awk '/connections in .* real seconds/ {s+=$1} END {print s+0}' "${files[@]}")"
  if grep -q 'ERROR' "${files[@]}" || [ "$n" -eq 0 ]; then cat "${files[@]}" >&2; die "s_time failed on port $port"; fi
  python3 -c 'import sys; n,t0,t1,c0,c1,k0,k1,hz=map(int,sys.argv[1:]); print(f"{n*1e9/(t1-t0):.1f} - - {(c1-c0)*1e6/hz/n:.0f} {(k1-k0)*1e6/hz/n:.0f}")' \
    "$n" "$t0" "$t1" "$c0" "$c1" "$k0" "$k1" "$CLK_TCK"
}

# keepalive_dpop SECONDS PORT validator|nginx SERVER_PIDS...: the load client, a DPoP proof per request
keepalive_dpop() {
  local secs=$1 port=$2 kind=$3; shift 3
  local url line args=()
  url="$(validate_url "$port")"
  alive
  if [ "$kind" = validator ]; then
    args=(--max-requests="$MAX_PROOFS" --expect='"code":"VALID"')
  else
    # nginx ignores the proofs, so a few thousand may repeat: the same requests, without the signing wait.
    args=(--max-requests=4000 --cycle=true)
  fi
  line="$(loadclient $((secs + 180)) --url="$url" --dpop-htu="$url" --connections="$CONNECTIONS" --seconds="$secs" "${args[@]}" \
    --cpu-pids="$(echo "$@" | tr ' ' ',')" --broker-pids="$kafka_pid" 2>"$OUT/loadclient.err" | grep '^RESULT')" \
    || { cat "$OUT/loadclient.err" >&2; die "the load client failed against $url"; }
  grep -q ' errors=0 ' <<<"$line" || { cat "$OUT/loadclient.err" >&2; die "errors against $url: $line"; }
  awk '{for (i=2;i<=NF;i++) {split($i,kv,"="); v[kv[1]]=kv[2]} print v["rps"], v["p50_us"], v["p99_us"], v["server_cpu_us_per_req"], v["broker_cpu_us_per_req"]}' <<<"$line"
}

# keepalive_h2load SECONDS PORT SERVER_PIDS...: h2load, the same body without proofs; p50/p99 from its log
keepalive_h2load() {
  local secs=$1 port=$2; shift 2
  local c0 c1 k0 k1 out
  alive
  rm -f "$OUT/h2load.log"
  c0="$(cpu_ticks "$@")"; k0="$(cpu_ticks "$kafka_pid")"
  out="$(timeout $((secs + 60)) h2load --h1 -c "$CONNECTIONS" -t 1 -D "$secs" -d "$OUT/body.json" -H 'Content-Type: application/json' \
    --log-file="$OUT/h2load.log" "$(validate_url "$port")" 2>&1)" || { echo "$out" >&2; die "h2load failed on $port"; }
  c1="$(cpu_ticks "$@")"; k1="$(cpu_ticks "$kafka_pid")"
  if ! grep -q ' 0 failed, 0 errored' <<<"$out" || ! grep -q 'status codes: [0-9]* 2xx, 0 3xx, 0 4xx, 0 5xx' <<<"$out"; then
    echo "$out" >&2; die "h2load saw failures on $port"
  fi
  python3 - "$OUT/h2load.log" "$c0" "$c1" "$k0" "$k1" "$CLK_TCK" "$out" <<'PY'
import re, sys
lat = sorted(int(l.split('\t')[2]) for l in open(sys.argv[1]) if l.strip())
c0, c1, k0, k1, hz, out = *map(int, sys.argv[2:7]), sys.argv[7]
rps = float(re.search(r'finished in [^,]*, ([0-9.]+) req/s', out).group(1))
done = int(re.search(r'requests: \d+ total, \d+ started, (\d+) done', out).group(1))
pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))]
print(f"{rps:.1f} {pct(50)} {pct(99)} {(c1 - c0) * 1e6 / hz / max(done, 1):.0f} {(k1 - k0) * 1e6 / hz / max(done, 1):.0f}")
PY
}

# --- warm-up: the validators' JIT (a cold JVM runs several times slower); nginx briefly, alike ---------------
log "warming up: ${WARMUP} s of handshakes and ${WARMUP} s of validations per validator"
for v in v_on v_off; do
  handshakes "$WARMUP" "${VPORT[$v]}" new "${VPID[$v]}" >/dev/null
  keepalive_dpop "$WARMUP" "${VPORT[$v]}" validator "${VPID[$v]}" >/dev/null
done
keepalive_h2load "$WARMUP" "${VPORT[v_noproof]}" "${VPID[v_noproof]}" >/dev/null
handshakes 3 "$NFULL" new $nginx_workers >/dev/null
keepalive_dpop 3 "$NFULL" nginx $nginx_workers >/dev/null

# --- rounds ------------------------------------------------------------------------------------------------
S=$SECONDS_PER_RUN
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for (( r=1; r<=ROUNDS; r++ )); do
  # Alternate which server goes first, so that a drift in the machine's load favours neither.
  if (( r % 2 )); then order=(nginx v_on v_off); else order=(v_off v_on nginx); fi
  for s in "${order[@]}"; do
    if [ "$s" = nginx ]; then res="$(handshakes "$S" "$NFULL" new $nginx_workers)"
    else res="$(handshakes "$S" "${VPORT[$s]}" new "${VPID[$s]}")"; fi
    record "$r" hs_full "$s" "$res"
  done
  for s in "${order[@]}"; do
    case $s in
      nginx) res="$(handshakes "$S" "$NRES" reuse $nginx_workers)" ;;
      v_on) res="$(handshakes "$S" "${VPORT[v_on]}" reuse "${VPID[v_on]}")" ;;
      *) continue ;;
    esac
    record "$r" hs_resumed "$s" "$res"
  done
  for s in "${order[@]}"; do
    if [ "$s" = nginx ]; then res="$(keepalive_dpop "$S" "$NFULL" nginx $nginx_workers)"
    else res="$(keepalive_dpop "$S" "${VPORT[$s]}" validator "${VPID[$s]}")"; fi
    record "$r" ka_dpop "$s" "$res"
  done
  for s in "${order[@]}"; do
    case $s in
      nginx) res="$(keepalive_h2load "$S" "$NFULL" $nginx_workers)" ;;
      v_on) res="$(keepalive_h2load "$S" "${VPORT[v_noproof]}" "${VPID[v_noproof]}")"; s=v_noproof ;;
      *) continue ;;
    esac
    record "$r" ka_noproof "$s" "$res"
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- summary -----------------------------------------------------------------------------------------------
{
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB," \
    "$(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1); validator JVM options: ${BENCH_JAVA_OPTS:-none}"
  echo "kafka: $(ls "$ROOT/launcher/target/lib" | grep -o -m1 'kafka-clients-[0-9.]*' | sed 's/kafka-clients-//; s/\.$//') (embedded broker on this machine)"
  echo "validator TLS provider: $provider"
  echo "netty: $(ls "$ROOT/launcher/target/lib" | grep -o -m1 'netty-handler-[0-9A-Za-z.]*' | sed 's/netty-handler-//; s/\.jar$//'), tcnative $(ls "$ROOT/launcher/target/lib" | grep -o -m1 'netty-tcnative-classes-[0-9A-Za-z.]*' | sed 's/netty-tcnative-classes-//; s/\.jar$//') (BoringSSL)"
  echo "nginx: $("$NGINX" -v 2>&1 | sed 's/nginx version: //') with $(openssl version | cut -d' ' -f1-2); h2load: $(h2load --version | sed 's/h2load //')"
  echo "load average (1/5/15 min) before the rounds: $load_before; after: $load_after"
  echo "runs: $ROUNDS rounds of $SECONDS_PER_RUN s; $HS_CLIENTS s_time clients; $CONNECTIONS keep-alive connections; warm-up $WARMUP s"
  cat "$OUT/tls-facts.txt"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt"
python3 - "$RAW" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
names = {'nginx': 'nginx', 'v_on': 'validator', 'v_off': 'validator, events off',
         'v_noproof': 'validator, proofRequired=false'}
med = statistics.median
def col(rs, field):
    return [float(r[field]) for r in rs if r.get(field) not in (None, '-', '')]
def fmt(xs):
    return f"{med(xs):,.0f}" if xs else '-'
by = {}
for r in rows:
    by.setdefault((r['test'], r['server']), []).append(r)
print()
print('| test | server | per second, median | each run | p50 µs | p99 µs | server CPU µs each | Kafka broker CPU µs each |')
print('|---|---|---|---|---|---|---|---|')
for (test, server), rs in by.items():
    rates = col(rs, 'rate')
    print(f"| {test} | {names[server]} | {fmt(rates)} | {', '.join(f'{x:.0f}' for x in rates)} | "
          f"{fmt(col(rs, 'p50_us'))} | {fmt(col(rs, 'p99_us'))} | {fmt(col(rs, 'server_cpu_us'))} | "
          f"{fmt(col(rs, 'broker_cpu_us'))} |")
def ratios(test, a, b, field):
    out = []
    for rd in sorted({r['round'] for r in rows}, key=int):
        pick = lambda s: [float(r[field]) for r in rows if r['round'] == rd and r['test'] == test and r['server'] == s]
        x, y = pick(a), pick(b)
        if x and y and y[0] > 0:
            out.append(x[0] / y[0])
    return out
print()
print('| ratio, per round then median | rate ratio | each round | CPU-per-operation ratio (b/a) |')
print('|---|---|---|---|')
for label, test, a, b in [
        ('full TLS 1.3 handshakes/s, validator / nginx', 'hs_full', 'v_on', 'nginx'),
        ('resumed TLS 1.3 handshakes/s, validator / nginx', 'hs_resumed', 'v_on', 'nginx'),
        ('validations/s with DPoP, validator / nginx', 'ka_dpop', 'v_on', 'nginx'),
        ('validations/s without proof, validator / nginx', 'ka_noproof', 'v_noproof', 'nginx'),
        ('full handshakes/s, events on / off', 'hs_full', 'v_on', 'v_off'),
        ('validations/s with DPoP, events on / off', 'ka_dpop', 'v_on', 'v_off')]:
    rs = ratios(test, a, b, 'rate')
    # Server CPU of b over a: the capacity ratio per core, were the load generator not sharing the machine.
    cpu = ratios(test, b, a, 'server_cpu_us')
    if rs:
        print(f"| {label} | {med(rs):.2f} | {', '.join(f'{x:.2f}' for x in rs)} | {med(cpu):.2f} |")
EOF
log "raw figures and logs in $OUT"
