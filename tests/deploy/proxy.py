"""A small round-robin HTTP load balancer for the two-hosts test: each request goes to the next
upstream in turn, with the headers nginx would set (docs/DEPLOY.md): what the client sent as
X-Forwarded-* or X-Request-ID is dropped and replaced, so the app can trust them. Each response
says which upstream answered in X-Upstream.

    python -m tests.deploy.proxy 8100 A=127.0.0.1:8001 B=127.0.0.1:8002
"""

from __future__ import annotations

import http.client
import itertools
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade"}
SET_BY_PROXY = {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-request-id",
                "forwarded", "x-real-ip"}


class RoundRobinProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, upstreams: dict[str, str]):
        super().__init__(("127.0.0.1", port), _Handler)
        self.upstreams = upstreams
        self._turn = itertools.cycle(list(upstreams.items()))
        self._lock = threading.Lock()

    def next_upstream(self) -> tuple[str, str]:
        with self._lock:
            return next(self._turn)

    def start(self) -> RoundRobinProxy:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _forward(self):
        name, address = self.server.next_upstream()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {key: value for key, value in self.headers.items()
                   if key.lower() not in HOP_BY_HOP | SET_BY_PROXY}
        headers.update({
            "X-Forwarded-For": self.client_address[0],
            "X-Forwarded-Proto": "http",
            "X-Forwarded-Host": self.headers.get("Host", ""),
            "X-Request-ID": uuid.uuid4().hex,
            "Connection": "close",
        })
        host, port = address.rsplit(":", 1)
        upstream = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            self.send_response(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP | {"content-length"}:
                    self.send_header(key, value)
        except OSError:
            data = b"upstream unavailable"
            self.send_response(502)
        finally:
            upstream.close()
        self.send_header("X-Upstream", name)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = _forward

    def log_message(self, format, *args):  # the app logs each request itself
        pass


if __name__ == "__main__":
    port = int(sys.argv[1])
    upstreams = dict(arg.split("=", 1) for arg in sys.argv[2:])
    print(f"round-robin on 127.0.0.1:{port} -> {upstreams}", flush=True)
    RoundRobinProxy(port, upstreams).serve_forever()
