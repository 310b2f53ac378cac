#!/usr/bin/env bash
# Captures the ClientHello of each client below into ../NAME.hex (see ../README.md).
# Usage: capture_all.sh [NAME...]
# Needs: python3, curl, openssl, a JDK 17 (java on PATH or JAVA17), optionally a JDK 25 (JAVA25).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(dirname "$here")"
port="${PORT:-47443}"
java17="${JAVA17:-java}"
java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"

# With arguments, only the captures so named are (re)made.
only=" $* "
capture() {
    local name="$1"; shift
    if [ "$only" != "  " ] && [[ "$only" != *" $name "* ]]; then return 0; fi
    local ready; ready="$(mktemp -u)"
    python3 "$here/capture.py" "$port" "$out/$name.hex" --ready "$ready" &
    local pid=$!
    for _ in $(seq 100); do [ -e "$ready" ] && break; sleep 0.05; done
    ( "$@" ) </dev/null >/dev/null 2>&1 || true
    wait "$pid"
    rm -f "$ready"
    echo "$name: $(tr -d '\n' < "$out/$name.hex" | wc -c | awk '{print $1/2}') bytes"
}

capture curl-7.88-openssl-3.0            curl -sk --max-time 5 "https://127.0.0.1:$port/"
capture curl-7.88-openssl-3.0-sni        curl -sk --max-time 5 --resolve "license.example.com:$port:127.0.0.1" "https://license.example.com:$port/"
capture openssl-3.0-default              openssl s_client -connect "127.0.0.1:$port"
capture openssl-3.0-tls1_2               openssl s_client -connect "127.0.0.1:$port" -tls1_2
capture openssl-3.0-tls1_3               openssl s_client -connect "127.0.0.1:$port" -tls1_3
capture openssl-3.0-tls1-seclevel0       openssl s_client -connect "127.0.0.1:$port" -tls1 -cipher 'DEFAULT@SECLEVEL=0'
capture openssl-3.0-tls1_1-seclevel0     openssl s_client -connect "127.0.0.1:$port" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'
capture openssl-3.0-alpn                 openssl s_client -connect "127.0.0.1:$port" -alpn h2,http/1.1
capture openssl-3.0-servername           openssl s_client -connect "127.0.0.1:$port" -servername example.com
# A ClientHello split over several TLS records: a long ALPN list pushes it past 512 bytes,
# and -max_send_frag 512 makes OpenSSL cut its records there.
capture openssl-3.0-fragmented           openssl s_client -connect "127.0.0.1:$port" -servername example.com -max_send_frag 512 \
    -alpn "h2,http/1.1,$(printf 'protocol-%02d,' $(seq 1 40))x"
capture jdk17-httpsurlconnection         "$java17" "$here/HelloClient.java" url "$port"
capture jdk17-sslsocket-sni-alpn         "$java17" "$here/HelloClient.java" socket "$port" license.example.com
capture jdk17-tls1-only                  "$java17" -Djava.security.properties="$here/tls1.security" -Djdk.tls.client.protocols=TLSv1 \
    "$here/HelloClient.java" url "$port"
# JDK 17 still sends an SSLv2-compatible ClientHello (RFC 5246 appendix E.2) when asked to.
capture jdk17-sslv2hello-tls1            "$java17" -Djava.security.properties="$here/tls1.security" \
    -Djdk.tls.client.protocols=SSLv2Hello,TLSv1 "$here/HelloClient.java" url "$port"
if [ -x "$java25" ]; then
    capture jdk25-httpsurlconnection     "$java25" "$here/HelloClient.java" url "$port"
fi
