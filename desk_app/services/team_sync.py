"""The team database as the desk sees it: where it is, whether it answers, one sync,
and the status a person reads. Also the server set-up an administrator runs once."""

from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from desk_app.core.errors import Refused
from desk_app.services.demo import remove_demo_tickets
from desk_app.services.session import Session
from desk_app.services.team_login import team_login
from desk_app.storage.database import database
from desk_app.storage.demo_rows import demo_ticket_count
from desk_app.storage.meta import get_meta, set_meta, system_millis
from desk_app.storage.models import Technician
from desk_app.sync import leaving, server_schema
from desk_app.sync.engine import SyncReport, SyncStatus, run_sync, sync_status
from desk_app.sync.errors import SyncError
from desk_app.sync.local import LocalRunner, run_here
from desk_app.sync.remote import (
    SSL_MODES,
    RemoteSettings,
    clock_offset,
    connect,
    connect_url,
    describe_error,
    forget_password,
    parse_remote_url,
    store_password,
)
from desk_app.sync.team_people import ensure_member


def remote_settings() -> RemoteSettings | None:
    """The team database this desk syncs with, if one is set."""
    text = get_meta("remote")
    return RemoteSettings.from_json(text) if text else None


def configured_remote() -> RemoteSettings:
    settings = remote_settings()
    if settings is None:
        raise Refused("remote", "no team database set; run: desk-app remote set URL")
    return settings


DEMO_CHOICES = ("refuse", "remove", "include")


