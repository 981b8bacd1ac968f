"""The ticket pane as a technician's all-day tool: unsaved Details are never lost, forms
open where the typing starts, dialogs keep drafts and name their buttons, the action row
offers the next step, the timeline reads as a conversation and the pane fits a laptop."""

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desk_app.services import workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.worklog import add_worklog
from desk_app.ui import look
from desk_app.ui.drafts import DraftStore
from desk_app.ui.leave_guard import DISCARD, KEEP, SAVE
from desk_app.ui.palette import current_scheme
from desk_app.ui.ticket_commands import CLOSURE_CODES
from tests.conftest import new_ticket
from tests.ui.conftest import open_dialog, settle, submit


def _listed(qtbot, worker, window, session, count=2):
    """``count`` tickets in the queue, the first one shown."""
    numbers = [log_ticket(session, new_ticket(summary=f"Printer {i} jams")).number
               for i in range(count)]
    window.refresh()
    settle(qtbot, worker)
    window.table.selectRow(0)
    settle(qtbot, worker)
    return numbers


def _answer(window, choice):
    asked = []
    window.leave_question = lambda _parent, number: (asked.append(number), choice)[1]
    return asked


# --- never lose typing ---------------------------------------------------------------

def test_unsaved_details_are_marked_and_keep_editing_stays_on_the_ticket(
        qtbot, worker, window, session):
    _listed(qtbot, worker, window, session)
    view = window.view
    shown = view.data["number"]
    assert not view.dirty and not view.details.unsaved.isVisibleTo(view.details)
    view.details.detail_inputs["ci"].setText("PRN-7")
    assert view.dirty and view.details.unsaved.isVisibleTo(view.details)
    assert view.tabs.tabText(view.tabs.indexOf(view.details_page)).endswith("●")
    asked = _answer(window, KEEP)
    window.table.selectRow(1)
    settle(qtbot, worker)
    assert asked == [shown]
    assert view.data["number"] == shown  # the switch was cancelled
    assert window.table.currentIndex().row() == 0  # and the shown row selected again
    assert view.details.detail_inputs["ci"].text() == "PRN-7"


def test_an_uncategorised_ticket_is_shown_clean_and_left_without_a_question(
        qtbot, worker, window, session):
    """Mail opens tickets without a category: showing one is not an edit."""
    numbers = [log_ticket(session, new_ticket(summary=f"Mail {i}", category=None,
                                              subcategory=None)).number for i in range(2)]
    window.refresh()
    settle(qtbot, worker)
    window.table.selectRow(0)
    settle(qtbot, worker)
    view = window.view
    assert view.data["category"] is None
    assert not view.dirty and view.details.edits()["category"] is None
    asked = _answer(window, KEEP)
    window.table.selectRow(1)
    settle(qtbot, worker)
    assert asked == [] and {view.data["number"]} < set(numbers)
    view.details.category.setCurrentText("Hardware")
    assert view.dirty  # choosing one still is


def test_discard_switches_and_forgets_the_edit(qtbot, worker, window, session):
    numbers = _listed(qtbot, worker, window, session)
    view = window.view
    first = view.data["number"]
    view.details.detail_inputs["ci"].setText("PRN-7")
    _answer(window, DISCARD)
    qtbot.keyClick(window, "j")  # a key press does not switch: only the row change below
    window.step(1)
    settle(qtbot, worker)
    assert view.data["number"] != first and view.data["number"] in numbers
    assert not view.dirty
    assert ticket_by_number(first).ci is None


def test_save_saves_then_switches(qtbot, worker, window, session):
    _listed(qtbot, worker, window, session)
    view = window.view
    first = view.data["number"]
    view.details.detail_inputs["ci"].setText("PRN-7")
    _answer(window, SAVE)
    window.table.selectRow(1)
    qtbot.waitUntil(lambda: view.data["number"] != first and worker.idle, timeout=10_000)
    assert ticket_by_number(first).ci == "PRN-7"
    assert not view.dirty


