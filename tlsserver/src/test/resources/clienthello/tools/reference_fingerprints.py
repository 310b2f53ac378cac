#!/usr/bin/env python3
"""Independent JA3/JA4 reference for the captured ClientHellos (not used by the Java code).

For each NAME.hex given, wraps the bytes in a one-packet pcap (IPv4/TCP to port 443), lets
tshark dissect it, and prints:
  * JA3 string and MD5 exactly as tshark computes them (tls.handshake.ja3_full / ja3);
  * JA4 and JA4_r, computed here from tshark's dissected fields, following FoxIO's
    technical_details/JA4.md (GREASE ignored everywhere, signature algorithms from the
    signature_algorithms extension only, empty list -> 000000000000).
Nothing here parses TLS itself: tshark does, so the Java parser is checked against a second
decoder, not against itself.

Usage: reference_fingerprints.py FILE.hex... > expected.tsv   (needs tshark >= 3.6)
"""
import hashlib
import os
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

GREASE = {0x0a0a + 0x1010 * i for i in range(16)}
VERSIONS = {0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10", 0x0300: "s3", 0x0200: "s2",
            0x0100: "s1", 0xfeff: "d1", 0xfefd: "d2", 0xfefc: "d3"}


def write_pcap(payload: bytes, path: str) -> None:
    tcp = struct.pack("!HHIIBBHHH", 50000, 443, 1, 0, 5 << 4, 0x18, 65535, 0, 0)
    total = 20 + len(tcp) + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, 0, 64, 6, 0,
                     bytes([127, 0, 0, 1]), bytes([127, 0, 0, 2]))
    packet = ip + tcp + payload
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 101))  # LINKTYPE_RAW
        f.write(struct.pack("<IIII", 0, 0, len(packet), len(packet)))
        f.write(packet)


def fields(elem, name):
    return [f for f in elem.iter("field") if f.get("name") == name]


def sha12(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12] if text else "000000000000"


def alpn_chars(raw: bytes) -> str:
    if not raw:
        return "00"
    first, last = raw[0], raw[-1]
    if chr(first).isascii() and chr(first).isalnum() and chr(last).isascii() and chr(last).isalnum():
        return chr(first) + chr(last)
    h = raw.hex()
    return h[0] + h[-1]


def ja4(hello) -> tuple:
    ciphers = [int(f.get("show"), 16) if f.get("show").startswith("0x") else int(f.get("show"))
               for f in fields(hello, "tls.handshake.ciphersuite")]
    ciphers = [c for c in ciphers if c not in GREASE]
    extensions, sigalgs, versions, alpn = [], [], [], None
    # Each extension is a subtree holding its type and its body's fields.
    for ext in hello.iter("field"):
        types = [c for c in ext if c.get("name") == "tls.handshake.extension.type"]
        if not types:
            continue
        t = int(types[0].get("show"))
        if t in GREASE:
            continue
        extensions.append(t)
        if t == 13:
            sigalgs = [int(f.get("value"), 16) for f in fields(ext, "tls.handshake.sig_hash_alg")]
        elif t == 43:
            versions = [int(f.get("value"), 16)
                        for f in fields(ext, "tls.handshake.extensions.supported_version")]
        elif t == 16:
            names = fields(ext, "tls.handshake.extensions_alpn_str")
            alpn = bytes.fromhex(names[0].get("value")) if names else b""
    sigalgs = [s for s in sigalgs if s not in GREASE]
    versions = [v for v in versions if v not in GREASE]
    legacy = int(fields(hello, "tls.handshake.version")[0].get("value"), 16)
    version = max(versions) if versions else legacy
    a = "t{}{}{:02d}{:02d}{}".format(VERSIONS.get(version, "00"), "d" if 0 in extensions else "i",
                                     min(len(ciphers), 99), min(len(extensions), 99),
                                     alpn_chars(alpn) if alpn is not None else "00")
    b_raw = ",".join("{:04x}".format(c) for c in sorted(ciphers))
    exts = sorted(e for e in extensions if e not in (0x0000, 0x0010))
    c_raw = ",".join("{:04x}".format(e) for e in exts)
    if sigalgs:
        c_raw += "_" + ",".join("{:04x}".format(s) for s in sigalgs)
    return "{}_{}_{}".format(a, sha12(b_raw), sha12(c_raw)), "{}_{}_{}".format(a, b_raw, c_raw)


def main() -> None:
    print("# file\tja3\tja3_hash\tja4\tja4_r")
    for path in sys.argv[1:]:
        payload = bytes.fromhex(open(path).read().replace("\n", "").strip())
        with tempfile.TemporaryDirectory() as tmp:
            pcap = os.path.join(tmp, "hello.pcap")
            write_pcap(payload, pcap)
            pdml = subprocess.run(["tshark", "-r", pcap, "-T", "pdml", "-o", "tcp.desegment_tcp_streams:TRUE"],
                                  check=True, capture_output=True).stdout
        root = ET.fromstring(pdml)
        hellos = [h for h in root.iter("field") if h.get("name") == "tls.handshake"
                  and any(t.get("show") == "1" for t in h if t.get("name") == "tls.handshake.type")]
        if not hellos:
            print("{}\t-\t-\t-\t-".format(os.path.basename(path)))
            continue
        hello = hellos[0]
        ja3_full = fields(root, "tls.handshake.ja3_full")[0].get("show")
        ja3_hash = fields(root, "tls.handshake.ja3")[0].get("show")
        fp, raw = ja4(hello)
        print("\t".join([os.path.basename(path), ja3_full, ja3_hash, fp, raw]))


if __name__ == "__main__":
    main()
