#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# A feed mirror for the `db update` tests: serves DIR on 127.0.0.1 (port
# chosen by the OS, written to PORTFILE) with ETag and Last-Modified, answers
# conditional requests with 304, and misbehaves on demand:
#   --drop PATH   send the headers and half the body of PATH, then close
#   --fail PATH   answer 503 for PATH (transient: the client retries)
# Every request is appended to LOG as "METHOD PATH STATUS". Loopback only.
import argparse
import email.utils
import hashlib
import http.server
import os
import sys
import urllib.parse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("portfile")
    ap.add_argument("log")
    ap.add_argument("--drop", action="append", default=[])
    ap.add_argument("--fail", action="append", default=[])
    args = ap.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):
            pass

        def note(self, status):
            with open(args.log, "a") as f:
                f.write("%s %s %d\n" % (self.command, self.path, status))

        def do_GET(self):
            rel = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/")
            path = os.path.realpath(os.path.join(args.dir, rel))
            if rel in args.fail:
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.note(503)
                return
            # The mirror is made of symlinks into the shared data; refuse "..".
            if ".." in rel.split("/") or not os.path.isfile(path):
                body = b"not found\n"
                self.send_response(404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.note(404)
                return
            with open(path, "rb") as f:
                data = f.read()
            etag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
            mtime = email.utils.formatdate(os.stat(path).st_mtime, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                self.note(304)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", mtime)
            self.end_headers()
            if rel in args.drop:
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.note(200)
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self.wfile.write(data)
            self.note(200)

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(args.portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.portfile + ".tmp", args.portfile)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
