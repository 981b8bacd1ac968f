"""The administration dialog's Major incidents page: the major_procedure and
major_review sections, and the default L3 group of the escalation matrix."""

from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.major_incidents import MajorProcedure, rhythm_duration
from desk_app.services.admin import add_technician, update_technician
from desk_app.ui.admin.major_page import MAX_MINUTES, duration_text, minutes_of
from tests.ui.test_administration import _admin, _marked, _page, _save
from tests.ui.test_administration import _refused_without_saving as _refused


@given(st.integers(1, MAX_MINUTES))
def test_a_number_of_minutes_is_written_as_a_duration_the_policy_reads_back(minutes):
    text = duration_text(minutes)
    assert rhythm_duration("updates.P1.first", text).total_seconds() == minutes * 60
    assert minutes_of(text) == minutes


def test_it_shows_the_stored_procedure_and_opening_it_stages_nothing(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "MajorIncidentsPage")
    assert page.manager.currentData() == ""  # the default policy names nobody
    assert page.l3_group.currentData() == "Infrastructure"
    assert page.own["P1"].isChecked() and page.own["P2"].isChecked()
    assert not page.own["P3"].isChecked() and not page.first["P3"].isEnabled()
    assert (page.first["P1"].value(), page.every["P1"].value()) == (15, 30)
    assert (page.first["P3"].value(), page.every["P3"].value()) == (30, 60)  # P2's, inherited
    assert page.missed_after.value() == 5
    assert not page.require_final.isChecked() and page.review_required.isChecked()
    assert dialog.pending() == []


def test_every_field_is_saved_in_one_save_and_read_back(qtbot, worker, window, session):
    add_technician(session, "dana", "Dana Major", "incident_manager", None)
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "MajorIncidentsPage")
    assert [page.manager.itemData(i) for i in range(page.manager.count())] == \
        ["", "alice", "dana"]
    page.manager.setCurrentIndex(page.manager.findData("dana"))
    page.l3_group.setCurrentIndex(page.l3_group.findData("Application Development"))
    escalation = _page(dialog, "EscalationPage")
    assert escalation.rows["default"]["L3"].currentData() == "Application Development"
    page.own["P3"].setChecked(True)
    assert page.first["P3"].isEnabled()
    page.first["P3"].setValue(60)
    page.every["P3"].setValue(120)
    page.every["P1"].setValue(20)
    page.own["P2"].setChecked(False)  # P2 now takes P1's rhythm
    assert page.every["P2"].value() == 20 and not page.every["P2"].isEnabled()
    page.missed_after.setValue(10)
    page.require_final.setChecked(True)
    page.review_required.setChecked(False)
    box = _save(qtbot, worker, dialog)
    assert "Major procedure incident manager: dana (new)" in box.lines
    assert "Functional escalation default L3: Infrastructure -> Application Development" \
        in box.lines and "Major review required: True -> False" in box.lines
    sections = session.policy.sections
    assert sections["major_procedure"] == {
        "incident_manager": "dana", "missed_after": "10m", "final_update_on_resolve": "require",
        "updates": {"P1": {"first": "15m", "every": "20m"},
                    "P3": {"first": "1h", "every": "2h"}}}
    assert sections["major_review"] == {"required": False}
    assert sections["escalation"]["functional"]["default"]["L3"] == "Application Development"
    procedure = session.policy.major_procedure
    assert procedure.rhythm("P2") == procedure.rhythm("P1")
    assert procedure.rhythm("P4").every.total_seconds() == 7200

    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.reload()  # what the dialog shows after a save: the stored values
    assert page.manager.currentData() == "dana"
    assert page.l3_group.currentData() == "Application Development"
    assert page.own["P3"].isChecked() and not page.own["P2"].isChecked()
    assert (page.first["P3"].value(), page.every["P3"].value()) == (60, 120)
    assert page.missed_after.value() == 10 and page.require_final.isChecked()
    assert not page.review_required.isChecked()
    assert dialog.pending() == []


def test_the_escalation_pages_l3_field_shows_here(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "MajorIncidentsPage")
    field = _page(dialog, "EscalationPage").rows["default"]["L3"]
    field.setCurrentIndex(field.findData("Application Development"))
    assert page.l3_group.currentData() == "Application Development"
    assert len(dialog.pending()) == 1  # one change, whichever page made it


def test_no_priority_with_a_rhythm_is_refused_on_its_field(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "MajorIncidentsPage")
    page.own["P1"].setChecked(False)
    page.own["P2"].setChecked(False)
    _refused(qtbot, worker, dialog, session)
    assert _marked(page.own["P1"]) and "own update rhythm" in page.own["P1"].toolTip()
    assert dialog.tabs.currentWidget().widget() is page
    assert MajorProcedure.from_section(session.policy.sections["major_procedure"]).rhythms


def test_an_l3_group_the_policy_refuses_names_the_field_and_saves_nothing(qtbot, worker,
                                                                          window, session):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "MajorIncidentsPage")
    page.l3_group.setCurrentIndex(page.l3_group.findData("Service Desk"))  # the L1 group
    page.missed_after.setValue(9)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert "escalation.functional.default.L3" in dialog.error.text()
    assert "Nothing was saved" in dialog.error.text()
    field = _page(dialog, "EscalationPage").rows["default"]["L3"]  # the field it mirrors
    assert _marked(field) and "also the L1 group" in field.toolTip()
    assert session.policy.sections["escalation"]["functional"]["default"]["L3"] == \
        "Infrastructure"
    assert session.policy.sections["major_procedure"]["missed_after"] == "5m"


def test_only_active_technicians_are_offered_and_a_stored_inactive_one_is_explained(
        qtbot, worker, window, session):
    add_technician(session, "dana", "Dana Major", "incident_manager", None)
    add_technician(session, "erik", "Erik Gone", "support", None)
    update_technician(session, "erik", active=False)
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "MajorIncidentsPage")
    offered = [page.manager.itemData(i) for i in range(page.manager.count())]
    assert "erik" not in offered and "dana" in offered
    page.manager.setCurrentIndex(page.manager.findData("dana"))
    _save(qtbot, worker, dialog)
    update_technician(session, "dana", active=False)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.reload()
    assert not page.manager_note.isHidden()
    assert "dana is not an active technician" in page.manager_note.text()
    assert page.manager.currentData() == "dana"  # shown as stored, not silently changed
    assert dialog.pending() == []


def test_closing_with_a_staged_rhythm_asks_first(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "MajorIncidentsPage")
    page.first["P1"].setValue(10)
    page.review_required.setChecked(False)
    dialog.close()
    box = dialog.discard_box
    assert box.isVisible() and "Discard 2 unsaved change" in box.text()
    next(b for b in box.buttons() if b.text() == "Keep editing").click()
    assert dialog.isVisible() and page.first["P1"].value() == 10
    assert session.policy.sections["major_procedure"]["updates"]["P1"]["first"] == "15m"
