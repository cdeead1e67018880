"""A fake of the bank's SMS platform for the tests: a real HTTP server on a local port, in a thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Platform:
    """What the fake bank platform was sent (and over how many connections), and how it answers each
    message (by message id): ``accept``, ``accept_then_drop`` (accepts, then closes the kept-alive
    connection without a word), ``refuse``, ``busy`` (503) or ``hang`` (no answer until released)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: dict[str, str] = {}
        self.default = "accept"
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.connections = 0

    def handler(self) -> type[BaseHTTPRequestHandler]:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self) -> None:
                super().setup()
                with platform.lock:
                    platform.connections += 1

            protocol_version = "HTTP/1.1"  # connections kept alive, as a platform's are
            disable_nagle_algorithm = True  # as web servers do on kept-alive connections (the head and body go out at once)

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
                with platform.lock:
                    platform.received.append({"body": body, "key": self.headers["Idempotency-Key"], "auth": self.headers["Authorization"]})
                    answer = platform.answers.get(body["message_id"], platform.default)
                if answer == "hang":
                    platform.release.wait(10)
                    return
                if answer == "refuse":
                    self._reply(422, {"reason": "mobile on the block list"})
                elif answer == "busy":
                    self._reply(503, {"error": "try later"})
                else:
                    self._reply(202, {"status": "accepted"})
                    if answer == "accept_then_drop":  # then closes the connection without saying so
                        self.close_connection = True

            def _reply(self, status: int, payload: dict[str, str]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: Any) -> None:
                pass

        return Handler


@contextmanager
def running_platform() -> Iterator[tuple[Platform, str]]:
    """The platform listening on 127.0.0.1, and the URL messages are posted to."""
    fake = Platform()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}/api/messages"
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
        thread.join()
