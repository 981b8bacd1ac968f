"""Benchmark of the ticket pane: showing a ticket with 200 worklog entries (the pane is
refilled, not rebuilt), from the ticket screen's data to the pane laid out and painted.

The raw baseline, measured in the same run, is a bare QTextBrowser given the same 200
notes as plain text and painted; the ratio is ours / raw.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_ticket_pane.py
"""

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DESK_APP_CONFIG_DIR", tempfile.mkdtemp(prefix="bench-pane-"))

ENTRIES = 200
RUNS = 15


def main() -> None:
    from PySide6.QtWidgets import QApplication, QTextBrowser

    from desk_app.app import open_desk
    from desk_app.services import workflow
    from desk_app.services.intake import NewTicket, log_ticket
    from desk_app.services.ticket_actions import ticket_screen
    from desk_app.services.worklog import add_worklog
    from desk_app.ui.ticket_view import TicketView

    app = QApplication.instance() or QApplication([])
    desk = open_desk(Path(tempfile.mkdtemp(prefix="bench-pane-")) / "desk", login="bench")
    session = desk.session
    ticket = log_ticket(session, NewTicket(
        summary="Email is down for the Leeds office", description="Nobody can send",
        reporter="Priya Shah", contact="priya@example.com", channel="phone",
        service="Email", impact="high", urgency="high", category="Email",
        subcategory="Mailbox", detected_at=session.now()))
    workflow.start_work(session, ticket.number)
    for i in range(ENTRIES):
        add_worklog(session, ticket.number, f"Update {i}: checked the gateway queue.\n"
                    "Restarted the transport service.", "note", 5)
    data = ticket_screen(session, ticket.id)
    view = TicketView()
    view.resize(1366, 520)
    view.show()
    ours, raw = [], []
    plain = "\n\n".join(w["note"] for w in data["worklog"])
    browser = QTextBrowser()
    browser.resize(1366, 300)
    browser.show()
    for _ in range(RUNS):
        started = time.perf_counter()
        view.show_ticket(dict(data, id=f"{data['id']}"))  # the same ticket: refilled
        view.repaint()
        app.processEvents()
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        browser.setPlainText(plain)
        browser.repaint()
        app.processEvents()
        raw.append(time.perf_counter() - started)
    ours_ms, raw_ms = statistics.median(ours) * 1000, statistics.median(raw) * 1000
    print(f"show a ticket with {ENTRIES} worklog entries: {ours_ms:.1f} ms "
          f"(raw QTextBrowser, plain text: {raw_ms:.1f} ms; ratio {ours_ms / raw_ms:.1f})")
    desk.close()


if __name__ == "__main__":
    main()
