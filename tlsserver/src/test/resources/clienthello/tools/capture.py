#!/usr/bin/env python3
"""Records the first bytes a TLS client sends: everything up to the end of its ClientHello.

Listens on 127.0.0.1:PORT, accepts one connection, reads TLS records until the handshake
message they carry is complete (or the peer stops sending), writes the bytes exactly as they
arrived, as lowercase hex, 32 bytes a line, and closes the connection without answering: the
client then fails its handshake, which does not matter, its ClientHello is already on disk.

Usage: capture.py PORT OUTFILE [--ready READYFILE]
"""
import socket
import sys

MAX = 64 * 1024


def hello_complete(data: bytes) -> bool:
    """True once the records in data carry a whole handshake message (or cannot be TLS)."""
    if data[:1] != b"\x16":
        return len(data) > 0  # not a TLS handshake record: keep what we have
    handshake = b""
    pos = 0
    while pos + 5 <= len(data):
        length = int.from_bytes(data[pos + 3:pos + 5], "big")
        if pos + 5 + length > len(data):
            break
        handshake += data[pos + 5:pos + 5 + length]
        pos += 5 + length
        if len(handshake) >= 4 and len(handshake) >= 4 + int.from_bytes(handshake[1:4], "big"):
            return True
    return False


def main() -> None:
    port, out = int(sys.argv[1]), sys.argv[2]
    ready = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--ready" else None
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(1)
    if ready:
        open(ready, "w").close()
    server.settimeout(30)
    conn, _ = server.accept()
    conn.settimeout(5)
    data = b""
    try:
        while len(data) < MAX and not hello_complete(data):
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    conn.close()
    server.close()
    hexed = data.hex()
    with open(out, "w") as f:
        for i in range(0, len(hexed), 64):
            f.write(hexed[i:i + 64] + "\n")


if __name__ == "__main__":
    main()
