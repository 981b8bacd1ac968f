"""The administration dialog's KPI targets page: the kpi_targets section of the policy."""

from desk_app.core.kpi_targets import KpiTargets
from tests.ui.test_administration import _admin, _page, _save


def test_the_targets_page_shows_the_defaults_and_saves_a_change(qtbot, worker, window,
                                                                session):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "KpiTargetsPage")
    assert page.shares["sla_compliance_percent"].value() == 90
    assert page.shares["recurrence_percent"].value() == 10
    assert page.mttr["P1"].value() == 4 and page.mttr["P4"].value() == 72
    assert dialog.pending() == []  # nothing staged by merely opening it
    page.shares["satisfaction_percent"].setValue(85)
    page.shares["recurrence_percent"].setValue(page.shares["recurrence_percent"].minimum())
    assert page.shares["recurrence_percent"].text() == "No target"
    page.mttr["P1"].setValue(2)
    _save(qtbot, worker, dialog)
    stored = session.policy.sections["kpi_targets"]
    assert stored["satisfaction_percent"] == 85 and stored["recurrence_percent"] is None
    assert stored["mttr_hours"]["P1"] == 2 and stored["mttr_hours"]["P2"] == 8


def test_a_zero_hour_target_is_refused_on_its_field(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "KpiTargetsPage")
    page.mttr["P2"].setValue(0)
    assert page.problems() == [(page.mttr["P2"], "must be more than 0 hours")]
    assert page.field("kpi_targets.mttr_hours.P2") is page.mttr["P2"]


def test_no_target_for_a_priority_stays_no_target(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "KpiTargetsPage")
    page.mttr["P4"].setValue(page.mttr["P4"].minimum())
    assert page.mttr["P4"].text() == "No target"
    _save(qtbot, worker, dialog)
    stored = session.policy.sections["kpi_targets"]
    assert stored["mttr_hours"]["P4"] is None  # not left out: that meant the default
    assert "P4" not in KpiTargets.from_section(stored).mttr_hours
    page.load(session.policy.sections)
    assert page.mttr["P4"].text() == "No target" and page.mttr["P1"].value() == 4