def test_a_refused_save_stays_on_the_ticket_showing_why(qtbot, worker, window, session):
    _listed(qtbot, worker, window, session)
    view = window.view
    first = view.data["number"]
    view.details.detail_inputs["reporter"].setText("")  # the logging checklist needs it
    _answer(window, SAVE)
    window.table.selectRow(1)
    settle(qtbot, worker)
    settle(qtbot, worker)
    assert view.data["number"] == first
    assert view.details.detail_error.isVisibleTo(view) and view.dirty
    assert "reporter" in view.details.detail_error.text()


def test_a_refresh_keeps_the_edits_and_nothing_is_asked(qtbot, worker, window, session):
    _listed(qtbot, worker, window, session)
    view = window.view
    view.details.detail_inputs["description"].setPlainText("typed, not saved")
    asked = _answer(window, DISCARD)
    with qtbot.waitSignal(window.ticket_shown):
        window.refresh()
    settle(qtbot, worker)
    assert asked == []
    assert view.details.detail_inputs["description"].toPlainText() == "typed, not saved"
    assert view.dirty


def test_an_action_on_the_ticket_keeps_unsaved_details(qtbot, worker, window, session):
    _listed(qtbot, worker, window, session)
    view = window.view
    view.details.detail_inputs["ci"].setText("PRN-7")
    with qtbot.waitSignal(window.ticket_shown):
        view.ticket_actions["start_work"].trigger()
    settle(qtbot, worker)
    assert view.data["status"] == "in_progress"
    assert view.details.detail_inputs["ci"].text() == "PRN-7" and view.dirty


def test_closing_the_window_with_unsaved_details_asks(qtbot, worker, window, session):
    _listed(qtbot, worker, window, session)
    window.view.details.detail_inputs["ci"].setText("PRN-7")
    asked = _answer(window, KEEP)
    assert not window.close()
    assert window.isVisible() and len(asked) == 1
    _answer(window, DISCARD)
    assert window.close()


def test_one_save_button_saves_details_and_category_together(qtbot, worker, window,
                                                             session):
    _listed(qtbot, worker, window, session, count=1)
    details = window.view.details
    details.detail_inputs["ci"].setText("PRN-7")
    details.category.setCurrentText("Hardware")
    details.subcategory.setCurrentIndex(1)
    subcategory = details.subcategory.currentText()
    with qtbot.waitSignal(window.ticket_shown):
        details.save_details.click()
    settle(qtbot, worker)
    stored = ticket_by_number(window.view.data["number"])
    assert (stored.ci, stored.category, stored.subcategory) == ("PRN-7", "Hardware",
                                                                 subcategory)
    assert not window.view.dirty
    saves = [w for w in window.view.findChildren(QWidget, "save_details")]
    assert len(saves) == 1  # one save for the pane


# --- forms open where the typing starts; dialogs keep drafts, name their buttons ------

def test_the_logging_form_opens_on_the_summary(qtbot, worker, window):
    form = window.open_logging_form()
    qtbot.addWidget(form)
    assert form.focusWidget() is form.inputs["summary"]
    assert form.buttons.button(QDialogButtonBox.StandardButton.Save).text() == "Log incident"
    form.request_switch.setChecked(True)
    assert form.buttons.button(QDialogButtonBox.StandardButton.Save).text() == "Log request"
    form.reject()


DIALOGS = ("assign", "escalate", "escalate_hierarchic", "hold", "worklog", "resolve",
           "cancel", "reprioritise", "declare_major", "link_problem", "set_rfc",
           "set_parent", "relate")


