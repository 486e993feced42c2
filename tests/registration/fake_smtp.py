"""A tiny SMTP server for tests: speaks enough SMTP for smtplib, can refuse the first messages."""

from __future__ import annotations

import email
import socketserver
import threading
from email import policy


class FakeSMTP:
    def __init__(self, fail_first: int = 0):
        self.fail_first = fail_first
        self.received: list[email.message.EmailMessage] = []
        self.refused = 0
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str):
                self.wfile.write((line + "\r\n").encode())

            def handle(self):
                self.reply("220 fake ESMTP")
                while True:
                    line = self.rfile.readline().decode(errors="replace").strip()
                    if not line:
                        return
                    verb = line.split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self.wfile.write(b"250-fake\r\n250 8BITMIME\r\n")
                    elif verb == "HELO":
                        self.reply("250 fake")
                    elif verb == "MAIL":
                        if outer.refused < outer.fail_first:
                            outer.refused += 1
                            self.reply("451 4.3.0 try again later")
                        else:
                            self.reply("250 OK")
                    elif verb == "RCPT":
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 go ahead")
                        lines = []
                        while True:
                            data = self.rfile.readline()
                            if data in (b".\r\n", b".\n", b""):
                                break
                            lines.append(data[1:] if data.startswith(b"..") else data)
                        outer.received.append(email.message_from_bytes(b"".join(lines), policy=policy.default))
                        self.reply("250 queued")
                    elif verb == "RSET" or verb == "NOOP":
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
