"""Real alert receivers on loopback for tests: an HTTP server taking JSON webhooks, an SMTP server taking mail."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LOOPBACK = "127.0.0.1"


class WebhookReceiver:
    """An HTTP server on loopback that records every POST it is sent (path, headers, JSON body)."""

    def __init__(self, status: int = 200) -> None:
        self.requests: list[dict] = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(body or b"null")}
                )
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/alerts") -> str:
        """The apprise URL that posts JSON to this receiver."""
        return f"json://{LOOPBACK}:{self.port}{path}"


@contextmanager
def webhook_receiver(status: int = 200) -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(status)
    receiver.thread.start()
    try:
        yield receiver
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_receiver(login: str | None = None, password: str | None = None) -> Iterator[tuple[int, _Mailbox]]:
    """A real SMTP server (aiosmtpd) on a free loopback port; yields the port and the mailbox.

    With `login` and `password` it requires that login (over plain SMTP: this is loopback).
    """
    mailbox = _Mailbox()
    options = {}
    if login is not None:

        def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
            ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
                login.encode(),
                (password or "").encode(),
            )
            mailbox.logins.append(auth_data.login.decode() if ok else "<refused>")
            return AuthResult(success=ok)

        options = {"authenticator": authenticate, "auth_required": True, "auth_require_tls": False}
    controller = Controller(mailbox, hostname=LOOPBACK, port=free_port(), **options)
    controller.start()
    try:
        yield controller.port, mailbox
    finally:
        controller.stop()


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]
