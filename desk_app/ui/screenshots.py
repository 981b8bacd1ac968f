"""``desk-app screenshot``: render the main screens offscreen to PNG files.

It drives the real client: the queue, the logging form refused for missing fields, a
ticket with its timeline, the closure checklist refusing a close, and the priority
matrix editor; then the ticket and the queue again on the dark palette. On a given
desk every change it makes is rolled back at the end; without
one it uses a scratch desk with demo tickets.
"""

import os
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

import desk_app
from desk_app.services.demo import write_demo_tickets
from desk_app.services.intake import NewTicket, log_ticket
from desk_app.services.profile import update_profile
from desk_app.services.rehearsal import Rehearsal
from desk_app.services.workflow import confirm, resolve, start_work
from desk_app.services.worklog import add_worklog
from desk_app.ui.application import DesktopClient, OpenDesk, qt_application
from desk_app.ui.driving import run_on_worker, wait_until
from desk_app.ui.theme import theme_of
from desk_app.ui.window_state import WindowState

SHOTS = ("01-queue.png", "02-logging-form-error.png", "03-ticket-view.png",
         "04-closure-refused.png", "05-priority-matrix.png", "09-watch-rules.png")
DARK_SHOTS = ("01-queue-dark.png", "03-ticket-view-dark.png")


def _settle(client: DesktopClient) -> None:
    wait_until(lambda: client.worker.idle)
    QApplication.processEvents()


def _save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")


def take_screenshots(out_dir: Path, open_desk: Callable[[], OpenDesk],
                     demo: bool) -> dict[str, Any]:
    """Write the screens to ``out_dir``; returns the files and the first-paint time."""
    started = desk_app.STARTED
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = qt_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    layout = tempfile.NamedTemporaryFile(suffix=".json", delete=False)  # noqa: SIM115
    layout.close()
    Path(layout.name).unlink()
    client = DesktopClient(open_desk, state=WindowState(Path(layout.name)), started=started,
                           interactive=False)  # no first-run wizard over the screens
    wait_until(lambda: client.first_paint_seconds is not None or client.error is not None)
    if client.error is not None:
        raise client.error
    window, session = client.window, client.desk.session
    rehearsal = Rehearsal()
    theme_before = theme_of(app).choice
    run_on_worker(client.worker, rehearsal.begin)
    try:
        if demo:
            run_on_worker(client.worker, lambda: write_demo_tickets(session, 2_000))
            run_on_worker(client.worker, lambda: update_profile(
                session, "Alex Morgan", "alex.morgan@example.com", "Service Desk"))
            window.load_reference()
        window.resize(1440, 900)
        window.queues.select("all_open")
        _settle(client)
        window.refresh()
        _settle(client)
        window.table.selectRow(0)
        _settle(client)
        _save(window, out_dir / SHOTS[0])

        form = window.open_logging_form()
        form.inputs["summary"].setText("Printer on floor 3 jams on every job")
        form.save()
        _settle(client)
        _save(form, out_dir / SHOTS[1])
        form.reject()

        ticket = run_on_worker(client.worker, lambda: _sample_ticket(session))
        window.refresh_counts()
        window.queues.select("awaiting_confirmation")  # where the resolved ticket waits
        _settle(client)
        window.show_ticket(ticket)
        _settle(client)
        row = window.model.first_page_row_of(ticket)
        if row is not None:
            window.table.selectRow(row)
            _settle(client)
        window.view.show_page(window.view.timeline_page)
        _save(window, out_dir / SHOTS[2])

        number = window.view.data["number"]  # closing waits for the user's answer
        run_on_worker(client.worker, lambda: confirm(session, number))
        window.show_ticket(ticket)
        _settle(client)
        dialog = window.commands.run("close", window.view.data)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        _settle(client)
        _save(dialog, out_dir / SHOTS[3])
        dialog.reject()

        admin = window.open_admin()
        _settle(client)
        admin.tabs.setCurrentIndex(0)
        _save(admin, out_dir / SHOTS[4])
        _show_tab(admin, "Watch rules")
        _save(admin, out_dir / SHOTS[5])
        admin.reject()

        theme_of(app).choose("dark")  # the same ticket (confirmed) and queue, dark
        _settle(client)
        _save(window, out_dir / DARK_SHOTS[1])
        window.queues.select("all_open")
        _settle(client)
        window.table.selectRow(0)
        _settle(client)
        _save(window, out_dir / DARK_SHOTS[0])
    finally:
        theme_of(app).choose(theme_before)
        run_on_worker(client.worker, rehearsal.end)
        client.shutdown()
        Path(layout.name).unlink(missing_ok=True)
    app.processEvents()
    return {"files": [str(out_dir / name) for name in SHOTS + DARK_SHOTS],
            "first_paint_seconds": client.first_paint_seconds}


def _show_tab(dialog: Any, title: str) -> None:
    """Bring the dialog's tab named ``title`` to the front."""
    for index in range(dialog.tabs.count()):
        if dialog.tabs.tabText(index) == title:
            dialog.tabs.setCurrentIndex(index)


def _sample_ticket(session: Any) -> str:
    """A worked incident resolved with a workaround: its closure checklist is not met."""
    now = session.now_fn()
    ticket = log_ticket(session, NewTicket(
        summary="Outlook cannot connect to Exchange after password change",
        description="User changed the password this morning; Outlook keeps asking for "
                    "credentials and shows 'Disconnected'. Webmail works.",
        reporter="Dana Whitfield", contact="dana.whitfield@example.com", channel="phone",
        service="Email", impact="medium", urgency="high",
        detected_at=now - timedelta(minutes=40), category="Email", subcategory="Mailbox"))
    start_work(session, ticket.number)
    add_worklog(session, ticket.number, "Cleared cached credentials in Credential Manager; "
                "Outlook reconnects after a restart.", "phone", 15)
    resolve(session, ticket.number, "workaround", "Solved (work around)",
            "Cached credentials removed; a permanent fix needs the SSO profile rebuilt.",
            may_recur=True)
    return ticket.id
