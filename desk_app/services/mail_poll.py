"""Polling the desk's IMAP mailbox: each unread message is imported (one activity
each) and marked read, or moved, only after its import committed. A message that was
refused stays unread for a person to look at.

IMAP goes through imap-tools (Apache-2.0, pure Python over the standard imaplib, kept
up to date): it adds typed errors, STARTTLS and UID handling that imaplib leaves to
the caller. No database transaction is open while the network is used.

In a team only one desk polls a mailbox at a time: it holds the mailbox's lease on the
team database while it polls; a desk without a team polls by itself.
"""

import contextlib
import imaplib
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import psycopg

from desk_app.core.errors import Refused
from desk_app.services.imap_settings import ImapSettings, configured_imap, imap_password
from desk_app.services.mail_in import MailOutcome, import_bytes
from desk_app.services.session import Session
from desk_app.services.team_sync import remote_settings
from desk_app.storage.meta import device_id, get_meta
from desk_app.sync.mailbox_lease import release_lease, take_lease
from desk_app.sync.remote import connect, describe_error

log = logging.getLogger(__name__)

TIMEOUT_S = 20
MAX_PER_POLL = 500
T = TypeVar("T")
Local = Callable[[Callable[[], Any]], Any]  # runs a step on the database's owner


def _here(step: Callable[[], T]) -> T:
    return step()


class MailboxUnavailable(Refused):
    """The mailbox could not be reached or refused the login; nothing was read."""


@dataclass
class PollReport:
    """What one poll did. ``polled`` False: it did not read the mailbox (``reason``)."""

    mailbox: str
    polled: bool
    reason: str | None = None
    outcomes: list[MailOutcome] = field(default_factory=list)
    left_unread: int = 0

    def to_json(self) -> dict:
        return {"mailbox": self.mailbox, "polled": self.polled, "reason": self.reason,
                "left_unread": self.left_unread,
                "messages": [o.to_json() for o in self.outcomes]}

    def summary(self) -> str:
        if not self.polled:
            return f"{self.mailbox}: not polled: {self.reason}"
        kinds: dict[str, int] = {}
        for outcome in self.outcomes:
            kinds[outcome.outcome] = kinds.get(outcome.outcome, 0) + 1
        found = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "no new mail"
        unread = f"; {self.left_unread} left unread" if self.left_unread else ""
        return f"{self.mailbox}: {found}{unread}"


def open_mailbox(settings: ImapSettings, password: str | None = None):
    """A logged-in imap-tools mailbox on the settings' folder; raises
    :class:`MailboxUnavailable` saying what went wrong (unreachable, TLS, login)."""
    from imap_tools import MailBox, MailBoxStartTls
    from imap_tools.errors import ImapToolsError, MailboxLoginError

    password = password if password is not None else imap_password(settings)
    where = f"{settings.host}:{settings.port}"
    if not password:
        raise MailboxUnavailable("password", f"no password for {settings.login} on {where}:"
                                 " run 'desk-app mail imap set' with --password-env, or "
                                 "set DESK_APP_IMAP_PASSWORD")
    context = ssl.create_default_context(cafile=settings.ca_file or None)
    try:
        if settings.security == "starttls":
            box = MailBoxStartTls(settings.host, settings.port, timeout=TIMEOUT_S,
                                  ssl_context=context)
        else:
            box = MailBox(settings.host, settings.port, timeout=TIMEOUT_S,
                          ssl_context=context)
    except ssl.SSLError as error:
        raise MailboxUnavailable("imap", f"TLS with {where} failed: {error.reason or error}"
                                 " (is the port and security right?)") from None
    except (OSError, ImapToolsError) as error:
        raise MailboxUnavailable("imap", f"cannot reach {where}: "
                                 f"{getattr(error, 'strerror', None) or error}") from None
    try:
        box.login(settings.login, password, initial_folder=settings.folder)
    except MailboxLoginError:
        _close(box)
        raise MailboxUnavailable("password", f"{where} refused the login {settings.login}:"
                                 " wrong login or password") from None
    except (OSError, ImapToolsError) as error:
        _close(box)
        raise MailboxUnavailable("folder", f"cannot open folder {settings.folder} on "
                                 f"{where}: {error}") from None
    return box


