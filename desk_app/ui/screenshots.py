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

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

import desk_app
from desk_app.services.attachments import attach_bytes, drop_unreferenced
from desk_app.services.demo import write_demo_tickets
from desk_app.services.intake import NewTicket, log_ticket
from desk_app.services.profile import update_profile
from desk_app.services.rehearsal import Rehearsal
from desk_app.services.workflow import resolve, start_work
from desk_app.services.worklog import add_worklog
from desk_app.ui.application import DesktopClient, OpenDesk, qt_application
from desk_app.ui.catalogue_screenshot import ci_history_shot
from desk_app.ui.dashboard_screenshot import dashboard_shots
from desk_app.ui.driving import run_on_worker, wait_until
from desk_app.ui.major_screenshot import major_shots
from desk_app.ui.review_screenshot import review_shot
from desk_app.ui.satisfaction_screenshot import satisfaction_queue_shot
from desk_app.ui.theme import theme_of
from desk_app.ui.window_state import WindowState

SHOTS = ("01-queue.png", "02-logging-form-error.png", "03-ticket-view.png",
         "04-closure-refused.png", "05-priority-matrix.png", "09-ticket-files.png",
         "09-mail-settings.png", "09-suggestions.png",
         "09-watch-rules.png")
DARK_SHOTS = ("01-queue-dark.png", "03-ticket-view-dark.png")
KNOWLEDGE_SHOTS = ("20-known-error.png", "21-knowledge-article.png")
NOTICE_SHOTS = ("09-notifications.png", "10-my-day.png")
SATISFACTION_SHOTS = ("11-confirm-satisfaction.png", "11-ticket-satisfaction.png")
POLICY_SHOTS = (("Major incidents", "26-major-procedure.png"),
                ("Weekly report", "26-weekly-report.png"))


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
    wait_until(lambda: client.ready_seconds is not None or client.error is not None)
    if client.error is not None:
        raise client.error
    window, session = client.window, client.desk.session
    rehearsal = Rehearsal()
    attached: list[str] = []
    catalogue_files: list[str] = []
    dashboard_files: list[str] = []
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

        run_on_worker(client.worker, lambda: _sample_knowledge(session))
        form = window.open_logging_form()
        form.inputs["summary"].setText("Outlook says mailbox full, cannot send")
        form.inputs["description"].setPlainText("Since this morning; Outlook on the laptop")
        wait_until(lambda: bool(form.suggestions.hits))
        _settle(client)
        form.suggestions.list.setCurrentRow(0)
        _save(form, out_dir / SHOTS[7])
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
        _ticket_files(client, window, attached, out_dir / SHOTS[5])

        _confirm_with_satisfaction(client, window, ticket, out_dir)  # closing waits for it
        dialog = window.commands.run("close", window.view.data)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        _settle(client)
        _save(dialog, out_dir / SHOTS[3])
        dialog.reject()

        admin = window.open_admin()
        _settle(client)
        admin.tabs.setCurrentIndex(0)
        _save(admin, out_dir / SHOTS[4])
        _show_mail_page(admin)
        _save(admin, out_dir / SHOTS[6])
        _show_tab(admin, "Watch rules")
        _save(admin, out_dir / SHOTS[8])
        for title, name in POLICY_SHOTS:
            _show_tab(admin, title)
            _save(admin, out_dir / name)
        admin.reject()
        _knowledge_shots(client, out_dir)
        catalogue_files.append(ci_history_shot(client.worker, window.open_catalogue_page,
                                               session, out_dir))
        catalogue_files.append(review_shot(client.worker, session, out_dir))
        catalogue_files.append(satisfaction_queue_shot(client.worker, window, session,
                                                       out_dir))
        catalogue_files.extend(major_shots(client.worker, window, session, out_dir))
        _notice_screens(client, out_dir, demo)
        dashboard_files = dashboard_shots(window, out_dir)

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
        run_on_worker(client.worker, lambda: drop_unreferenced(attached))
        client.shutdown()
        Path(layout.name).unlink(missing_ok=True)
    app.processEvents()
    return {"files": [str(out_dir / name)
                      for name in SHOTS + DARK_SHOTS + KNOWLEDGE_SHOTS + NOTICE_SHOTS
                      + SATISFACTION_SHOTS + tuple(name for _t, name in POLICY_SHOTS)]
            + catalogue_files + dashboard_files,
            "first_paint_seconds": client.first_paint_seconds}


def _confirm_with_satisfaction(client: DesktopClient, window: Any, ticket: str,
                               out_dir: Path) -> None:
    """The user confirms: the dialog with their score and comment, then the ticket's
    header showing the answer."""
    dialog = window.commands.run("confirm", window.view.data)
    combo = dialog.inputs["score"]
    combo.setCurrentIndex(combo.findData(4))
    dialog.inputs["comment"].setPlainText("Quick fix, thanks; the first call took a while")
    _save(dialog, out_dir / SATISFACTION_SHOTS[0])
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    _settle(client)
    window.show_ticket(ticket)
    _settle(client)
    _save(window, out_dir / SATISFACTION_SHOTS[1])


