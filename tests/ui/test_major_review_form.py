"""The review form: sections filled, a refusal shown on the field it names (nothing
written), completion, corrective actions in a model that passes qtmodeltester, and both
exports through the save dialog (the PDF's text read back)."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt

from desk_app.core.major_review import SECTION_KEYS
from desk_app.services import classification, major_review
from desk_app.services.intake import log_ticket
from desk_app.ui.major_review import ReviewForm
from tests.conftest import new_ticket
from tests.pdf_text import pdf_text
from tests.ui.conftest import settle


@pytest.fixture
def form(qtbot, worker, session, clock):
    number = log_ticket(session, new_ticket(impact="high", urgency="medium")).number
    clock.advance(minutes=5)
    classification.declare_major(session, number, True, "Whole VPN down", manager="alice")
    shown = ReviewForm(number, worker, session)
    qtbot.addWidget(shown)
    shown.resize(1100, 760)
    shown.show()
    settle(qtbot, worker)
    return shown


def _fill(form, **texts):
    for key, text in texts.items():
        form.texts[key].setPlainText(text)


def test_the_timeline_shows_what_the_history_holds(form):
    assert form.timeline["declared"].text() == "2026-11-23 09:05"
    assert form.timeline["first_update"].text() == "not recorded"
    assert form.status.text() == "Draft"


def test_complete_with_an_empty_section_is_refused_on_that_field_and_writes_nothing(
        qtbot, worker, session, form):
    _fill(form, **dict.fromkeys(SECTION_KEYS[:-1], "Written"))  # reporting left empty
    form.complete_button.click()
    settle(qtbot, worker)
    assert form.error.isVisible() and "reporting" in form.error.text()
    assert form.texts["reporting"].property("invalid") is True
    assert form.texts["detection"].property("invalid") is not True
    view = major_review.review_view(session, form.number)
    assert view["status"] == "draft" and view["sections"]["detection"] == ""
    form.texts["reporting"].setPlainText("Sent to the owner")
    assert form.texts["reporting"].property("invalid") is not True  # typing clears it
    form.complete_button.click()
    settle(qtbot, worker)
    assert major_review.review_view(session, form.number)["status"] == "complete"
    assert form.status.text().startswith("Complete by alice")
    assert form.texts["detection"].isReadOnly() and not form.complete_button.isEnabled()


def test_actions_are_added_refused_on_the_owner_and_marked_done(qtbot, qtmodeltester, worker,
                                                                form):
    qtmodeltester.check(form.actions, force_py=True)
    form.action_text.setText("Add a synthetic VPN check")
    assert form.owner_login() == "alice"  # the acting technician by default
    form.action_owner.setEditText("nobody")
    form.action_due.setDate(QDate(2026, 12, 1))
    _click(form, "Add action")
    settle(qtbot, worker)
    assert form.action_owner.property("invalid") is True and form.actions.rowCount() == 0
    form.action_owner.setCurrentIndex(form.action_owner.findData("alice"))
    _click(form, "Add action")
    settle(qtbot, worker)
    assert form.actions.rowCount() == 1 and form.action_text.text() == ""
    form.table.selectRow(0)
    form.done_button.click()
    settle(qtbot, worker)
    assert form.actions.rows[0]["status"] == "done"
    assert form.actions.data(form.actions.index(0, 4)) == "Done"
    tip = form.actions.data(form.actions.index(0, 4), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Done by alice, 2026-11-23")


def test_mark_done_without_a_selection_says_so(qtbot, worker, form):
    form.done_button.click()
    assert "select an action" in form.error.text()


def _click(form, text):
    from PySide6.QtWidgets import QPushButton

    (button,) = [b for b in form.findChildren(QPushButton) if b.text() == text]
    button.click()


@pytest.mark.parametrize("kind", ["md", "pdf"])
def test_export_through_the_save_dialog(qtbot, worker, session, form, tmp_path, kind):
    major_review.edit_review(session, form.number, detection="Found by the VPN monitor")
    major_review.add_action(session, form.number, "Runbook for the vendor", "alice",
                            (date(2026, 11, 23) + timedelta(days=7)).isoformat())
    target = tmp_path / f"review.{kind}"
    with qtbot.waitSignal(form.dialog_opened) as opened:
        (form.export_md if kind == "md" else form.export_pdf).click()
    dialog = opened.args[0]
    dialog.selectFile(str(target))
    dialog.accept()
    settle(qtbot, worker)
    qtbot.waitUntil(lambda: target.exists())
    text = target.read_text(encoding="utf-8") if kind == "md" else pdf_text(target)
    assert "Found by the VPN monitor" in text and "Runbook for the vendor" in text
    assert "not recorded" in text
    assert form.note.text() == f"Written to {target}"


def test_a_major_tickets_actions_open_its_review(qtbot, worker, window, session):
    from tests.ui.conftest import open_dialog

    number = log_ticket(session, new_ticket(impact="high", urgency="high")).number  # P1
    window.refresh()
    settle(qtbot, worker)
    window.table.selectRow(0)
    settle(qtbot, worker)
    assert window.view.data["number"] == number
    dialog = open_dialog(qtbot, worker, window, "major_review")
    settle(qtbot, worker)
    assert dialog.form.number == number and dialog.form.status.text() == "Draft"
    dialog.form.texts["detection"].setPlainText("A user called")
    with qtbot.waitSignal(window.commands.changed):
        dialog.form.save_button.click()
        settle(qtbot, worker)
    assert major_review.review_view(session, number)["sections"]["detection"] == "A user called"
    dialog.close()


def test_a_normal_ticket_does_not_offer_a_review(qtbot, worker, window, session):
    log_ticket(session, new_ticket())
    window.refresh()
    settle(qtbot, worker)
    window.table.selectRow(0)
    settle(qtbot, worker)
    action = window.view.ticket_actions["major_review"]
    assert not action.isVisible() and "only major incidents" in action.toolTip()