@pytest.mark.parametrize("action", DIALOGS)
def test_every_dialog_opens_on_its_first_text_field_with_a_named_button(
        qtbot, worker, window, session, action):
    _listed(qtbot, worker, window, session, count=1)
    dialog = window.commands.run(action, window.view.data)
    qtbot.addWidget(dialog)
    texts = [w for w in dialog.inputs.values() if isinstance(w, QLineEdit | QPlainTextEdit)]
    assert dialog.focusWidget() is (texts[0] if texts else next(iter(dialog.inputs.values())))
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text()
    assert ok.replace("&", "") not in ("OK", "Ok", "Save", "")
    dialog.reject()


def test_a_dialog_that_died_comes_back_filled_and_cancel_forgets(qtbot, worker, window,
                                                                  session):
    _listed(qtbot, worker, window, session, count=1)
    dialog = open_dialog(qtbot, worker, window, "escalate")
    dialog.inputs["reason"].setPlainText("Needs the network team: the switch is down")
    qtbot.waitUntil(lambda: DraftStore().load(dialog.draft_key) is not None, timeout=3_000)
    dialog.hide()
    dialog.deleteLater()  # the app died with the dialog open
    again = open_dialog(qtbot, worker, window, "escalate")
    assert again.inputs["reason"].toPlainText() == "Needs the network team: the switch is down"
    assert again.restored.isVisibleTo(again)
    again.reject()  # Cancel: the typing is deliberately thrown away
    assert DraftStore().load(again.draft_key) is None
    third = open_dialog(qtbot, worker, window, "escalate")
    assert third.inputs["reason"].toPlainText() == "" and not third.restored.isVisibleTo(third)
    submit(qtbot, worker, third, reason="now for real")
    assert DraftStore().load(third.draft_key) is None


def test_resolve_dialog_offers_closure_codes_of_the_chosen_type(qtbot, worker, window,
                                                                 session):
    _listed(qtbot, worker, window, session, count=1)
    dialog = window.commands.run("resolve", window.view.data)
    qtbot.addWidget(dialog)
    kind, code = dialog.inputs["type"], dialog.inputs["code"]
    assert (kind.currentData(), code.currentText()) == ("permanent", "Solved (permanently)")
    kind.setCurrentIndex(kind.findData("workaround"))
    assert code.currentText() == "Solved (work around)"
    assert [code.itemText(i) for i in range(code.count())] == list(
        CLOSURE_CODES["workaround"])
    assert "Solved (permanently)" not in CLOSURE_CODES["workaround"]
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == \
        "Resolve ticket"
    dialog.reject()


# --- the action row ------------------------------------------------------------------

def _in_state(session, state):
    number = log_ticket(session, new_ticket()).number
    if state in ("in_progress", "on_hold", "resolved", "confirmed", "closed"):
        workflow.start_work(session, number)
    if state == "on_hold":
        workflow.hold(session, number, "awaiting_user")
    if state in ("resolved", "confirmed", "closed"):
        workflow.resolve(session, number, "permanent", "Solved (permanently)", "fixed",
                         knowledge="not_needed", problem_decision="not_needed")
    if state in ("confirmed", "closed"):
        workflow.confirm(session, number)
    if state == "closed":
        workflow.close(session, number)
    if state == "cancelled":
        workflow.cancel(session, number, "mislogged")
    return number


@pytest.mark.parametrize(("state", "primary", "absent"), [
    ("new", "Start work", {"resume", "close", "reopen", "confirm"}),
    ("in_progress", "Resolve ticket…", {"start_work", "resume", "close", "reopen"}),
    ("on_hold", "Resume work", {"start_work", "close", "reopen"}),
    ("resolved", "User confirmed…", {"start_work", "resolve", "hold", "resume"}),
    ("confirmed", "Close ticket…", {"start_work", "resolve", "hold"}),
    ("closed", "Reopen ticket…", {"start_work", "resolve", "close", "worklog", "cancel"}),
    ("cancelled", None, {"start_work", "resolve", "close", "reopen", "worklog"}),
])
def test_the_action_row_offers_the_next_step_and_only_what_is_allowed(
        qtbot, worker, window, session, state, primary, absent):
    number = _in_state(session, state)
    with qtbot.waitSignal(window.ticket_shown):
        window.show_ticket(ticket_by_number(number).id)
    settle(qtbot, worker)
    row = window.view.action_row
    assert row.primary.isVisibleTo(window) == (primary is not None)
    if primary:
        assert row.primary.text() == primary
    offered = {key for key, action in row.by_key.items() if action.isVisible()}
    in_menu = {action.objectName().removeprefix("action_") for action in row.menu.actions()
               if not action.isSeparator()}
    assert not offered & absent
    assert in_menu == offered - {row.primary_key}  # the rest sits behind "More actions"
    for key in absent:
        assert window.view.data["actions"][key]  # the services refuse them too, saying why


