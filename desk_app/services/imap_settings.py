"""Where the desk's incoming mail comes from: the IMAP mailbox it polls.

The settings (host, port, login, folder, security, poll interval) are kept in the
desk's own database; the password never is: it lives in the operating system's
keyring (as the team database's does), or in DESK_APP_IMAP_PASSWORD for a machine
without one.
"""

import json
import os
from dataclasses import asdict, dataclass, fields

import keyring
import keyring.errors

from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.permissions import Permission
from desk_app.core.validation import LABEL_MAX
from desk_app.services.session import Session
from desk_app.storage.database import database
from desk_app.storage.meta import get_meta, set_meta
from desk_app.sync.remote import KEYRING_SERVICE

SECURITIES = ("tls", "starttls")  # IMAP over TLS (port 993), or STARTTLS (143)
PASSWORD_VARIABLE = "DESK_APP_IMAP_PASSWORD"
MIN_POLL_SECONDS, MAX_POLL_SECONDS = 30, 24 * 3600


@dataclass(frozen=True)
class ImapSettings:
    """The mailbox this desk polls (no password: see :func:`imap_password`)."""

    host: str
    login: str
    port: int = 993
    folder: str = "INBOX"
    security: str = "tls"
    poll_seconds: int = 120
    processed_folder: str = ""  # move imported mail there; empty: mark it \\Seen
    ca_file: str = ""  # trust this CA (a self-hosted server), besides the system's

    @property
    def keyring_user(self) -> str:
        """The keyring entry name: one password per login and server."""
        return f"imap:{self.login}@{self.host}:{self.port}"

    @property
    def mailbox(self) -> str:
        """The lease's name for this mailbox (the same on every desk)."""
        return f"{self.login.lower()}@{self.host.lower()}:{self.port}/{self.folder}"

    def display(self) -> str:
        """The settings as people read them (never the password)."""
        moved = f", imported mail moved to {self.processed_folder}" if \
            self.processed_folder else ", imported mail marked read"
        return (f"{self.login} on {self.host}:{self.port} ({self.security}), folder "
                f"{self.folder}, every {self.poll_seconds} s{moved}")


def checked_settings(values: dict) -> ImapSettings:
    """Settings from form or command values; refuses naming the field."""
    known = {f.name for f in fields(ImapSettings)}
    values = {k: v for k, v in values.items() if k in known and v is not None}
    for name in ("host", "login"):
        if not str(values.get(name, "")).strip():
            raise InvalidValue(name, "is required")
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
            if len(values[name]) > LABEL_MAX or any(ord(c) < 32 for c in values[name]):
                raise InvalidValue(name, f"at most {LABEL_MAX} characters, no control "
                                   "characters")
    security = values.get("security", "tls")
    if security not in SECURITIES:
        raise InvalidValue("security", f"{security!r} is not one of: {', '.join(SECURITIES)}"
                           " (plain IMAP is not offered: the password would travel open)")
    values.setdefault("port", 993 if security == "tls" else 143)
    try:
        port = int(values["port"])
    except (TypeError, ValueError):
        raise InvalidValue("port", f"{values['port']!r} is not a number") from None
    if not 1 <= port <= 65535:
        raise InvalidValue("port", "must be between 1 and 65535")
    try:
        seconds = int(values.get("poll_seconds", 120))
    except (TypeError, ValueError):
        raise InvalidValue("poll_seconds", "is not a whole number of seconds") from None
    if not MIN_POLL_SECONDS <= seconds <= MAX_POLL_SECONDS:
        raise InvalidValue("poll_seconds", f"must be between {MIN_POLL_SECONDS} and "
                           f"{MAX_POLL_SECONDS}")
    if not values.get("folder", "INBOX"):
        raise InvalidValue("folder", "must not be empty")
    if values.get("ca_file") and not os.path.isfile(values["ca_file"]):
        raise InvalidValue("ca_file", f"{values['ca_file']} is not a file")
    return ImapSettings(**(values | {"port": port, "poll_seconds": seconds}))


def imap_settings() -> ImapSettings | None:
    """The mailbox this desk polls, if one is set."""
    text = get_meta("imap")
    return ImapSettings(**json.loads(text)) if text else None


def configured_imap() -> ImapSettings:
    """The mailbox this desk polls; refuses when none is set."""
    settings = imap_settings()
    if settings is None:
        raise Refused("imap", "no mailbox set; run: desk-app mail imap set --host HOST "
                      "--login LOGIN")
    return settings


def save_imap(session: Session, settings: ImapSettings, password: str | None) -> None:
    """Store the settings (administrators only), and the password in the keyring."""
    session.require(Permission.CHANGE_POLICY)
    if password is not None:
        try:
            keyring.set_password(KEYRING_SERVICE, settings.keyring_user, password)
        except keyring.errors.KeyringError as error:
            raise Refused("password", "this machine has no usable keyring "
                          f"({error}); set {PASSWORD_VARIABLE} for the poller "
                          "instead, and leave the password out") from None
    with database.atomic():
        set_meta("imap", json.dumps(asdict(settings), sort_keys=True))


def imap_password(settings: ImapSettings) -> str | None:
    """The password from the keyring, else DESK_APP_IMAP_PASSWORD, else None."""
    try:
        found = keyring.get_password(KEYRING_SERVICE, settings.keyring_user)
    except keyring.errors.KeyringError:
        found = None
    return found or os.environ.get(PASSWORD_VARIABLE) or None
