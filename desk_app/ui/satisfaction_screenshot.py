"""The README's picture of satisfaction in the queue: All tickets with the Satisfaction
column chosen and sorted by it (the least satisfied first, unrated last), from a few
rated incidents written inside the screenshot run's rehearsal so nothing of it stays."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from desk_app.services.intake import NewTicket, log_ticket
from desk_app.services.satisfaction import record_satisfaction
from desk_app.services.workflow import resolve
from desk_app.ui.driving import run_on_worker, wait_until
from desk_app.ui.ticket_table_model import SATISFACTION

SHOT = "11-queue-satisfaction.png"
ANSWERS = (  # summary, service, score (None: not answered), comment, source
    ("VPN drops every hour on the hotel wifi", "VPN", 1, "Three days and it still drops",
     "mail"),
    ("Shared drive mapping lost after update", "File shares", 2, "Had to call twice",
     "technician"),
    ("New starter needs a laptop by Monday", "Workplace", 3, None, "technician"),
    ("Outlook asks for the password again and again", "Email", 4, "Fixed while I waited",
     "mail"),
    ("Printer on floor 3 prints blank pages", "Printing", 5, "Quick, thanks!", "mail"),
    ("Teams camera not detected", "Workplace", None, None, None),
)


def _rated_incidents(session: Any) -> None:
    """Resolved incidents with the answers above."""
    now = session.now_fn()
    for offset, (summary, service, score, comment, source) in enumerate(ANSWERS):
        number = log_ticket(session, NewTicket(
            summary=summary, description=f"{summary}: reported by phone.",
            reporter="Dana Whitfield", contact="dana.whitfield@example.com", channel="phone",
            service=service, impact="low", urgency="medium",
            detected_at=now - timedelta(hours=offset * 5 + 8))).number
        resolve(session, number, "permanent", "Solved (permanently)", "Fixed.",
                knowledge="not_needed", problem_decision="not_needed")
        if score is not None:
            record_satisfaction(session, number, score, comment, source=source,
                                at=now - timedelta(hours=offset * 5 + 1))


def satisfaction_queue_shot(worker: Any, window: Any, session: Any, out_dir: Path) -> str:
    """Write the picture; the window goes back to its columns and order after."""
    run_on_worker(worker, lambda: _rated_incidents(session))
    window.refresh_counts()
    window.queues.select("all")
    wait_until(lambda: worker.idle)
    window.table.set_column_chosen(SATISFACTION, True)
    window.table.horizontalHeader().sectionClicked.emit(SATISFACTION)  # as a click sorts
    wait_until(lambda: worker.idle and window.model.sort_key == "satisfaction")
    wait_until(lambda: worker.idle)
    window.table.selectRow(0)
    QApplication.processEvents()
    wait_until(lambda: worker.idle)
    QApplication.processEvents()
    path = out_dir / SHOT
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    window.table.set_column_chosen(SATISFACTION, False)
    return str(path)