class DemoTicketsHeld(Refused):
    """The desk holds demo tickets that connecting would send to the team: the person
    chooses to remove them first or to include them (``count`` says how many)."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__("demo", f"this desk holds {count:,} demo ticket"
                         f"{'s' if count != 1 else ''}; connected to a team database "
                         "they would be sent to every colleague. Remove them first "
                         "(desk-app demo --remove) or keep them and send them "
                         "(desk-app remote set --include-demo URL)")


def settle_demo_tickets(session: Session | None, demo_tickets: str) -> None:
    """Before connecting: "refuse" (when there are demo tickets, raise
    :class:`DemoTicketsHeld`), "remove" them, or "include" them in what is sent."""
    if demo_tickets not in DEMO_CHOICES:
        raise Refused("demo", f"{demo_tickets!r} is not one of {', '.join(DEMO_CHOICES)}")
    count = demo_ticket_count()
    if not count or demo_tickets == "include":
        return
    if demo_tickets == "refuse" or session is None:
        raise DemoTicketsHeld(count)
    remove_demo_tickets(session)


def set_remote(session: Session, url: str, demo_tickets: str = "refuse") -> RemoteSettings:
    """Point the desk at a team database. A password in the URL goes to the OS keyring
    (refused, changing nothing, when there is none); it is never stored here. Demo
    tickets on the desk are refused, removed or included as ``demo_tickets`` says
    (:func:`settle_demo_tickets`)."""
    settings, password = parse_remote_url(url)
    return save_remote(settings, password, session, demo_tickets)


def remote_from_form(host: str, port: int | str, database_name: str, user: str,
                     sslmode: str) -> RemoteSettings:
    """The settings a form describes, or a refusal naming the field."""
    for name, value in (("host", host), ("database", database_name), ("user", user)):
        if not (value or "").strip():
            raise Refused(name, "is required")
    try:
        port_number = int(port or 5432)
    except ValueError:
        raise Refused("port", f"{port!r} is not a port number") from None
    if not 0 < port_number < 65536:
        raise Refused("port", f"{port_number} is not a port number (1-65535)")
    if sslmode not in SSL_MODES:
        raise Refused("sslmode", f"{sslmode!r} is not one of {', '.join(SSL_MODES)}")
    return RemoteSettings(host.strip(), database_name.strip(), user.strip(), port_number,
                          sslmode)


def set_remote_from_form(session: Session, host: str, port: int | str, database_name: str,
                         user: str, sslmode: str, password: str,
                         demo_tickets: str = "refuse") -> RemoteSettings:
    """Save the desktop settings form the same way (an empty password keeps whatever
    the keyring, PGPASSWORD or .pgpass hold)."""
    return save_remote(remote_from_form(host, port, database_name, user, sslmode),
                       password or None, session, demo_tickets)


def save_remote(settings: RemoteSettings, password: str | None,
                session: Session | None = None, demo_tickets: str = "refuse") -> RemoteSettings:
    """Store the settings, and the password in the keyring (refused, writing nothing,
    when there is none); a desk that synced with one team database keeps it. Demo
    tickets are settled first (:func:`settle_demo_tickets`): a refusal changes
    nothing, their removal is undone when the rest fails."""
    current = remote_settings() if get_meta("server_id") else None  # None: not joined
    if current and (current.host, current.port, current.database) \
            != (settings.host, settings.port, settings.database):
        raise Refused("url", "this desk has synced with "
                      f"{current.display()}; it cannot switch to another team database")
    switching = current is not None and current.user != settings.user
    if switching and sync_status().pending:
        raise Refused("url", f"changes made as {current.user} wait to be sent; sync them "
                      f"before this desk works as {settings.user}")
    with database.atomic():
        settle_demo_tickets(session, demo_tickets)
        set_meta("remote", settings.to_json())
        if switching:
            ensure_member(settings.user)
        if password is not None:  # last: a refusal rolls back all the above
            store_password(settings, password)
    return settings


@dataclass(frozen=True)
class LeftTeam:
    """What ``remote unset`` did."""

    remote: str
    pending: int
    password_removed: bool

    def describe(self) -> str:
        text = (f"left the team database {self.remote}; this desk keeps its tickets and "
                "works alone (a new device identity; numbers continue past the highest "
                "here)")
        if self.pending:
            text += (f"; {self.pending} change(s) not yet pushed stay here and go to the "
                     "next team database this desk joins")
        return text


def leave_team(session: Session) -> LeftTeam:
    """Leave the team database: the desk keeps its tickets and works alone, the
    login's password leaves the keyring; 'remote set' then joins a team again (the
    same or another) with every ticket, like any standalone desk."""
    del session  # each desk leaves on its own
    settings = configured_remote()
    with database.atomic():
        pending = leaving.leave_team()
    removed = forget_password(settings)
    return LeftTeam(settings.display(), pending, removed)


@dataclass(frozen=True)
class RemoteCheck:
    """What ``remote test`` found."""

    reachable: bool
    settings: RemoteSettings
    schema_version: int | None = None
    clock_offset_ms: int | None = None
    problem: str | None = None

    def describe(self) -> str:
        if not self.reachable or self.problem:
            return f"{self.settings.display()}: {self.problem}"
        offset = self.clock_offset_ms or 0
        clock = (f"{abs(offset) / 1000:.1f} s {'ahead of' if offset > 0 else 'behind'} the "
                 "server" if offset else "in step with the server")
        warning = " (more than 5 minutes: check this device's clock)" \
            if abs(offset) > server_schema.MAX_CLOCK_AHEAD_MS else ""
        return (f"{self.settings.display()}: reachable, schema version "
                f"{self.schema_version}, this device's clock is {clock}{warning}")


def check_remote(device_millis: Callable[[], int] = system_millis) -> RemoteCheck:
    """Whether the team database answers, its schema version and the clock difference."""
    return check_settings(configured_remote(), device_millis)


def check_settings(settings: RemoteSettings,
                   device_millis: Callable[[], int] = system_millis) -> RemoteCheck:
    """:func:`check_remote` for settings already read (network only: for a thread that
    does not own the local database)."""
    return _check(settings, None, device_millis)


def try_connection(host: str, port: int | str, database_name: str, user: str, sslmode: str,
                    password: str, device_millis: Callable[[], int] = system_millis
                    ) -> RemoteCheck:
    """Try settings typed into a form before anything is saved (the first-run wizard):
    reachable, schema version, clock; or what is wrong."""
    settings = remote_from_form(host, port, database_name, user, sslmode)
    return _check(settings, password or None, device_millis)


def _check(settings: RemoteSettings, password: str | None,
           device_millis: Callable[[], int]) -> RemoteCheck:
    try:
        with connect(settings, password=password) as conn:
            offset = clock_offset(conn, device_millis)
            try:
                version, _ = server_schema.check_schema(conn)
            except SyncError as error:
                found = server_schema.schema_version(conn)
                return RemoteCheck(True, settings, found[0] if found else None, offset,
                                   str(error))
            return RemoteCheck(True, settings, version, offset)
    except psycopg.Error as error:
        return RemoteCheck(False, settings, problem=describe_error(error))


def sync_now(session: Session, verify_all: bool = False,
             local: LocalRunner = run_here) -> SyncReport:
    """One full sync as the session's technician (the server records the login); the
    local steps go through ``local`` (the database's owner in the desktop client)."""
    settings = local(configured_remote)
    # A pulled policy moves the stored policy revision on: the next activity reads it.
    report = run_sync(settings, session.login, session.device_millis, verify_all=verify_all,
                      local=local)
    local(lambda: _act_as_team_login(session))
    return report


def _act_as_team_login(session: Session) -> None:
    """A desk that has just joined its team works as its sync login from the next
    activity on (the desktop client's session outlives the join)."""
    login = team_login()
    if login and login != session.login:
        actor = Technician.get_or_none(Technician.login == login)
        if actor is not None:
            session.act_as(actor)


@dataclass(frozen=True)
class BackgroundSync:
    """What a background sync found: ``state`` is "local" (no team database), "up to
    date", "offline" or "error"; ``reason`` says why for the last two."""

    state: str
    status: SyncStatus
    report: SyncReport | None = None
    reason: str | None = None
    settings: RemoteSettings | None = None


def background_sync(session: Session, only_if_pending: bool = False,
                    local: LocalRunner = run_here) -> BackgroundSync:
    """A sync for the desktop client's sync thread, which does the network I/O and hands
    every local step to ``local``: never raises for a server that is away or failing
    (local work stays queued); says what happened instead."""
    settings = local(remote_settings)
    if settings is None:
        return BackgroundSync("local", local(sync_status))
    if only_if_pending and local(sync_status).pending == 0:
        return BackgroundSync("up to date", local(sync_status), settings=settings)
    try:
        report = sync_now(session, local=local)
    except SyncError as error:
        reason = str(error)
        state = "offline" if reason.startswith("team database unreachable") else "error"
        return BackgroundSync(state, local(sync_status), reason=reason, settings=settings)
    return BackgroundSync("up to date", local(sync_status), report, settings=settings)


def status() -> SyncStatus:
    """Pending changes, the last successful sync, the last error and the remote."""
    return sync_status()


def init_server(url: str, technician_role: str | None = None,
                admin_role: str | None = None) -> tuple[int, int, server_schema.TeamRoles]:
    """Create or upgrade the team database's schema (run with the database owner's URL;
    no superuser needed). Returns (version before, version after, the group roles);
    :class:`SyncError` says what is missing when it cannot."""
    try:
        with connect_url(url) as conn:
            before, after = server_schema.init_server(conn, technician_role, admin_role)
            return before, after, server_schema.team_roles(conn)
    except psycopg.Error as error:
        raise SyncError(describe_error(error)) from None


def add_server_user(url: str, name: str, role: str, password: str | None) -> bool:
    """Create or update a technician's login on the team database; without the right
    to, :class:`SyncError` gives the SQL a server administrator runs."""
    try:
        with connect_url(url) as conn:
            return server_schema.add_user(conn, name, role, password)
    except psycopg.Error as error:
        raise SyncError(describe_error(error)) from None
