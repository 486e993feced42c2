"""SMTP servers for tests and benches: an aiosmtpd sink that accepts every message, and a
server that accepts connections and never answers (a hanging SMTP server)."""

from __future__ import annotations

import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPSink:
    """Accepts every message and keeps it, thread-safely. Messages are parsed when read, not
    when received: a bench's sink shares its process with the clients it measures."""

    def __init__(self, port: int | None = None):
        self._received: list[bytes] = []
        self._parsed: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=port or free_port())

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self._lock:
            self._received.append(envelope.content)
        return "250 Message accepted for delivery"

    @property
    def count(self) -> int:
        return len(self._received)

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self._lock:
            new = self._received[len(self._parsed):]
            self._parsed.extend(email.message_from_bytes(raw, policy=policy.default) for raw in new)
            return list(self._parsed)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()
            self._parsed.clear()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class HangingSMTP:
    """Listens, so connections are made (the kernel accepts them), and never says a word."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.socket.getsockname()[1]}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.socket.close()
