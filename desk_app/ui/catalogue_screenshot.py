"""The README's picture of a configuration item's page: a mail server with its incident
history, some tickets open and some resolved (written inside the screenshot run's
rehearsal, so nothing of it stays)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from desk_app.services import catalogue
from desk_app.services.intake import NewTicket, log_ticket
from desk_app.services.workflow import resolve, start_work
from desk_app.ui.driving import run_on_worker, wait_until

SHOT = "09-ci-history.png"
CI = "EXCH-MBX-02"
_TICKETS = (
    ("Mailbox database EXCH-MBX-02 dismounted", "high", "high", True),
    ("Outlook slow for the finance floor", "medium", "medium", False),
    ("Shared mailbox 'invoices' not updating", "medium", "low", True),
    ("Calendar invitations arrive twice", "low", "medium", True),
    ("Disk space warning on the mailbox server", "low", "low", False),
)


def _stock(session: Any) -> None:
    for kind, values in (
            ("service", {"name": "Email", "criticality": "critical",
                         "owner_group": "Infrastructure", "major_priorities": "P1,P2",
                         "sla_targets": "P1=10m/2h; P2=20m/4h"}),
            ("ci", {"name": CI, "type": "Exchange mailbox server", "serial": "CZJ81204QF",
                    "location": "Data centre 1, rack B4", "owner": "Messaging team",
                    "service": "Email",
                    "notes": "Second DAG member; patched monthly on the 2nd Tuesday."})):
        if catalogue.catalogue_row_exists(kind, values["name"]):
            continue
        catalogue.add_entry(session, kind, values)
    now = session.now_fn()
    for summary, impact, urgency, solved in _TICKETS:
        ticket = log_ticket(session, NewTicket(
            summary=summary, description="Reported by the service desk monitor.",
            reporter="Dana Whitfield", contact="dana.whitfield@example.com",
            channel="phone", service="", ci=CI, impact=impact, urgency=urgency,
            detected_at=now - timedelta(minutes=30), category="Email",
            subcategory="Mailbox"))
        if solved:
            start_work(session, ticket.number)
            resolve(session, ticket.number, "permanent", "Solved (permanently)",
                    "Fixed on the server.")


def ci_history_shot(worker: Any, open_page: Any, session: Any, out_dir: Path) -> str:
    """Write the CI page's picture; returns its path."""
    run_on_worker(worker, lambda: _stock(session))
    page: QWidget = open_page("ci", CI)
    wait_until(lambda: worker.idle)
    QApplication.processEvents()
    page.resize(900, 600)
    QApplication.processEvents()
    path = out_dir / SHOT
    if not page.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    page.close()
    return str(path)
