"""The administration dialog's Weekly report page: the report_schedule section."""

from desk_app.core.report_schedule import ReportSchedule
from tests.ui.test_administration import _admin, _marked, _page, _save
from tests.ui.test_administration import _refused_without_saving as _refused


def _add(page, address: str) -> bool:
    page.recipients.entry.setText(address)
    return page.recipients.add()


def test_it_shows_the_stored_schedule_and_opening_it_stages_nothing(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "WeeklyReportPage")
    assert not page.enabled.isChecked()
    assert page.weekday.currentText() == "Monday" and page.hour.currentText() == "08:00"
    assert page.recipients.items() == []
    assert "from the previous Monday 08:00" in page.period.text()
    assert "When on, the next report: Mon" in page.period.text()
    assert dialog.pending() == []


def test_every_field_is_saved_and_read_back(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "WeeklyReportPage")
    page.enabled.setChecked(True)
    page.weekday.setCurrentIndex(page.weekday.findData("fri"))
    page.hour.setCurrentIndex(page.hour.findData(17))
    assert _add(page, "manager@example.com") and _add(page, " director@example.com ")
    assert "from the previous Friday 17:00" in page.period.text()
    assert "The next report: Fri" in page.period.text()
    box = _save(qtbot, worker, dialog)
    assert box is not None and any("Report schedule" in line for line in box.lines)
    assert session.policy.sections["report_schedule"] == {
        "enabled": True, "recipients": ["manager@example.com", "director@example.com"],
        "weekday": "fri", "hour": 17}
    assert ReportSchedule.from_section(session.policy.sections["report_schedule"]).active

    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.reload()
    assert page.enabled.isChecked() and page.weekday.currentData() == "fri"
    assert page.hour.currentData() == 17
    assert page.recipients.items() == ["manager@example.com", "director@example.com"]
    assert dialog.pending() == []


def test_a_bad_address_is_refused_on_the_field_and_not_listed(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "WeeklyReportPage")
    assert not _add(page, "not an address")
    assert _marked(page.recipients.entry)
    assert "is not a mail address" in page.recipients.entry.toolTip()
    assert page.recipients.items() == [] and dialog.pending() == []
    assert _add(page, "a@example.com")
    assert not _add(page, "A@example.com")  # listed already
    assert page.recipients.items() == ["a@example.com"]


def test_turning_it_on_without_recipients_is_refused_and_saves_nothing(qtbot, worker, window,
                                                                       session):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "WeeklyReportPage")
    page.enabled.setChecked(True)
    page.hour.setCurrentIndex(page.hour.findData(9))
    _refused(qtbot, worker, dialog, session)
    assert _marked(page.recipients.entry)
    assert "name at least one address" in page.recipients.entry.toolTip()
    assert "name at least one address" in dialog.error.text()
    assert dialog.tabs.currentWidget().widget() is page
    assert session.policy.sections["report_schedule"]["enabled"] is False


def test_an_address_edited_in_place_into_a_bad_one_is_put_back(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "WeeklyReportPage")
    assert _add(page, "a@example.com")
    page.recipients.list.item(0).setText("a@example")
    assert page.recipients.items() == ["a@example.com"]
    assert _marked(page.recipients.entry)


def test_closing_with_a_staged_schedule_asks_first(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "WeeklyReportPage")
    page.weekday.setCurrentIndex(page.weekday.findData("wed"))
    assert "1 unsaved change" in dialog.note.text()
    dialog.close_button.click()
    box = dialog.discard_box
    assert box.isVisible() and "Discard 1 unsaved change" in box.text()
    next(b for b in box.buttons() if b.text() == "Discard changes").click()
    assert not dialog.isVisible()
    assert session.policy.sections["report_schedule"]["weekday"] == "mon"
