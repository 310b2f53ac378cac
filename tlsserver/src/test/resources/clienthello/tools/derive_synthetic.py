#!/usr/bin/env python3
"""Derives the two synthetic hellos from a real capture (none of the captured clients uses GREASE or
shuffles its extensions, as Chrome does, so these behaviours are reproduced on a real hello).

  synthetic-curl-grease.hex    curl's hello with GREASE values added the way Chrome places them: first
                               cipher suite, first and last extension (the last one with a 1-byte body),
                               first supported group, first supported version, first signature algorithm.
  synthetic-curl-permuted.hex  curl's hello with its extensions in reverse order.

Usage: derive_synthetic.py ../curl-7.88-openssl-3.0-sni.hex   (writes next to the input)
"""
import os
import struct
import sys


def records_to_handshake(data: bytes) -> bytes:
    out, pos = b"", 0
    while pos + 5 <= len(data):
        length = struct.unpack("!H", data[pos + 3:pos + 5])[0]
        out += data[pos + 5:pos + 5 + length]
        pos += 5 + length
    return out


def vec(data: bytes, prefix: int) -> bytes:
    return len(data).to_bytes(prefix, "big") + data


def split_hello(body: bytes):
    pos = 2 + 32
    sid = body[pos:pos + 1 + body[pos]]
    pos += len(sid)
    cs_len = struct.unpack("!H", body[pos:pos + 2])[0]
    suites = body[pos + 2:pos + 2 + cs_len]
    pos += 2 + cs_len
    comp = body[pos:pos + 1 + body[pos]]
    pos += len(comp)
    ext_block = body[pos + 2:]
    exts, p = [], 0
    while p < len(ext_block):
        t, l = struct.unpack("!HH", ext_block[p:p + 4])
        exts.append((t, ext_block[p + 4:p + 4 + l]))
        p += 4 + l
    return body[:34], sid, suites, comp, exts


def join_hello(head, sid, suites, comp, exts) -> bytes:
    block = b"".join(struct.pack("!HH", t, len(d)) + d for t, d in exts)
    body = head + sid + vec(suites, 2) + comp + vec(block, 2)
    handshake = b"\x01" + vec(body, 3)
    return b"\x16\x03\x01" + vec(handshake, 2)


def grease(exts):
    out = [(0x1a1a, b"")]
    for t, d in exts:
        if t == 10:    # supported_groups
            d = vec(b"\x3a\x3a" + d[2:], 2)
        elif t == 43:  # supported_versions
            d = vec(b"\x4a\x4a" + d[1:], 1)
        elif t == 13:  # signature_algorithms
            d = vec(b"\x5a\x5a" + d[2:], 2)
        elif t == 51:  # key_share: a GREASE share of one byte first, as Chrome sends
            shares = d[2:]
            d = vec(b"\x3a\x3a\x00\x01\x00" + shares, 2)
        out.append((t, d))
    out.append((0x2a2a, b"\x00"))
    return out


def write_hex(path: str, data: bytes) -> None:
    h = data.hex()
    with open(path, "w") as f:
        for i in range(0, len(h), 64):
            f.write(h[i:i + 64] + "\n")


def main() -> None:
    source = sys.argv[1]
    out_dir = os.path.dirname(os.path.abspath(source))
    data = bytes.fromhex(open(source).read().replace("\n", ""))
    handshake = records_to_handshake(data)
    head, sid, suites, comp, exts = split_hello(handshake[4:4 + int.from_bytes(handshake[1:4], "big")])
    write_hex(os.path.join(out_dir, "synthetic-curl-grease.hex"),
              join_hello(head, sid, b"\x0a\x0a" + suites, comp, grease(exts)))
    write_hex(os.path.join(out_dir, "synthetic-curl-permuted.hex"),
              join_hello(head, sid, suites, comp, list(reversed(exts))))


if __name__ == "__main__":
    main()
