"""A real IMAP server for the tests: pymap (pure Python, MIT) with its in-memory
backend on 127.0.0.1, speaking STARTTLS with a certificate made for the test run."""

import datetime
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

USER, PASSWORD = "helpdesk@example.org", "imap-secret"


def _certificate(folder: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                 x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ImapServer:
    port: int
    ca_file: Path

    def client(self):
        from imap_tools import MailBoxStartTls

        context = ssl.create_default_context(cafile=str(self.ca_file))
        return MailBoxStartTls("127.0.0.1", self.port, timeout=10,
                               ssl_context=context).login(USER, PASSWORD)

    def deliver(self, *messages: bytes) -> None:
        """Put messages in the INBOX (a real IMAP APPEND), unread."""
        with self.client() as box:
            for message in messages:
                box.append(message, "INBOX", flag_set=[])

    def unread(self) -> int:
        from imap_tools import AND

        with self.client() as box:
            return len(box.uids(AND(seen=False)))

    def seen(self) -> int:
        from imap_tools import AND

        with self.client() as box:
            return len(box.uids(AND(seen=True)))

    def clear(self) -> None:
        with self.client() as box:
            uids = box.uids()
            if uids:
                box.delete(uids)


@pytest.fixture(scope="session")
def imap_server(tmp_path_factory) -> Iterator[ImapServer]:
    folder = tmp_path_factory.mktemp("imap")
    cert, key = _certificate(folder)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pymap.main import main; sys.exit(main())",
         "--host", "127.0.0.1", "--port", str(port), "--cert", str(cert), "--key", str(key),
         "dict", "--demo-user", USER, "--demo-password", PASSWORD],
        stdout=subprocess.DEVNULL, stderr=(folder / "pymap.log").open("wb"))
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("pymap did not start: "
                                       + (folder / "pymap.log").read_text()[-2000:]) from None
                time.sleep(0.1)
        server = ImapServer(port, cert)
        server.clear()  # the in-memory backend starts with nothing, but be sure
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def imap(imap_server) -> Iterator[ImapServer]:
    """The session's IMAP server with an empty INBOX."""
    imap_server.clear()
    yield imap_server
