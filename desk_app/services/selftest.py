"""What ``desk-app selftest`` checks through the services, on a throwaway desk: one ticket
taken through its whole life and read back, and the parts a frozen bundle can lose
(libpq, the keyring backend, time zones, public holiday data, full-text search, the
mail clients and their TLS, the ranked search's library when the desk depends on it).

Each check returns a short detail for the report or raises with the reason."""

import importlib
import importlib.metadata
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from desk_app.core.calendar import BusinessCalendar
from desk_app.services import queues, workflow
from desk_app.services.intake import NewTicket, log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.reference import desk_reference
from desk_app.services.session import Session
from desk_app.services.ticket_view import ticket_view
from desk_app.services.worklog import add_worklog
from desk_app.sync.remote import driver_description, keyring_description

SUMMARY = "Self-test: printer on floor 3 shows paper jam"
WORKLOG = "Self-test: cleared the jam, printed a test page"


class SelfTestFailed(Exception):
    """A check found something wrong; the message says what."""


@dataclass(frozen=True)
class Outcome:
    """One check of the self-test: passed or not, with what it found or why it failed."""

    name: str
    ok: bool
    detail: str
    seconds: float


def measured(name: str, action: Callable[[], str]) -> Outcome:
    """Run one check and time it; any exception becomes its failed outcome (a
    :class:`SelfTestFailed` says why in plain words, anything else is named)."""
    started = time.perf_counter()
    try:
        detail, ok = action(), True
    except SelfTestFailed as failure:
        detail, ok = str(failure), False
    except Exception as error:  # every failure is reported, never raised past the check
        detail, ok = f"{type(error).__name__}: {error}", False
    return Outcome(name, ok, detail, time.perf_counter() - started)


@dataclass(frozen=True)
class Check:
    """One named check and what it does."""

    name: str
    run: Callable[[Session], str]


def _expect(condition: bool, reason: str) -> None:
    if not condition:
        raise SelfTestFailed(reason)


def ticket_lifecycle(session: Session) -> str:
    """Log, assign, work, resolve, confirm and close one incident; returns its number
    (a refusal on the way propagates, naming the field or rule)."""
    reference = desk_reference(session)
    category, subcategories = next(iter(reference.categories.items()))
    ticket = log_ticket(session, NewTicket(
        summary=SUMMARY, description="Logged by desk-app selftest", reporter="Self Test",
        contact="selftest@example.invalid", channel=reference.channels[0], service="Printing",
        impact="low", urgency="low", detected_at=session.now() - timedelta(minutes=5),
        category=category, subcategory=subcategories[0] if subcategories else None))
    number = ticket.number
    workflow.assign(session, number, group=reference.groups[0], technician=session.login)
    workflow.start_work(session, number)
    add_worklog(session, number, WORKLOG, kind="note", minutes=5)
    workflow.resolve(session, number, "permanent", "solved", "Cleared the paper path")
    workflow.confirm(session, number)
    workflow.close(session, number, knowledge="not_needed")
    return number


def read_back(session: Session, number: str) -> str:
    """The closed ticket as the ticket screen would show it, and found by search."""
    view = ticket_view(session, ticket_by_number(number))
    _expect(view["status"] == "closed", f"{number} is {view['status']}, expected closed")
    _expect(view["summary"] == SUMMARY, f"{number}'s summary came back as {view['summary']!r}")
    _expect([entry["note"] for entry in view["worklog"]] == [WORKLOG],
            f"{number}'s worklog came back as {view['worklog']!r}")
    unmet = [item for item in view["checklists"]["closure"] if not item["done"]]
    _expect(not unmet, f"{number} closed with unmet closure items {unmet!r}")
    found = queues.listing_count(session, queues.TicketFilter(search="paper jam floor"))
    _expect(found == 1, f"full-text search found {found} tickets for 'paper jam floor'")
    return f"{number} closed, worklog and closure checklist read back, found by search"


def public_holidays(_session: Session) -> str:
    """A calendar with a country's public holidays (data the bundle must carry)."""
    calendar = BusinessCalendar.from_dict("selftest", {
        "time_zone": "Europe/London", "hours": {"mon": ["09:00-17:00"]}, "country": "GB"})
    christmas = date(2026, 12, 25)
    _expect(calendar.is_holiday(christmas), "25 Dec 2026 is not a GB public holiday")
    ZoneInfo("America/Los_Angeles")  # time zone data (tzdata on Windows)
    return "GB public holidays and time zone data found"


def database_driver(_session: Session) -> str:
    """The PostgreSQL driver loads, with its libpq."""
    return driver_description()


def keyring_backend(_session: Session) -> str:
    """The keyring backend found (a machine without one still works, passwordless)."""
    return keyring_description()


def mail_clients(_session: Session) -> str:
    """The outgoing (smtplib) and incoming (imap-tools) mail code loads, with a TLS
    context from the bundled OpenSSL and its certificate store."""
    import smtplib
    import ssl

    import imap_tools

    # the desk's own mail modules, imported by name when first used (never at start)
    for name in ("desk_app.services.mail_sender", "desk_app.services.mail_poll"):
        importlib.import_module(name)

    context = ssl.create_default_context()
    _expect(context.verify_mode == ssl.CERT_REQUIRED, "TLS certificates are not verified")
    _expect(hasattr(smtplib.SMTP, "starttls"), "smtplib has no STARTTLS")
    return f"smtplib, imap-tools {imap_tools.__version__} and TLS ({ssl.OPENSSL_VERSION})"


def _depends_on(package: str) -> bool:
    """Whether desk-app's own metadata (bundled too) names ``package`` as a dependency."""
    try:
        requirements = importlib.metadata.requires("desk-app") or []
    except importlib.metadata.PackageNotFoundError:
        return False
    return any(re.split(r"[\s;<>=!~\[]", req, maxsplit=1)[0].lower() == package
               for req in requirements)


def ranked_search_library(_session: Session) -> str:
    """rapidfuzz (the ranked search's matcher) loads and ranks, when desk-app uses it."""
    if not _depends_on("rapidfuzz"):
        return "rapidfuzz is not a dependency of this build"
    from rapidfuzz import fuzz, process

    best = process.extractOne("printer jam", ["VPN drops", "Printer paper jam", "Mail"],
                              scorer=fuzz.WRatio)
    _expect(best is not None and best[0] == "Printer paper jam",
            f"rapidfuzz ranked {best!r} first for 'printer jam'")
    # compiled, not rapidfuzz's silent pure-Python fallback (the bundle keeps these two)
    compiled = (fuzz.ratio.__module__, process.extract.__module__)
    _expect(compiled[0].startswith("rapidfuzz.fuzz_cpp")
            and compiled[1] == "rapidfuzz.process_cpp_impl",
            f"rapidfuzz runs {compiled}, not its compiled matcher")
    return f"rapidfuzz ranks with {compiled[0]} ('printer jam' -> {best[0]!r})"


CHECKS: tuple[Check, ...] = (
    Check("public holidays and time zones", public_holidays),
    Check("PostgreSQL driver", database_driver),
    Check("keyring", keyring_backend),
    Check("mail clients", mail_clients),
    Check("ranked search library", ranked_search_library),
)


def closed_ticket_on_disk(session: Session) -> str:
    """After the desk was closed and opened again: the self-test's ticket is there,
    closed (what the window's run wrote reached the file)."""
    found = queues.listing_count(session, queues.TicketFilter(statuses=("closed",),
                                                              search="paper jam floor"))
    _expect(found == 1, f"after reopening, {found} closed self-test tickets (expected 1)")
    return "the closed ticket is there after closing and opening the database again"