# --- the timeline and the composer ---------------------------------------------------

def test_the_timeline_is_a_conversation_built_once(qtbot, worker, window, session, clock):
    from desk_app.services.admin import add_technician

    add_technician(session, "omar", "Omar Haddad", "support", "Service Desk")
    number = _listed(qtbot, worker, window, session, count=1)[0]
    view = window.view
    widgets = len(view.findChildren(QWidget))
    workflow.start_work(session, number)
    for i in range(200):
        add_worklog(session, number, f"step {i}", "phone", 5)
    clock.advance(minutes=5)
    workflow.assign(session, number, technician="omar")
    with qtbot.waitSignal(window.ticket_shown):
        window.refresh()
    settle(qtbot, worker)
    timeline = view.timeline
    assert len(view.findChildren(QWidget)) == widgets  # refilled, no widget per entry
    assert [e.kind for e in timeline.shown].count("worklog") == 200
    assert f"Show {len(timeline.shown) - 50} earlier entries" in timeline.browser.toPlainText()
    change = timeline.shown[-1]
    assert change.kind == "changes" and "Omar Haddad" in [new for _f, _o, new in change.changes]
    assert "Omar Haddad" not in timeline.browser.toPlainText()  # collapsed: one grey line
    timeline.expanded.add(change.key)
    timeline.refill()
    assert "Assignee: alice → Omar Haddad" in timeline.browser.toPlainText() or \
        "→ Omar Haddad" in timeline.browser.toPlainText()
    assert view.header.assignee.text().count("Omar Haddad") == 1


def test_the_composer_adds_a_note_with_time_and_a_status_in_one_step(qtbot, worker, window,
                                                                     session):
    number = _listed(qtbot, worker, window, session, count=1)[0]
    composer = window.view.composer
    composer.note.setPlainText("Asked the user for the printer's model")
    composer.minutes.setValue(15)
    composer.status.setCurrentIndex(composer.status.findData("on_hold:awaiting_user"))
    assert composer.post.text() == "Add note and put on hold"
    with qtbot.waitSignal(window.ticket_shown):
        composer.post.click()
    settle(qtbot, worker)
    ticket = ticket_by_number(number)
    assert (ticket.status, ticket.hold_reason) == ("on_hold", "awaiting_user")
    assert window.view.data["worklog"][-1]["minutes"] == 15
    assert composer.note.toPlainText() == "" and composer.status.currentData() is None
    assert DraftStore().load(f"note-{ticket.id}") is None


def test_the_composer_keeps_a_draft_per_ticket(qtbot, worker, window, session):
    _listed(qtbot, worker, window, session)
    view = window.view
    first = view.data["id"]
    view.composer.note.setPlainText("half a thought")
    window.table.selectRow(1)
    settle(qtbot, worker)
    assert view.data["id"] != first and view.composer.note.toPlainText() == ""
    window.table.selectRow(0)
    settle(qtbot, worker)
    assert view.composer.note.toPlainText() == "half a thought"


# --- fits a laptop -------------------------------------------------------------------

