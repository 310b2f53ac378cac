#!/usr/bin/env python3
"""An installation that checks its license the way a customer's own code would: Python's ssl module (OpenSSL),
http.client, and the `cryptography` package for DPoP proofs and report signatures. Not the tlswatch SDK.

It makes --checks license checks, --interval seconds apart, from its own source address; after each failure it
posts a report to the collector (signed with the key of its DPoP proofs, as docs/collector.md describes), the way
an installation that cannot reach the license server tells its vendor. It prints one JSON line per attempt.

Stacks (--stack):
  modern     TLS 1.2+ with the vendor's CA: checks pass.
  tls10      TLS 1.0 only (an old OpenSSL / JRE): the license server refuses the handshake.
  cbc        TLS 1.2 with CBC suites only: no suite in common.
  notrust    a trust store without the vendor's CA (an old trust store): the client refuses the certificate.
  clock      modern TLS, but the machine's clock is --clock-offset seconds off: its DPoP proofs are refused.
"""
import argparse
import base64
import datetime
import http.client
import ipaddress
import json
import os
import socket
import ssl
import sys
import time
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def load_or_create_key(path):
    if path and os.path.exists(path):
        with open(path, "rb") as f:
            return serialization.load_pem_private_key(f.read(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    if path:
        with open(path, "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
        os.chmod(path, 0o600)
    return key


def public_jwk(key):
    numbers = key.public_key().public_numbers()
    return {"kty": "EC", "crv": "P-256",
            "x": b64url(numbers.x.to_bytes(32, "big")), "y": b64url(numbers.y.to_bytes(32, "big"))}


def es256(key, signing_input: bytes) -> str:
    r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    return b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def dpop_proof(key, htu, now):
    header = b64url(json.dumps({"typ": "dpop+jwt", "alg": "ES256", "jwk": public_jwk(key)}).encode())
    claims = b64url(json.dumps({"jti": str(uuid.uuid4()), "htm": "POST", "htu": htu, "iat": int(now)}).encode())
    signing_input = (header + "." + claims).encode("ascii")
    return header + "." + claims + "." + es256(key, signing_input)


def report_signature(key, body: bytes):
    """RFC 7515 appendix F: a compact JWS over the body with the payload left out."""
    header = b64url(json.dumps({"alg": "ES256", "jwk": public_jwk(key)}).encode())
    return header + ".." + es256(key, (header + "." + b64url(body)).encode("ascii"))


def tls_context(stack, ca_file):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    if stack == "notrust":
        # The system's store (or an empty one): whatever it holds, not the vendor's private CA.
        ctx.load_default_certs()
    else:
        ctx.load_verify_locations(cafile=ca_file)
    if stack == "tls10":
        # OpenSSL 3 needs security level 0 to offer TLS 1.0 at all.
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1
    elif stack == "cbc":
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_ciphers("ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA")
    else:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def error_class(error):
    """NEL's taxonomy, as docs/collector.md lists it for reports."""
    if isinstance(error, ssl.SSLCertVerificationError):
        code = getattr(error, "verify_code", 0)
        if code in (9, 10):
            return "tls.cert.date_invalid"
        if code == 62 or "hostname" in str(error).lower():
            return "tls.cert.name_invalid"
        return "tls.cert.authority_invalid"
    if isinstance(error, ssl.SSLError):
        text = (error.reason or str(error)).upper()
        if any(k in text for k in ("PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL", "NO_PROTOCOLS_AVAILABLE",
                                   "HANDSHAKE_FAILURE", "NO_SHARED_CIPHER", "NO_CIPHERS_AVAILABLE",
                                   "WRONG_VERSION_NUMBER")):
            return "tls.version_or_cipher_mismatch"
        return "tls.protocol.error"
    if isinstance(error, (ConnectionResetError, BrokenPipeError)):
        return "tcp.reset"
    if isinstance(error, socket.timeout):
        return "tcp.timed_out"
    return "tcp.failed"


def iso(instant):
    return datetime.datetime.fromtimestamp(instant, tz=datetime.timezone.utc).isoformat(timespec="milliseconds") \
        .replace("+00:00", "Z")


def check(args, key, now):
    ctx = tls_context(args.stack, args.ca)
    conn = http.client.HTTPSConnection(args.connect_host, args.connect_port, context=ctx, timeout=10,
                                       source_address=(args.source, 0))
    body = json.dumps({"licenseKey": args.license_key, "clientId": args.client_id,
                       "sdk": {"name": "python-ssl", "version": sys.version.split()[0], "os": sys.platform,
                               "runtime": {"name": "CPython", "version": sys.version.split()[0]}}}).encode()
    try:
        # The certificate is checked against the public name, whatever address is connected to.
        sock = socket.create_connection((args.connect_host, args.connect_port), timeout=10,
                                        source_address=(args.source, 0))
        conn.sock = ctx.wrap_socket(sock, server_hostname=args.server_name)
        conn.request("POST", "/v1/licenses/validate", body=body,
                     headers={"Content-Type": "application/json", "Host": args.server_name,
                              "DPoP": dpop_proof(key, args.public_url + "/v1/licenses/validate",
                                                               now + args.clock_offset)})
        response = conn.getresponse()
        answer = json.loads(response.read() or b"{}")
        return {"ok": True, "status": response.status, "code": answer.get("code"),
                "tls": conn.sock.version()}, None
    except (ssl.SSLError, OSError) as error:
        return {"ok": False, "error": type(error).__name__, "message": str(error)}, error
    finally:
        conn.close()


def report(args, key, now, error_cls, message):
    occurred = now + args.clock_offset - args.report_delay
    body = json.dumps({"reports": [{
        "reportId": str(uuid.uuid4()), "clientId": args.client_id, "occurredAt": iso(occurred),
        "endpoint": args.public_url + "/v1/licenses/validate", "errorClass": error_cls, "message": message[:8000],
        "runtime": {"name": "CPython", "version": sys.version.split()[0]},
        "tls": {"library": ssl.OPENSSL_VERSION, "enabledProtocols": [args.stack]},
        "clientTime": iso(now + args.clock_offset)}]}).encode()
    headers = {"Content-Type": "application/json", "Report-Signature": report_signature(key, body)}
    # Over HTTPS with the same TLS stack first, as an installation's one HTTP client would; over plain HTTP when
    # that stack cannot reach the collector either (an old trust store).
    if args.collector_tls:
        host, port = args.collector_tls.rsplit(":", 1)
        ctx = tls_context(args.stack, args.ca)
        try:
            sock = socket.create_connection((host, int(port)), timeout=10, source_address=(args.source, 0))
            conn = http.client.HTTPSConnection(host, int(port), context=ctx, timeout=10)
            conn.sock = ctx.wrap_socket(sock, server_hostname=args.server_name)
            conn.request("POST", "/v1/reports", body=body, headers=dict(headers, Host=args.server_name))
            status = conn.getresponse().status
            conn.close()
            return "https:" + str(status)
        except (ssl.SSLError, OSError):
            pass
    host, port = args.collector.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(args.source, 0))
    try:
        conn.request("POST", "/v1/reports", body=body, headers=headers)
        return "http:" + str(conn.getresponse().status)
    except OSError as error:
        return "error:" + type(error).__name__
    finally:
        conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--stack", required=True, choices=["modern", "tls10", "cbc", "notrust", "clock"])
    p.add_argument("--connect", required=True, help="host:port to connect to (a load balancer, or the validator)")
    p.add_argument("--server-name", default="localhost", help="the name the certificate is checked against")
    p.add_argument("--public-url", required=True, help="the validator's server.publicUrl (the DPoP htu base)")
    p.add_argument("--source", required=True, help="the loopback address to connect from")
    p.add_argument("--ca", required=True)
    p.add_argument("--license-key", required=True)
    p.add_argument("--client-id", required=True)
    p.add_argument("--key-file", help="where the installation keeps its P-256 key")
    p.add_argument("--collector", help="host:port of the collector's HTTP listener; no reports without it")
    p.add_argument("--collector-tls", help="host:port of the collector's HTTPS listener, tried first")
    p.add_argument("--count", type=int, default=1,
                   help="installations of this stack to run one after the other: client ids get -1, -2, ... and "
                        "each its own source address, counting up from --source")
    p.add_argument("--checks", type=int, default=1)
    p.add_argument("--interval", type=float, default=1.0)
    p.add_argument("--clock-offset", type=int, default=0, help="seconds this machine's clock is ahead")
    p.add_argument("--report-delay", type=int, default=0, help="seconds between a failure and its report")
    args = p.parse_args()
    args.connect_host, port = args.connect.rsplit(":", 1)
    args.connect_port = int(port)
    if args.stack == "clock" and args.clock_offset == 0:
        args.clock_offset = 7200
    installations = [(args.client_id, args.source, args.key_file)]
    if args.count > 1:
        first = ipaddress.ip_address(args.source)
        installations = [(args.client_id + "-" + str(i + 1), str(first + i),
                          args.key_file + "-" + str(i + 1) if args.key_file else None) for i in range(args.count)]
    keys = {client: load_or_create_key(path) for client, _, path in installations}
    for attempt in range(args.checks):
        if attempt:
            time.sleep(args.interval)
        for client, source, _ in installations:
            args.client_id, args.source = client, source
            run_once(args, keys[client])


def run_once(args, key):
    now = time.time()
    outcome, error = check(args, key, now)
    if error is not None and args.collector:
        outcome["errorClass"] = error_class(error)
        outcome["report"] = report(args, key, now, outcome["errorClass"], str(error))
    elif outcome.get("ok") and outcome.get("code") not in ("VALID", None) and args.collector:
        # A refusal the client caused: reported as the SDK reports it.
        cls = "license.proof_invalid" if outcome["code"] == "PROOF_INVALID" else "license." + outcome["code"].lower()
        outcome["errorClass"] = cls
        outcome["report"] = report(args, key, now, cls, "license check refused: " + outcome["code"])
    outcome["clientId"] = args.client_id
    outcome["source"] = args.source
    print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    main()