def _close(box) -> None:
    with contextlib.suppress(Exception):  # the connection may be gone already
        box.logout()


def check_mailbox(settings: ImapSettings | None = None, password: str | None = None) -> str:
    """Log in and count the unread messages; raises :class:`MailboxUnavailable`."""
    from imap_tools import AND

    settings = settings or configured_imap()
    box = open_mailbox(settings, password)
    try:
        unread = len(box.uids(AND(seen=False)))
    finally:
        _close(box)
    return f"{settings.display()}: reachable, {unread} unread message(s)"


def _team_facts() -> tuple[Any, str] | None:
    """The team database and this desk's device id; None for a desk without a team."""
    remote = remote_settings()
    if remote is None or not get_meta("server_id"):
        return None
    return remote, device_id()


def _lease_problem(settings: ImapSettings, seconds: int, local: Local = _here) -> str | None:
    """None when this desk may poll (it holds the lease, or it has no team); else why
    not."""
    facts = local(_team_facts)
    if facts is None:
        return None
    remote, device = facts
    try:
        with connect(remote) as conn:
            lease = take_lease(conn, settings.mailbox, device, seconds)
    except psycopg.Error as error:
        return (f"the team database is unreachable ({describe_error(error)}), so the "
                "mailbox's lease cannot be checked; another desk may be polling it")
    if lease.held:
        return None
    return (f"desk of {lease.holder_login} polls this mailbox (its lease runs until "
            f"{lease.expires_at:%Y-%m-%d %H:%M:%S %Z})")


def release_mailbox(settings: ImapSettings, local: Local = _here) -> None:
    """Give up this desk's lease on the mailbox (a team desk that stops polling)."""
    facts = local(_team_facts)
    if facts is None:
        return
    remote, device = facts
    try:
        with connect(remote) as conn:
            release_lease(conn, settings.mailbox, device)
    except psycopg.Error as error:  # it runs out by itself
        log.info("could not release the mailbox lease: %s", error)


def poll_once(session: Session, settings: ImapSettings | None = None,
              password: str | None = None, release: bool = False,
              stop: Callable[[], bool] = lambda: False, local: Local = _here) -> PollReport:
    """Import the unread messages of the mailbox once. ``release``: give the lease up
    afterwards (a one-off poll); ``stop``: checked between messages; ``local`` runs
    each database step (the window hands them to the database's owner thread, while
    the network stays on the poller's)."""
    from imap_tools import AND, MailMessageFlags
    from imap_tools.errors import ImapToolsError

    settings = settings or local(configured_imap)
    report = PollReport(settings.mailbox, polled=False)
    lease_seconds = max(60, 3 * settings.poll_seconds)
    problem = _lease_problem(settings, lease_seconds, local)
    if problem:
        report.reason = problem
        return report
    try:
        try:
            box = open_mailbox(settings, password)
        except MailboxUnavailable as error:
            report.reason = str(error)
            return report
        report.polled = True
        uids: list[str] = []
        handled = 0
        try:
            uids = box.uids(AND(seen=False))
            for position, uid in enumerate(uids[:MAX_PER_POLL]):
                if stop():
                    break
                status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
                raw = next((part[1] for part in data or () if isinstance(part, tuple)), None)
                if status != "OK" or raw is None:
                    report.left_unread += 1
                    handled += 1
                    continue
                source = f"imap {settings.folder} uid {uid}"
                outcome = local(lambda raw=raw, source=source: import_bytes(
                    session, raw, source, settings.login))
                report.outcomes.append(outcome)
                if outcome.outcome == "refused":
                    report.left_unread += 1
                elif settings.processed_folder:
                    box.move(uid, settings.processed_folder)
                else:
                    box.flag(uid, MailMessageFlags.SEEN, True)
                handled += 1
                if position % 50 == 49 and _lease_problem(settings, lease_seconds, local):
                    break  # the lease was lost (this desk was too slow): stop here
        except (OSError, imaplib.IMAP4.error, ImapToolsError) as error:
            report.reason = f"the connection broke: {error}; the rest stays unread"
        finally:
            report.left_unread += len(uids) - handled
            _close(box)
    finally:
        if release:
            release_mailbox(settings, local)
    return report
