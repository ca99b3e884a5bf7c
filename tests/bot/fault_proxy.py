"""An HTTP proxy on 127.0.0.1 between the bot and the Bot API stand-in that breaks requests
the way networks do, below anything the stand-in itself can fake.

``fail_next(method, fault)`` makes the next request for that Bot API method:

* ``"500"`` / ``"502"``: answered by the proxy (a JSON 500, an HTML 502 like nginx's) and
  never forwarded, so Telegram does nothing;
* ``"reset"``: read, then the connection is reset (TCP RST), never forwarded;
* ``"timeout"``: forwarded, so Telegram carries it out, but the reply is held back until the
  bot has given up waiting, then the connection is closed: delivered, reply lost.

Created with ``listening=False`` it refuses connections (the port is bound but not
listening, so nothing else can take it) until ``listen()``: the Bot API down, then up.
"""

from __future__ import annotations

import http.client
import re
import socket
import socketserver
import struct
import threading
import time
from urllib.parse import urlsplit

_METHOD = re.compile(rb"^[A-Z]+ \S*/bot[^/\s]+/([A-Za-z]+)[ ?]")
_HEAD_END = b"\r\n\r\n"
FAULTS = ("500", "502", "reset", "timeout")


class FaultProxy:
    def __init__(self, upstream_base_url: str, hold: float = 1.0, listening: bool = True):
        parts = urlsplit(upstream_base_url)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.path_prefix = parts.path
        self.hold = hold
        """Seconds a "timeout" reply is held back: longer than the bot's read timeout."""
        self._faults: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self.injected: list[tuple[str, str]] = []
        self._server = _Server(("127.0.0.1", 0), _Handler, bind_and_activate=False)
        self._server.proxy = self
        self._server.server_bind()
        self.port = self._server.server_address[1]
        self._thread: threading.Thread | None = None
        if listening:
            self.listen()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path_prefix}"

    def listen(self) -> None:
        self._server.server_activate()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def fail_next(self, method: str, fault: str) -> None:
        assert fault in FAULTS, fault
        with self._lock:
            self._faults.setdefault(method.lower(), []).append(fault)

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def _take(self, method: str) -> str | None:
        with self._lock:
            queue = self._faults.get(method.lower())
            fault = queue.pop(0) if queue else None
            if fault is not None:
                self.injected.append((method, fault))
            return fault


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    proxy: FaultProxy


class _Handler(socketserver.BaseRequestHandler):
    """Serves one keep-alive connection from the bot, request by request."""

    def handle(self) -> None:
        proxy: FaultProxy = self.server.proxy  # type: ignore[attr-defined]
        sock: socket.socket = self.request
        buffered = b""
        while True:
            request, buffered = _read_request(sock, buffered)
            if request is None:
                return
            head, body = request
            match = _METHOD.match(head)
            fault = proxy._take(match.group(1).decode()) if match else None
            if fault == "reset":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
                return
            if fault == "500":
                sock.sendall(_response(500, "Internal Server Error", _TELEGRAM_500, "json"))
                continue
            if fault == "502":
                sock.sendall(_response(502, "Bad Gateway", _NGINX_502, "html"))
                continue
            reply = _forward(proxy.upstream, head, body)
            if fault == "timeout":
                time.sleep(proxy.hold)
                sock.close()
                return
            sock.sendall(reply)


_TELEGRAM_500 = b'{"ok":false,"error_code":500,"description":"Internal Server Error"}'
_NGINX_502 = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def _read_request(sock: socket.socket, buffered: bytes) -> tuple[tuple[bytes, bytes] | None, bytes]:
    """The next request's head and body, and whatever was read beyond them."""
    data = buffered
    while _HEAD_END not in data:
        try:
            chunk = sock.recv(65536)
        except OSError:
            return None, b""
        if not chunk:
            return None, b""
        data += chunk
    head, _, rest = data.partition(_HEAD_END)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    return (head, rest[:length]), rest[length:]


def _forward(upstream: tuple[str, int], head: bytes, body: bytes) -> bytes:
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() not in {"host", "connection", "content-length", "keep-alive"}:
            headers[name.strip()] = value.strip()
    connection = http.client.HTTPConnection(*upstream, timeout=30)
    try:
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        kind = response.getheader("Content-Type", "application/json")
        return _response(response.status, response.reason, payload, kind)
    finally:
        connection.close()


def _response(status: int, reason: str, body: bytes, kind: str) -> bytes:
    content_type = {"json": "application/json", "html": "text/html"}.get(kind, kind)
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body
