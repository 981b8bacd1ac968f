"""A real SMTP server for the outgoing mail tests (aiosmtpd on 127.0.0.1), plain or with
STARTTLS or TLS on a throwaway certificate authority (trustme), optionally asking for
a login. Import the fixtures into a test module: ``from tests.mail_server import ...``.
"""

import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LOGIN, PASSWORD = "desk@example.com", "smtp-secret"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Inbox:
    """What the server received, and which recipients it refuses for good."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    refused_senders: set[str] = field(default_factory=set)
    data_answer: str | None = None  # e.g. "554 ...": refuse every message's content

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if address in self.refused_senders:
            return f"553 5.7.1 <{address}>: sender not allowed"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return f"550 5.1.1 <{address}>: no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_answer:
            return self.data_answer
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"

    def subjects(self) -> list[str]:
        return [" ".join(str(m["Subject"]).split()) for m in self.messages]


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and \
        (auth_data.login, auth_data.password) == (LOGIN.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)  # the server answers 535 itself


@dataclass
class SmtpServer:
    """A running server: where it is, its inbox, and the trust a client needs."""

    host: str
    port: int
    security: str
    inbox: Inbox
    options: dict
    client_context: ssl.SSLContext | None = None
    controller: Controller | None = None

    def start(self) -> None:
        """Listen (again: a server taken down comes back on the same port)."""
        if self.controller is None:
            self.controller = Controller(self.inbox, hostname=self.host, port=self.port,
                                         **self.options)
            if "ssl_context" in self.options:  # the readiness probe must trust our CA
                self.controller.ssl_context = self.options["ssl_context"]
            self.controller.start()

    def stop(self) -> None:
        """Stop listening (connections are then refused)."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def start_server(security: str = "none", login: bool = False,
                 port: int | None = None) -> SmtpServer:
    """Start an SMTP server on 127.0.0.1 (``security`` none, starttls or tls)."""
    inbox = Inbox()
    kwargs: dict = {}
    client_context = None
    if security != "none":
        authority = trustme.CA()
        certificate = authority.issue_cert("127.0.0.1", "localhost")
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(server_context)
        client_context = ssl.create_default_context()
        authority.configure_trust(client_context)
        if security == "starttls":
            kwargs.update(tls_context=server_context, require_starttls=True)
        else:
            kwargs.update(ssl_context=server_context, server_hostname="127.0.0.1")
    if login:
        # on implicit TLS the connection is encrypted from the start
        kwargs.update(authenticator=_authenticator, auth_require_tls=security == "starttls",
                      auth_exclude_mechanism=["CRAM-MD5"])
    server = SmtpServer("127.0.0.1", port or free_port(), security, inbox, kwargs,
                        client_context)
    server.start()
    return server


@pytest.fixture
def smtp_server():
    """A plain SMTP server without login (like a local relay)."""
    server = start_server("none")
    yield server
    server.stop()


@pytest.fixture
def starttls_server():
    """An SMTP server that requires STARTTLS and a login."""
    server = start_server("starttls", login=True)
    yield server
    server.stop()


@pytest.fixture
def tls_server():
    """An SMTP server on implicit TLS that requires a login."""
    server = start_server("tls", login=True)
    yield server
    server.stop()