def _clipped(window) -> list[str]:
    """The pane's visible widgets narrower or lower than they need, or outside it."""
    view = window.view
    frame = view.rect()
    found = []
    for widget in view.body.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.window() is not window:
            continue
        scrolled = widget.parentWidget()
        inside_scroll = False
        while scrolled is not None and scrolled is not view:
            if isinstance(scrolled, QAbstractScrollArea):
                inside_scroll = True
                break
            scrolled = scrolled.parentWidget()
        if inside_scroll:
            continue  # a scroll area shows what does not fit by scrolling
        need = widget.minimumSizeHint()
        name = widget.objectName() or type(widget).__name__
        if name.startswith("qt_"):
            continue  # a part of a composite widget (a spin box's line edit): checked whole
        if isinstance(widget, QAbstractScrollArea):
            need = need.boundedTo(QSize(40, 40))  # it scrolls: a few lines are enough
        if need.isValid() and (widget.width() < need.width() - 1
                               or widget.height() < need.height() - 1):
            found.append(f"{name} {widget.size().toTuple()} < {need.toTuple()}")
        corner = widget.mapTo(view, widget.rect().bottomRight())
        if not frame.contains(corner):
            found.append(f"{name} outside the pane")
    return found


@pytest.mark.parametrize(("where", "size", "narrowest"), [
    ("below", (1024, 640), 1000), ("below", (1366, 768), 1000),
    ("below", (1920, 1080), 1000), ("right", (1366, 768), 1366),
    ("right", (1920, 1080), 1366)])
def test_the_window_fits_and_nothing_in_the_pane_is_cut(qtbot, worker, window, session,
                                                        where, size, narrowest):
    number = _in_state(session, "on_hold")
    workflow.resume(session, number)
    add_worklog(session, number, "Checked the cable " * 20, "visit", 30)
    window.place_ticket_pane(where)
    window.resize(*size)
    with qtbot.waitSignal(window.ticket_shown):
        window.show_ticket(ticket_by_number(number).id)
    settle(qtbot, worker)
    assert window.minimumSizeHint().width() < narrowest
    assert window.view.minimumSizeHint().width() < 480
    assert window.width() == size[0]
    # the header stacks its clocks on the resize that follows: let the layout settle
    # (a loaded machine delivers it later), then nothing may be cut
    qtbot.waitUntil(lambda: _clipped(window) == [], timeout=3_000)


def test_the_pane_in_its_own_window_and_the_choice_remembered(qtbot, worker, window,
                                                             session, tmp_path):
    from desk_app.ui.window_state import WindowState

    _listed(qtbot, worker, window, session, count=1)
    window.pane_actions["window"].trigger()
    assert window.view.isWindow() and window.view.isVisible()
    assert window.right.count() == 1
    window.save_layout()
    assert WindowState(tmp_path / "state.json").value("ticket_pane") == "window"
    window.pane_actions["right"].trigger()
    assert not window.view.isWindow() and window.right.indexOf(window.view) == 1


@pytest.mark.parametrize(("button", "answer"), [("Save changes", SAVE),
                                                ("Discard changes", DISCARD),
                                                ("Keep editing", KEEP)])
def test_the_unsaved_question_names_its_three_answers(qtbot, button, answer):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desk_app.ui.leave_guard import ask_about_unsaved

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and "INC-000007" in box.text()
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(50, click)
    assert ask_about_unsaved(None, "INC-000007") == answer


def test_the_composers_note_is_kept_when_the_app_dies(qtbot, worker, window, session):
    from desk_app.ui.drafts import save_open_drafts

    _listed(qtbot, worker, window, session, count=1)
    window.view.composer.note.setPlainText("typed just before the crash")
    assert save_open_drafts() >= 1
    kept = DraftStore().load(f"note-{window.view.data['id']}")
    assert kept is not None and kept[0]["note"] == "typed just before the crash"


