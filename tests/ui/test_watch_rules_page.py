"""Administration > Watch rules: the watcher's rules are edited on the page, saved with
the other pages' edits of the escalation section, and a refused value marks its field."""

from desk_app.services.admin import add_technician
from tests.ui.conftest import settle
from tests.ui.test_administration import _admin, _page, _save


def test_the_rules_round_trip_with_the_escalation_page(qtbot, worker, window, session):
    add_technician(session, "lee", "Lee", "support", "Service Desk")
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "WatchRulesPage")
    assert dialog.pending() == []  # loading shows the stored rules as they are
    check, spin = page.functional["P1"]
    check.setChecked(True)
    spin.setValue(50)
    page.functional["P4"][0].setChecked(False)
    page.l3["P2"].setChecked(True)
    page.raise_priority.setChecked(True)
    page.people[0].setCurrentIndex(page.people[0].findData("lee"))
    escalation_page = _page(dialog, "EscalationPage")
    escalation_page.levels[1][1].setValue(80)  # the other page's edit of the section
    _save(qtbot, worker, dialog)
    settle(qtbot, worker)
    stored = session.policy.sections["escalation"]
    assert stored["functional_at_percent"] == {"P1": 50, "P2": 100, "P3": 100}
    assert stored["l3_priorities"] == ["P2"]
    assert stored["raise_priority_on_response_breach"] is True
    assert stored["hierarchic"][0]["technician"] == "lee"
    assert stored["hierarchic"][1]["at_percent"] == 80
    assert session.policy.watch.functional_at_percent["P1"] == 50
    dialog.reject()


def test_thresholds_stop_at_100_and_refusals_find_their_field(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "WatchRulesPage")
    check, spin = page.functional["P1"]
    check.setChecked(True)
    spin.setValue(150)
    assert spin.value() == 100
    assert not page.functional["P1"][1].isEnabled() or check.isChecked()
    assert page.field("escalation.hierarchic[2].technician") is page.people[2]
    assert page.field("escalation.functional_at_percent.P3") is page.functional["P3"][1]
    dialog.reject()


def test_a_technician_alone_is_a_change_to_save(qtbot, worker, window, session):
    add_technician(session, "lee", "Lee", "support", "Service Desk")
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "WatchRulesPage")
    page.people[1].setCurrentIndex(page.people[1].findData("lee"))
    assert dialog.pending() == [
        "Hierarchic level Service delivery manager: technician told (none) -> lee"]
    _save(qtbot, worker, dialog)
    assert session.policy.hierarchic.levels[1].technician == "lee"
    dialog.reject()
