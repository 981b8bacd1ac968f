"""The README's pictures of the major-incident board and its update composer: a mail
outage declared with its team and bridge, two child incidents, a few timeline entries
and one update sent (written inside the screenshot run's rehearsal, so nothing of it
stays)."""

from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from desk_app.core.errors import Refused
from desk_app.services.admin import add_technician
from desk_app.services.intake import NewTicket, log_ticket
from desk_app.services.major_children import attach_children
from desk_app.services.major_incidents import declare, log_entry
from desk_app.services.major_updates import send_update
from desk_app.ui.driving import run_on_worker, wait_until

SHOTS = ("24-major-board.png", "25-major-update.png")
PEOPLE = (("sam.okafor", "Sam Okafor", "Infrastructure"),
          ("lena.fischer", "Lena Fischer", "Service Desk"),
          ("raj.mehta", "Raj Mehta", "Infrastructure"))
ENTRIES = (("action", "Mailbox database MBX-02 found dismounted; remount attempted"),
           ("decision", "Fail over MBX-02 to the second DAG member in DC2"),
           ("note", "Webmail still works for most users: offered as the workaround"),
           ("action", "Failover started; replication queue at 1,200 items"))


def _incident(session: Any, summary: str, reporter: str, contact: str, ci: str,
              impact: str = "medium", urgency: str = "medium") -> Any:
    return log_ticket(session, NewTicket(
        summary=summary, description="Reported by phone to the service desk.",
        reporter=reporter, contact=contact, channel="phone", service="Email", ci=ci,
        impact=impact, urgency=urgency, detected_at=session.now_fn() - timedelta(minutes=20),
        category="Email", subcategory="Mailbox"))


def _stock(session: Any) -> str:
    """A running major incident; returns its number."""
    for login, name, group in PEOPLE:
        with suppress(Refused):  # already on this desk
            add_technician(session, login, name, "support", group, f"{login}@example.com")
    major = _incident(session, "Email unavailable for all offices (MBX-02 dismounted)",
                      "Monitoring", "noc@example.com", "EXCH-MBX-02", "high", "high")
    declare(session, major.number, session.login, "Every office has lost mail; the "
            "mailbox database is dismounted",
            team={"sam.okafor": "commander", "lena.fischer": "communications",
                  "raj.mehta": "resolver"},
            bridge_link="https://meet.example.com/major-email", bridge_phone="+44 20 7946 0100",
            bridge_room="Ops room 2", stakeholders=["cio@example.com",
                                                    "office-managers@example.com"])
    children = [_incident(session, summary, reporter, contact, ci).number
                for summary, reporter, contact, ci in (
                    ("Outlook says disconnected", "Dana Whitfield",
                     "dana.whitfield@example.com", "LAPTOP-0417"),
                    ("Cannot send invoices by mail", "Omar Haddad", "omar.haddad@example.com",
                     "EXCH-MBX-02"))]
    attach_children(session, major.number, children)
    for kind, text in ENTRIES:
        log_entry(session, major.number, kind, text)
    send_update(session, major.number, "Identified",
                "All offices cannot send or receive mail in Outlook",
                "Failing the mailbox database over to the second data centre",
                "Use webmail (https://mail.example.com)",
                session.now_fn() + timedelta(minutes=30))
    return major.number


def _save(widget: QWidget, path: Path) -> str:
    for _ in range(3):  # the labels filled last are laid out a pass later
        QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return str(path)


def major_shots(worker: Any, window: Any, session: Any, out_dir: Path) -> list[str]:
    """Write the board's and the composer's pictures; returns their paths."""
    number = run_on_worker(worker, lambda: _stock(session))
    board = window.open_major_board(number)
    wait_until(lambda: worker.idle and board.current is not None
               and board.current.board is not None)
    board.resize(1280, 700)
    board.timeline_table.scrollToBottom()
    files = [_save(board, out_dir / SHOTS[0])]
    composer = board.open_composer()
    wait_until(lambda: worker.idle and not composer.recipients.text().endswith("reading…"))
    composer.inputs["actions"].setPlainText("Failover to DC2 complete; mail is flowing again "
                                            "for most offices, the queues are draining")
    composer.inputs["status"].setCurrentText("Monitoring")
    files.append(_save(composer, out_dir / SHOTS[1]))
    composer.reject()
    board.close()
    return files
