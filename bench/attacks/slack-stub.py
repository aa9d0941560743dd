#!/usr/bin/env python3
"""A stand-in for Slack's Web API on loopback: answers every method with ok and appends each request
body to the file named by its second argument, so a benchmark can search what reached "Slack"."""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

LOG = sys.argv[2]


class Stub(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(LOG, "ab") as log:
            log.write(self.path.encode() + b" " + body + b"\n")
        answer = json.dumps({"ok": True, "channel": "C0STUB", "ts": "1700000000.000100"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1])), Stub).serve_forever()
