"""A webhook receiver for bench/run.sh notify: answers every POST 200 at once and appends
"<arrival unix time, microseconds> <Idempotency-Key>" to a file, one line per request, flushed
as it arrives.  Binds 127.0.0.1 on a free port and writes that port to PORT_FILE once it listens.

Usage: webhook_sink.py OUT_FILE PORT_FILE"""

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

out = open(sys.argv[1], "a", buffering=1)
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the app's client reuses its connection

    def do_POST(self):
        arrived = time.time()
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        key = self.headers.get("Idempotency-Key") or "-"
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        with lock:
            out.write(f"{arrived:.6f} {key}\n")

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Sink)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402

os.replace(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