def _ticket_files(client: DesktopClient, window: Any, attached: list[str],
                  path: Path) -> None:
    """The ticket's Files tab with a pasted screenshot, a log and a document."""
    from desk_app.ui.attachment_panel import png_bytes

    session, number = client.desk.session, window.view.data["number"]
    picture = png_bytes(window.grab().toImage())
    log = (b"2026-11-23 08:52:10 OUTLOOK.EXE connect mailbox dana.whitfield\n"
           b"2026-11-23 08:52:11 MAPI logon failed: 0x80040115 (network problem)\n"
           b"2026-11-23 08:52:14 retry 1 of 3 ...\n")
    files = [("error dialog.png", "image/png", picture, "upload"),
             ("outlook-connect.log", "text/plain", log, "email"),
             ("Mailbox settings.pdf", "application/pdf", b"%PDF-1.4 " + bytes(30_000),
              "email")]

    def attach_all() -> None:
        for name, kind, data, source in files:
            attached.append(attach_bytes(session, number, name, kind, data, source).sha256)

    run_on_worker(client.worker, attach_all)
    window.view.attachments.reload()
    _settle(client)
    window.view.show_page(window.view.attachments)
    window.view.attachments.list.setCurrentRow(0)
    _settle(client)
    _save(window, path)


def _show_mail_page(admin: Any) -> None:
    """Administration > Mail, filled in as a team would (nothing is saved), on the
    resolved mail's template and its preview."""
    page = next(p for p in admin.pages if type(p).__name__ == "MailPage")
    admin.tabs.setCurrentIndex(admin.pages.index(page))
    for name, value in (("host", "smtp.example.com"), ("login", "servicedesk@example.com"),
                        ("from_address", "servicedesk@example.com"),
                        ("from_name", "IT Service Desk"), ("reply_to", "support@example.com")):
        page.fields[name].setText(value)
    page.events.setCurrentRow(3)
    page.show_test_result("Connected to smtp.example.com:587 (starttls), logged in as "
                          "servicedesk@example.com.", True)
    QApplication.processEvents()


def _notice_screens(client: DesktopClient, out_dir: Path, demo: bool) -> None:
    """The bell's list open over the window, and "My day" with its countdown."""
    from desk_app.services.demo_notices import write_demo_notices

    window, session = client.window, client.desk.session
    if demo:
        run_on_worker(client.worker, lambda: write_demo_notices(session))
    window.queues.select("my_day")
    _settle(client)
    window.refresh()
    _settle(client)
    window.table.selectRow(0)
    _settle(client)
    _save(window, out_dir / NOTICE_SHOTS[1])
    window.notices.show_popup()
    _settle(client)
    _save_with_popup(window, window.notices.popup, window.notices.bell,
                     out_dir / NOTICE_SHOTS[0])
    window.notices.popup.hide()


def _save_with_popup(window: QWidget, popup: QWidget, anchor: QWidget, path: Path) -> None:
    """The window with a popup drawn under its anchor, right edges aligned (a popup is
    a window of its own, so a grab of the main window leaves it out; offscreen its
    screen is smaller than the window)."""
    QApplication.processEvents()
    picture = window.grab()
    painter = QPainter(picture)
    corner = anchor.mapTo(window, QPoint(anchor.width() - popup.width(), anchor.height()))
    painter.drawPixmap(corner, popup.grab())
    painter.end()
    if not picture.save(str(path)):
        raise OSError(f"could not write {path}")


def _sample_knowledge(session: Any) -> None:
    """A published article and a known error for the suggestions screen (rolled back
    with the rest of the rehearsal)."""
    from desk_app.services import knowledge, links, problems

    now = session.now()
    article = knowledge.new_article(
        session, "Outlook: mailbox full, messages cannot be sent", service="Email",
        category="Email", symptoms="Outlook warns that the mailbox is full; sending fails.",
        cause="The mailbox reached its quota.",
        solution="Archive items older than a year (File > Tools > Clean up old items), "
                 "empty Deleted Items, then restart Outlook.")
    knowledge.publish_article(session, article.number)
    incident = log_ticket(session, NewTicket(
        summary="Outlook cannot send, mailbox full", reporter="Service Desk",
        description="Sending hangs and Outlook reports the mailbox as full.",
        contact="desk@example.com", channel="phone", service="Email", impact="medium",
        urgency="medium", detected_at=now, category="Email", subcategory="Mailbox")).number
    problem = links.raise_problem(
        session, incident, "Outlook cannot send when the archive PST is on a network drive"
    ).number
    problems.investigate(session, problem)
    problems.mark_known_error(session, problem, root_cause="PST files on a network share",
                              workaround="Move the archive PST to the local disk and "
                                         "reopen it in Outlook.")


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


def _knowledge_shots(client: DesktopClient, out_dir: Path) -> None:
    """A known error in the known-error tab, then a published article, rendered."""
    from desk_app.ui import knowledge_samples

    window, session = client.window, client.desk.session
    run_on_worker(client.worker, lambda: knowledge_samples.write_samples(session))
    knowledge = window.open_knowledge(1)
    knowledge.resize(1200, 720)
    _settle(client)
    _save(knowledge, out_dir / KNOWLEDGE_SHOTS[0])
    knowledge.tabs.setCurrentIndex(0)
    _settle(client)
    _save(knowledge, out_dir / KNOWLEDGE_SHOTS[1])
    knowledge.close()