def test_a_theme_switch_redraws_the_shown_ticket_in_the_new_tones(qtbot, worker, window,
                                                                   session):
    from desk_app.ui.palette import tone
    from desk_app.ui.theme import theme_of

    ticket = log_ticket(session, new_ticket(impact="high", urgency="high"))
    window.show_ticket(ticket.id)
    settle(qtbot, worker)
    theme = theme_of()
    before = theme.choice
    try:
        theme.choose("light")
        qtbot.waitUntil(lambda: tone("P1").fill in window.view.header.priority.styleSheet())
        theme.choose("dark")
        dark_fill = tone("P1").fill
        qtbot.waitUntil(lambda: dark_fill in window.view.header.priority.styleSheet())
        assert window.view.header.property("card")  # the card follows the theme too
    finally:
        theme.choose(before)


def test_a_wrapped_title_does_not_stretch_the_chips(qtbot, worker, window, session):
    ticket = log_ticket(session, new_ticket(summary="Printer jams", category="Hardware",
                                            subcategory="Printer"))
    window.place_ticket_pane("right")
    window.resize(1024, 640)
    with qtbot.waitSignal(window.ticket_shown):
        window.show_ticket(ticket.id)
    settle(qtbot, worker)
    qtbot.wait(50)
    header = window.view.header
    assert header.title.height() > 1.5 * header.title.fontMetrics().height()  # it wraps
    for chip in (header.priority, header.status):
        assert chip.height() <= chip.sizeHint().height() + 1
    assert header.priority.styleSheet() == look.style_sheet(header.priority,
                                                            current_scheme())


def test_the_pane_to_the_right_leaves_the_summary_readable_on_a_laptop(qtbot, worker,
                                                                       window, session):
    from desk_app.ui.ticket_table import SUMMARY
    from desk_app.ui.ticket_table_model import TIME_LEFT

    _listed(qtbot, worker, window, session)
    window.resize(1280, 720)
    qtbot.wait(20)
    window.place_ticket_pane("right")
    qtbot.wait(50)
    table = window.table
    assert table.fully_visible(TIME_LEFT)
    assert table.columnWidth(SUMMARY) >= 20 * table.fontMetrics().averageCharWidth()
    assert window.view.width() >= window.view.minimumSizeHint().width()


def test_unsaved_details_are_kept_when_the_app_dies_and_come_back(qtbot, worker, window,
                                                                   session, tmp_path):
    from desk_app.ui.drafts import save_open_drafts
    from desk_app.ui.main_window import MainWindow
    from desk_app.ui.window_state import WindowState

    _listed(qtbot, worker, window, session, count=1)
    ticket_id = window.view.data["id"]
    window.view.details.detail_inputs["ci"].setText("PRN-7 on floor 3")
    assert save_open_drafts() >= 1
    kept = DraftStore().load(f"details-{ticket_id}")
    assert kept is not None and kept[0]["details"] == {"ci": "PRN-7 on floor 3"}

    again = MainWindow(worker, session, WindowState(tmp_path / "again.json"))  # restarted
    again.leave_question = lambda *_args: DISCARD
    qtbot.addWidget(again)
    again.show()
    again.start()
    settle(qtbot, worker)
    again.show_ticket(ticket_id)
    settle(qtbot, worker)
    details = again.view.details
    assert details.detail_inputs["ci"].text() == "PRN-7 on floor 3"
    assert again.view.dirty and "restored" in details.unsaved.text()
    again.view.discard_edits()  # Discard: the draft goes with the edits
    assert DraftStore().load(f"details-{ticket_id}") is None
    again.stop_timers()


def test_a_ticket_without_a_category_shows_clean_details_and_no_category(
        qtbot, worker, window, session):
    log_ticket(session, new_ticket(summary="Mouse stuck", category=None, subcategory=None))
    window.refresh()
    settle(qtbot, worker)
    window.table.selectRow(0)
    settle(qtbot, worker)
    view = window.view
    assert view.data["category"] is None
    assert view.details.category.currentText() == ""
    assert not view.dirty and not view.details.unsaved.isVisibleTo(view.details)
    assert view.details.edits()["category"] is None
