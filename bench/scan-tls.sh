#!/usr/bin/env bash
# Runs three outside TLS scanners against a server that is already running and checks what they see against
# the validator's profile (docs/tls.md, docs/security.md): only TLS 1.2 and 1.3, every suite an AEAD with
# forward secrecy, and no testssl.sh finding worse than INFO other than those a certificate causes.
#
#   nmap --script ssl-enum-ciphers   protocols and suites per protocol, with the key exchange group
#   sslscan                          protocols, suites, key exchange groups, fallback SCSV, renegotiation
#   testssl.sh -p -E -S -f -R        protocols, suites per protocol, certificate, curves, renegotiation:
#                                    read from its JSON, since it exits 0 whatever it finds; suite names are
#                                    checked too, since it rates every suite INFO, CBC ones included
#
# Starts nothing: point it at a validator you started (see docs/security.md, "How to re-run").
# Installs nmap, sslscan, testssl.sh and python3 with apt-get where missing (as root, or through sudo).
#
# Usage: bench/scan-tls.sh HOST:PORT [OUT_DIR]
#   OUT_DIR          where the raw outputs go (default: a new temporary directory, printed at the end)
#   SCAN_TLS_CA      a PEM CA file testssl.sh should trust (--add-ca), e.g. the development CA's ca.pem, so that
#                    the chain-of-trust check tests the chain rather than the CA's absence from the system store
# Exit status: 0 the profile holds; 1 a scanner saw something that contradicts it (printed as VIOLATION);
#              2 usage or tool error.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
[[ $# -ge 1 && $# -le 2 && "$1" == *:* ]] || usage
TARGET="$1"
HOST="${TARGET%:*}"
PORT="${TARGET##*:}"
HOST="${HOST#[}"; HOST="${HOST%]}"
[[ "$PORT" =~ ^[0-9]+$ ]] || usage
OUT="${2:-$(mktemp -d "${TMPDIR:-/tmp}/scan-tls.XXXXXX")}"
mkdir -p "$OUT"

# --- tools ------------------------------------------------------------------------------------------------
missing=()
command -v nmap >/dev/null || missing+=(nmap)
command -v sslscan >/dev/null || missing+=(sslscan)
command -v testssl >/dev/null || command -v testssl.sh >/dev/null || missing+=(testssl.sh)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
  echo "Installing with apt-get: ${missing[*]}" >&2
  SUDO=(); [[ "$(id -u)" == 0 ]] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q "${missing[@]}" >&2
fi
TESTSSL="$(command -v testssl || command -v testssl.sh)"   # Debian's package installs it as `testssl`

# --- scans ------------------------------------------------------------------------------------------------
# Tool versions and the commands as they ran, for docs/security.md.
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "nmap:    $(nmap --version | sed -n 's/^Nmap version \([^ ]*\).*/\1/p')"
echo "sslscan: $(sslscan --version 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | awk 'NF {print $1; exit}')"
echo "testssl: $("$TESTSSL" --version 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | sed -n 's/.*testssl\(\.sh\)\{0,1\} *\([0-9][^ ]*\) from.*/\2/p' | head -1)"
echo "openssl: $(openssl version)"
echo

run() {
  local log="$1"; shift
  echo "\$ $* > $log"
  "$@" >"$log" 2>&1 || { echo "$1 failed (exit $?): see $log" >&2; exit 2; }
}
# testssl.sh exits non-zero when one of its checks could not run (a WARN finding): its JSON says which.
run_testssl() {
  local log="$1"; shift
  echo "\$ $* > $log"
  "$@" >"$log" 2>&1 || echo "(testssl.sh exited $?: a check did not complete, see the WARN findings below)"
  [[ -s "$OUT/testssl.json" ]] || { echo "testssl.sh wrote no JSON: see $log" >&2; exit 2; }
}
run "$OUT/nmap.txt" nmap -Pn --script ssl-enum-ciphers -p "$PORT" "$HOST"
run "$OUT/sslscan.txt" sslscan --no-colour "$HOST:$PORT"
rm -f "$OUT/testssl.json"
run_testssl "$OUT/testssl.txt" "$TESTSSL" -p -E -S -f -R --warnings off --openssl-timeout 5 --color 0 \
  ${SCAN_TLS_CA:+--add-ca "$SCAN_TLS_CA"} --jsonfile "$OUT/testssl.json" "$HOST:$PORT"
echo

# --- checks -----------------------------------------------------------------------------------------------
status=0
(python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
violations = []

def aead_fs_iana(name):
    """An IANA suite name: TLS 1.3 suites are AEAD with (EC)DHE by definition; TLS 1.2 needs (EC)DHE and GCM/CCM/ChaCha."""
    if re.match(r'^TLS_(AKE_WITH_)?(AES_(128|256)_(GCM|CCM)|CHACHA20_POLY1305)', name):
        return True
    return bool(re.match(r'^TLS_(ECDHE|DHE)_(ECDSA|RSA)_WITH_.*(_GCM_|_CCM|CHACHA20_POLY1305)', name))

def aead_fs_openssl(name):
    """An OpenSSL suite name as sslscan prints it: TLS 1.3 keeps the IANA name."""
    if name.startswith('TLS_'):
        return aead_fs_iana(name)
    return bool(re.match(r'^(ECDHE|DHE)-(ECDSA|RSA)-.*(GCM|CCM|CHACHA20-POLY1305)', name))

# nmap: "|   TLSv1.2:" then "|       TLS_... (ecdh_x25519) - A"
protocol, nmap = None, {}
for line in open(f'{out}/nmap.txt'):
    m = re.match(r'^\|\s{3}((?:SSL|TLS)v[\d.]+):', line)
    if m:
        protocol = m.group(1); nmap[protocol] = []; continue
    m = re.match(r'^\|\s{7}(TLS_\w+|SSL_\w+) \(([^)]*)\) - (\w)', line)
    if m and protocol:
        nmap[protocol].append((m.group(1), m.group(2), m.group(3)))
print('nmap ssl-enum-ciphers')
if not nmap:
    violations.append('nmap: no protocol found (is it a TLS port?)')
for p, suites in nmap.items():
    print(f'  {p}: ' + ', '.join(f'{s} ({g}, {grade})' for s, g, grade in suites))
    if p not in ('TLSv1.2', 'TLSv1.3'):
        violations.append(f'nmap: {p} offered')
    violations += [f'nmap: {p} {s} is not AEAD with forward secrecy' for s, _, _ in suites if not aead_fs_iana(s)]

# sslscan: "TLSv1.1   disabled", "Accepted  TLSv1.2  128 bits  ECDHE-ECDSA-AES128-GCM-SHA256 Curve 25519 DHE 253",
# "TLSv1.3  128 bits  x25519" under "Server Key Exchange Group(s)"
text = open(f'{out}/sslscan.txt').read()
protocols = re.findall(r'^((?:SSL|TLS)v[\d.]+)\s+(enabled|disabled)', text, re.M)
suites = re.findall(r'^(?:Preferred|Accepted)\s+((?:SSL|TLS)v[\d.]+)\s+\d+ bits\s+(\S+)\s*(.*)$', text, re.M)
groups_block = text.split('Server Key Exchange Group(s):')[-1].split('SSL Certificate:')[0] if 'Server Key Exchange Group(s):' in text else ''
groups = re.findall(r'^((?:SSL|TLS)v[\d.]+)\s+\d+ bits\s+(.+)$', groups_block, re.M)
print('sslscan')
print('  protocols: ' + ', '.join(f'{p} {state}' for p, state in protocols))
for p, s, kx in suites:
    print(f'  {p} {s} {kx.strip()}')
print('  groups: ' + ', '.join(f'{p} {g.strip()}' for p, g in groups))
for line in ('TLS Fallback SCSV', 'renegotiation'):
    m = re.search(rf'{line}:\s*\n(.+)', text)
    if m:
        print(f'  {line}: {m.group(1).strip()}')
if not protocols:
    violations.append('sslscan: no protocol list (did it connect?)')
violations += [f'sslscan: {p} enabled' for p, state in protocols if state == 'enabled' and p not in ('TLSv1.2', 'TLSv1.3')]
violations += [f'sslscan: {p} {s} is not AEAD with forward secrecy' for p, s, _ in suites if not aead_fs_openssl(s)]

# testssl.sh: one JSON object per finding
findings = json.load(open(f'{out}/testssl.json'))
by_id = {f['id']: f for f in findings}
print('testssl.sh')
for pid in ('SSLv2', 'SSLv3', 'TLS1', 'TLS1_1', 'TLS1_2', 'TLS1_3'):
    f = by_id.get(pid)
    print(f'  {pid}: ' + (f"{f['finding']} ({f['severity']})" if f else 'missing from the JSON'))
    if pid in ('SSLv2', 'SSLv3', 'TLS1', 'TLS1_1') and (f is None or not f['finding'].startswith('not offered')):
        violations.append(f"testssl: {pid} {f['finding'] if f else 'not reported'}")
# testssl.sh rates every suite -E lists as INFO, CBC ones included, so the severity alone proves nothing:
# the suite's IANA name, the finding's last word, is checked too.
for f in findings:
    if f['id'].startswith('cipher-'):
        print('  ' + re.sub(r'\s+', ' ', f['finding']))
        if f['severity'] not in ('OK', 'INFO'):
            violations.append(f"testssl: {f['id']} {f['severity']}")
        iana = f['finding'].split()[-1]
        if not aead_fs_iana(iana):
            violations.append(f"testssl: {f['id']} {iana} is not AEAD with forward secrecy")
fs = by_id.get('FS_ECDHE_curves') or by_id.get('PFS_ECDHE_curves')
if fs:
    print(f"  curves: {fs['finding']}")
# What a certificate causes (trust, lifetime, revocation pointers, stapling, CAA) is a deployment matter,
# listed but not held against the server; anything else worse than INFO is. WARN means a check did not run:
# fatal for the protocol and suite checks this script is for, listed for the others.
CERT = re.compile(r'^(cert_|certs_|OCSP_|DNS_CAArecord|certificate_transparency)')
CORE = re.compile(r'^(SSLv2|SSLv3|TLS1|TLS1_1|TLS1_2|TLS1_3|cipher-.*)$')
worse = [f for f in findings if f['severity'] not in ('OK', 'INFO', 'DEBUG')]
print('  findings worse than INFO:' + ('' if worse else ' none'))
for f in worse:
    kind = ('certificate or deployment' if CERT.match(f['id']) else
            'check did not run' if f['severity'] == 'WARN' and not CORE.match(f['id']) else 'server')
    print(f"    {f['severity']:8} {f['id']:28} {f['finding']}  [{kind}]")
    if kind == 'server' and not CORE.match(f['id']):   # protocols and suites: checked above
        violations.append(f"testssl: {f['id']} {f['severity']}: {f['finding']}")

print()
for v in violations:
    print(f'VIOLATION {v}')
print('RESULT: ' + ('FAIL, see the VIOLATION lines' if violations else
                    'PASS: only TLS 1.2/1.3, every suite AEAD with forward secrecy, no server finding worse than INFO'))
sys.exit(1 if violations else 0)
PY
) || status=$?
echo "raw outputs: $OUT"
exit "$status"
