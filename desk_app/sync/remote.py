"""Where the team database is and how to log in to it.

The settings (host, port, database, user, sslmode) are kept in the desk's own database;
the password never is: it lives in the operating system's keyring, or libpq finds it
in PGPASSWORD or ~/.pgpass.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.parse import quote, unquote, urlsplit

import keyring
import keyring.errors
import psycopg

from desk_app.core.errors import InvalidValue, Refused

log = logging.getLogger(__name__)

KEYRING_SERVICE = "desk-app"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class RemoteSettings:
    """The team database a desk syncs with (no password: see :func:`password_for`)."""

    host: str
    database: str
    user: str
    port: int = 5432
    sslmode: str = "prefer"

    @property
    def keyring_user(self) -> str:
        """The keyring entry name: one password per login, server and database."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def display(self) -> str:
        """The settings as a URL (people read it; ``parse_remote_url`` reads it back);
        never contains a password."""
        user, database = quote(self.user, safe=""), quote(self.database, safe="")
        if self.host.startswith("/"):  # a Unix socket folder
            return (f"postgresql://{user}@/{database}?host={quote(self.host, safe='')}"
                    f"&port={self.port}&sslmode={self.sslmode}")
        return f"postgresql://{user}@{self.host}:{self.port}/{database}?sslmode={self.sslmode}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "RemoteSettings":
        return cls(**json.loads(text))


def parse_remote_url(url: str) -> tuple[RemoteSettings, str | None]:
    """``postgresql://user[:password]@host[:port]/database[?sslmode=...]`` as settings
    plus the password it carried (to be put in the keyring, not stored)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("postgresql", "postgres"):
        raise InvalidValue("url", "must start with postgresql://")
    query = {k: unquote(v) for k, v in
             (p.split("=", 1) for p in parts.query.split("&") if "=" in p)}
    host = query.pop("host", None) or parts.hostname
    if not host:
        raise InvalidValue("url", "names no host")
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise InvalidValue("url", "names no database (postgresql://user@host/DATABASE)")
    if not parts.username:
        raise InvalidValue("url", "names no user (postgresql://USER@host/database)")
    sslmode = query.pop("sslmode", "prefer")
    if sslmode not in SSL_MODES:
        raise InvalidValue("sslmode", f"{sslmode!r} is not one of {', '.join(SSL_MODES)}")
    try:
        port = int(query.pop("port", None) or parts.port or 5432)
    except ValueError as error:
        raise InvalidValue("url", f"bad port: {error}") from None
    password = unquote(parts.password) if parts.password else None
    return RemoteSettings(host, database, unquote(parts.username), port, sslmode), password


def store_password(settings: RemoteSettings, password: str) -> None:
    """Keep the password in the OS keyring; refuses clearly when there is none."""
    try:
        keyring.set_password(KEYRING_SERVICE, settings.keyring_user, password)
    except keyring.errors.KeyringError as error:
        raise Refused("password", "this machine has no usable keyring "
                      f"({error}); leave the password out of the URL and put it in "
                      "PGPASSWORD or ~/.pgpass instead") from None


def forget_password(settings: RemoteSettings) -> bool:
    """Remove the login's password from the keyring; False when there was none (or no
    keyring)."""
    try:
        keyring.delete_password(KEYRING_SERVICE, settings.keyring_user)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as error:
        log.debug("no keyring: %s", error)
        return False
    return True


def password_for(settings: RemoteSettings) -> str | None:
    """The password from the keyring, or None (libpq then reads PGPASSWORD / .pgpass)."""
    try:
        return keyring.get_password(KEYRING_SERVICE, settings.keyring_user)
    except keyring.errors.KeyringError as error:
        log.debug("no keyring: %s", error)
        return None


def connect(settings: RemoteSettings, *, autocommit: bool = True,
            password: str | None = None) -> psycopg.Connection:
    """A connection to the team database as the configured login (``password`` when
    given, else the keyring's, else whatever libpq finds: PGPASSWORD, .pgpass)."""
    params = {"host": settings.host, "port": settings.port, "dbname": settings.database,
              "user": settings.user, "sslmode": settings.sslmode,
              "connect_timeout": CONNECT_TIMEOUT_S, "application_name": "desk-app"}
    password = password or password_for(settings)
    if password is not None:
        params["password"] = password
    conn = psycopg.connect(autocommit=autocommit, **params)
    _hold_a_push_in_memory(conn)
    return conn


# A push chunk goes through the session's temporary inbox: with the default 8 MB of
# temporary buffers a first push's chunk (10-15 MB) was written out and read back.
# The buffers are taken as used, up to this; only a fresh session may change it.
PUSH_TEMP_BUFFERS = 32 * 1024 * 1024


def _hold_a_push_in_memory(conn: psycopg.Connection) -> None:
    try:
        conn.execute("SELECT set_config('temp_buffers', %s, false) "
                     "WHERE pg_size_bytes(current_setting('temp_buffers')) < %s",
                     (f"{PUSH_TEMP_BUFFERS // 1024}kB", PUSH_TEMP_BUFFERS))
    except psycopg.errors.InvalidParameterValue:
        # A server session that used temporary tables already (one a pooler hands on)
        # keeps the buffers it has: the push only goes slower.
        log.debug("temp_buffers left as the session has them")
        if not conn.autocommit:
            conn.rollback()
        return
    if not conn.autocommit:
        conn.commit()


def connect_url(url: str) -> psycopg.Connection:
    """A connection from a full URL (server administration commands)."""
    return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)


def clock_offset(conn: psycopg.Connection, device_millis: Callable[[], int]) -> int:
    """How far the device clock is ahead of the server's (negative: behind), in
    milliseconds; the device time is the midpoint of the round trip."""
    before = device_millis()
    server = conn.execute(
        "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint").fetchone()[0]
    return (before + device_millis()) // 2 - int(server)


def describe_error(error: Exception) -> str:
    """What went wrong talking to the team database, in one line for people."""
    if isinstance(error, psycopg.OperationalError):
        lines = str(error).strip().splitlines()
        return f"team database unreachable: {lines[0] if lines else 'no answer'}"
    text = getattr(getattr(error, "diag", None), "message_primary", None) or str(error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def driver_description() -> str:
    """The PostgreSQL driver and the libpq it loaded (a bundle must carry libpq)."""
    libpq = psycopg.pq.version()
    return (f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}), "
            f"libpq {libpq // 10000}.{libpq % 10000}")


def keyring_description() -> str:
    """Which keyring backend this machine offers for the team database password."""
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"
