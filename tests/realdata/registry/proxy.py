#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A misbehaving front for a real Distribution registry, for drydock's
registry tests (tests/realdata/test_registry.c). Listens on 127.0.0.1 only,
forwards to the registry on 127.0.0.1:UPSTREAM and logs every request it
sees (one line: port method path status auth=yes|no range=...) so tests can
count them. Flags turn on one misbehaviour each:

  --drop-blob-once   the first GET of each blob sends half the body, then closes
  --lie-blob         every blob body has one byte flipped (digest no longer matches)
  --lie-big-blobs    the same for blobs over 64 KiB only (layers, not configs)
  --throttle-once    the first manifest GET answers 429 Retry-After: 1, the second 503
  --bearer USER:PASS /v2/ requires a Bearer token from /token (Docker token auth
                     emulated), which requires Basic USER:PASS
  --redirect-blobs   blob GETs are redirected (307) to a second "storage" port,
                     a different origin, which must never see credentials
Written for these tests; no code from elsewhere.
"""
import argparse
import base64
import http.client
import http.server
import os
import secrets
import socketserver
import sys
import threading

args = None
lock = threading.Lock()
seen_blobs = set()
throttle_count = [0]
tokens = set()
storage_port = [0]


def log(port, method, path, status, auth, rng):
    with lock:
        with open(args.log, "a") as f:
            f.write(f"{port} {method} {path} {status} auth={'yes' if auth else 'no'} range={rng or '-'}\n")


def upstream(method, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", args.upstream, timeout=60)
    fwd = {k: v for k, v in headers.items()
           if k.lower() not in ("host", "authorization", "connection")}
    conn.request(method, path, headers=fwd)
    return conn, conn.getresponse()


class Front(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send_plain(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        port = self.server.server_address[1]
        auth = self.headers.get("Authorization")
        rng = self.headers.get("Range")
        path = self.path
        if port == storage_port[0]:
            return self.storage(port, path, auth, rng)
        if args.bearer and path.startswith("/token"):
            want = "Basic " + base64.b64encode(args.bearer.encode()).decode()
            if auth != want:
                log(port, self.command, path, 401, auth, rng)
                return self.send_plain(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}',
                                       [("WWW-Authenticate", 'Basic realm="token"')])
            tok = secrets.token_hex(16)
            tokens.add(tok)
            log(port, self.command, path, 200, auth, rng)
            return self.send_plain(200, ('{"token":"%s","expires_in":300}' % tok).encode(),
                                   [("Content-Type", "application/json")])
        if args.bearer and path.startswith("/v2/"):
            ok = auth and auth.startswith("Bearer ") and auth[7:] in tokens
            if not ok:
                parts = path.split("/")
                scope = ""
                if len(parts) > 3 and ("manifests" in parts or "blobs" in parts or "tags" in parts):
                    end = max(i for i, p in enumerate(parts) if p in ("manifests", "blobs", "tags"))
                    scope = ',scope="repository:%s:pull"' % "/".join(parts[2:end])
                log(port, self.command, path, 401, auth, rng)
                return self.send_plain(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
                                       [("WWW-Authenticate",
                                         'Bearer realm="http://127.0.0.1:%d/token",service="drydock-test"%s'
                                         % (port, scope))])
        is_blob = "/blobs/sha256:" in path
        if is_blob and args.redirect_blobs:
            log(port, self.command, path, 307, auth, rng)
            return self.send_plain(307, b"", [("Location", "http://127.0.0.1:%d%s?X-Signature=s3cr3t"
                                              % (storage_port[0], path))])
        if args.throttle_once and "/manifests/" in path:
            with lock:
                throttle_count[0] += 1
                n = throttle_count[0]
            if n == 1:
                log(port, self.command, path, 429, auth, rng)
                return self.send_plain(429, b'{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}',
                                       [("Retry-After", "1")])
            if n == 2:
                log(port, self.command, path, 503, auth, rng)
                return self.send_plain(503, b"unavailable")
        self.forward(port, path, auth, rng, is_blob)

    def storage(self, port, path, auth, rng):
        self.forward(port, path.split("?")[0], auth, rng, True)

    def forward(self, port, path, auth, rng, is_blob):
        conn, resp = upstream(self.command, path, self.headers)
        body = resp.read() if self.command != "HEAD" else b""
        status = resp.status
        headers = [(k, v) for k, v in resp.getheaders()
                   if k.lower() not in ("content-length", "connection", "transfer-encoding")]
        conn.close()
        log(port, self.command, path, status, auth, rng)
        if is_blob and self.command == "GET" and status in (200, 206) and body:
            if args.lie_blob or (args.lie_big_blobs and len(body) > 65536):
                body = bytes([body[0] ^ 0xFF]) + body[1:]
            if args.drop_blob_once and status == 200:
                with lock:
                    first = path not in seen_blobs
                    seen_blobs.add(path)
                if first:
                    self.send_response(status)
                    for k, v in headers:
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
        self.send_plain(status, body, headers)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--listen", type=int, required=True)
    p.add_argument("--storage", type=int, default=0)
    p.add_argument("--upstream", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--drop-blob-once", action="store_true")
    p.add_argument("--lie-blob", action="store_true")
    p.add_argument("--lie-big-blobs", action="store_true")
    p.add_argument("--throttle-once", action="store_true")
    p.add_argument("--redirect-blobs", action="store_true")
    p.add_argument("--bearer")
    args = p.parse_args()
    open(args.log, "a").close()
    servers = [Server(("127.0.0.1", args.listen), Front)]
    if args.storage:
        storage_port[0] = args.storage
        servers.append(Server(("127.0.0.1", args.storage), Front))
    for s in servers[1:]:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    servers[0].serve_forever()


if __name__ == "__main__":
    sys.exit(main())
