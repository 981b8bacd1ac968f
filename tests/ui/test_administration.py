"""Administration: real editors that refuse bad values on the field, one staged save
with a summary of exactly what changes, and a question before unsaved changes go."""

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialog

from desk_app.services.admin import add_technician
from desk_app.services.directory import list_groups, list_technicians
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import technician_by_login
from desk_app.services.session import Session
from desk_app.ui.main_window import MainWindow
from desk_app.ui.window_state import WindowState
from tests.conftest import new_ticket
from tests.ui.conftest import settle


def _admin(qtbot, worker, window):
    with qtbot.waitSignal(window.admin_opened) as opened:
        window.admin_action.trigger()
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    settle(qtbot, worker)
    return dialog


def _page(dialog, kind):
    return next(page for page in dialog.pages if type(page).__name__ == kind)


def _marked(widget) -> bool:
    return bool(widget.property("invalid"))


def _save(qtbot, worker, dialog, confirm: bool = True):
    """Press "Save changes"; returns the summary box (confirmed when ``confirm``)."""
    dialog.save_button.click()
    settle(qtbot, worker)
    box = dialog.confirm_box
    if confirm and box is not None and box.isVisible():
        box.save_button.click()
        settle(qtbot, worker)
    return box


def _refused_without_saving(qtbot, worker, dialog, session) -> None:
    before = dict(session.policy.sections)
    dialog.confirm_box = None
    dialog.save_button.click()
    settle(qtbot, worker)
    assert dialog.confirm_box is None  # no summary: refused before anything is sent
    assert dialog.error.isVisible() and "Nothing was saved" in dialog.error.text()
    assert dict(session.policy.sections) == before


def test_it_opens_on_the_first_field_and_fits_a_1280x720_laptop(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    matrix = _page(dialog, "PriorityMatrixPage")
    assert dialog.focusWidget() is matrix.cells[("high", "high")]
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 720
    assert dialog.width() <= 1280 and dialog.height() <= 720
    assert [b.text() for b in dialog.buttons.buttons()] == ["Save changes…", "Close"]


def test_the_matrix_is_tinted_with_the_priority_tone(qtbot, worker, window):
    from desk_app.ui.palette import tone

    cell = _page(_admin(qtbot, worker, window), "PriorityMatrixPage").cells[("high", "high")]
    assert tone("P1").fill in cell.styleSheet()
    cell.setCurrentText("P3")
    assert tone("P3").fill in cell.styleSheet() and tone("P1").fill not in cell.styleSheet()


def test_business_hours_refuse_an_end_before_the_start(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    calendars = _page(dialog, "CalendarsPage")
    calendars.show_calendar("office")
    monday = calendars.days["mon"].spans[0]
    monday.start.setTime(QTime(18, 0))
    monday.end.setTime(QTime(8, 0))
    assert _marked(monday.end) and "start must be before the end" in monday.end.toolTip()
    _refused_without_saving(qtbot, worker, dialog, session)
    monday.end.setTime(QTime(20, 0))
    assert not _marked(monday.end)


def test_business_hours_refuse_overlapping_intervals(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    calendars = _page(dialog, "CalendarsPage")
    calendars.show_calendar("office")
    tuesday = calendars.days["tue"]
    tuesday.spans[0].end.setTime(QTime(12, 0))
    tuesday.add.click()  # starts where the first ends
    assert tuesday.hours() == ["08:00-12:00", "12:00-13:00"]
    tuesday.spans[1].start.setTime(QTime(11, 0))
    _refused_without_saving(qtbot, worker, dialog, session)
    assert _marked(tuesday.spans[1].start) and "overlaps 08:00-12:00" in \
        tuesday.spans[1].start.toolTip()
    assert not _marked(tuesday.spans[0].start)  # only the field at fault
    tuesday.spans[1].start.setTime(QTime(13, 0))
    tuesday.spans[1].end.setTime(QTime(17, 0))
    _save(qtbot, worker, dialog)
    assert session.policy.sections["calendars"]["office"]["hours"]["tue"] == [
        "08:00-12:00", "13:00-17:00"]


def test_a_closed_day_and_midnight_hours(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    calendars = _page(dialog, "CalendarsPage")
    calendars.show_calendar("24x7")
    assert calendars.days["sun"].hours() == ["00:00-24:00"]  # 00:00 as the end: midnight
    calendars.days["sun"].open.setChecked(False)
    assert calendars.days["sun"].hours() == []
    assert "Calendar 24x7: Sun 00:00-24:00 -> closed" in dialog.pending()


def test_holidays_are_sorted_and_a_repeated_date_is_refused(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    holidays = _page(dialog, "CalendarsPage").holidays
    for day in (date(2026, 12, 26), date(2026, 12, 25)):
        holidays.picker.setDate(QDate(day.year, day.month, day.day))
        assert holidays.add()
    assert holidays.dates() == ["2026-12-25", "2026-12-26"]
    assert not holidays.add()  # 2026-12-25 again
    assert _marked(holidays.picker) and "holiday already" in holidays.picker.toolTip()
    assert holidays.dates() == ["2026-12-25", "2026-12-26"]


def test_the_time_zone_picker_refuses_an_unknown_zone(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    zone = _page(dialog, "LifecyclePage").time_zone
    assert zone.findText("America/New_York") >= 0  # offers the IANA zones
    zone.setEditText("Mars/Olympus")
    assert _marked(zone) and "unknown time zone" in zone.toolTip()
    _refused_without_saving(qtbot, worker, dialog, session)
    assert session.policy.time_zone == "Europe/London"


def test_list_editors_refuse_empty_and_repeated_items_and_reorder(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    services = _page(dialog, "LifecyclePage").critical
    assert services.items() == ["Email", "ERP"]
    for text in ("  ", "email"):
        services.entry.setText(text)
        assert not services.add()
        assert _marked(services.entry)
    services.entry.setFocus()
    services.entry.setText("VPN")
    qtbot.keyClick(services.entry, Qt.Key.Key_Return)  # Enter adds; it does not save
    settle(qtbot, worker)
    assert services.items()[-1] == "VPN" and not _marked(services.entry)
    assert dialog.confirm_box is None and dialog.isVisible()
    services.list.setCurrentRow(2)
    services.move(-2)
    assert services.items() == ["VPN", "Email", "ERP"]
    services.list.item(1).setText("ERP")  # an edit in place that repeats an item
    assert services.items() == ["VPN", "Email", "ERP"] and _marked(services.entry)
    services.list.setCurrentRow(2)
    services.remove()
    assert services.items() == ["VPN", "Email"]


def test_sla_durations_refuse_zero_and_more_than_a_year(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    sla = _page(dialog, "SlaPage")
    resolution = sla.resolution["P4"]
    resolution.amount.setValue(400)
    resolution.unit.setCurrentIndex(resolution.unit.findData("bd"))
    assert _marked(resolution.amount) and "at most 365 days" in resolution.amount.toolTip()
    _refused_without_saving(qtbot, worker, dialog, session)
    resolution.amount.setValue(0)
    assert _marked(resolution.amount)
    resolution.amount.setValue(6)
    assert not _marked(resolution.amount) and resolution.text() == "6bd"


def test_people_fields_refuse_bad_values(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    groups = dialog.groups
    for name in ("", "service desk"):
        groups.name.setText(name)
        assert not groups.add() and _marked(groups.name)
    groups.name.setText("Field Service")
    assert groups.add()
    assert not groups.undo.isEnabled()
    groups.table.selectRow(groups.table.rowCount() - 1)  # the staged one
    assert groups.undo.isEnabled()
    groups.undo.click()
    assert groups.new_groups == [] and dialog.pending() == []
    people = dialog.technicians
    people.login.setText("sam field")
    people.name.setText("Sam")
    people.email.setText("not-an-address")
    assert not people.add()
    assert _marked(people.login) and _marked(people.email) and not _marked(people.name)
    assert people.new_technicians == []
    hierarchic = _page(dialog, "EscalationPage")
    hierarchic.levels[0][0].setText("")
    dialog.save_button.click()
    assert _marked(hierarchic.levels[0][0])


def test_the_summary_lists_exactly_the_changes_and_the_round_trip_reaches_the_database(
        qtbot, worker, window, session):
    add_technician(session, "ana", "Ana Lopez", "support", "Service Desk")
    dialog = _admin(qtbot, worker, window)
    calendars = _page(dialog, "CalendarsPage")
    calendars.show_calendar("office")
    calendars.days["mon"].spans[0].start.setTime(QTime(7, 30))
    sla = _page(dialog, "SlaPage")
    sla.resolution["P2"].amount.setValue(6)
    dialog.groups.name.setText("Network Operations")
    dialog.groups.level.setCurrentIndex(dialog.groups.level.findData("L2"))
    assert dialog.groups.add()
    people = dialog.technicians
    people.table.selectRow([p["login"] for p in people._people].index("ana"))
    people.role.setCurrentIndex(people.role.findData("incident_manager"))
    people.group.setCurrentIndex(people.group.findData("Network Operations"))
    assert people.update_selected()
    escalation = _page(dialog, "EscalationPage")
    network_l2 = escalation.rows["Network"]["L2"]
    network_l2.setCurrentIndex(network_l2.findData("Network Operations"))  # a staged group

    expected = [
        "Calendar office: Mon 08:00-18:00 -> 07:30-18:00",
        "SLA P2 resolution: 8h -> 6h",
        "Functional escalation Network L2: Network Support -> Network Operations",
        "New group Network Operations (L2)",
        "Ana Lopez: role Support -> Incident manager; group Service Desk -> "
        "Network Operations",
    ]
    assert dialog.pending() == expected
    with qtbot.waitSignal(dialog.saved) as saved:
        box = _save(qtbot, worker, dialog)
    assert box.lines == expected
    assert [box.list.item(row).text() for row in range(box.list.count())] == expected
    assert saved.args[0] == expected
    settle(qtbot, worker)
    assert dialog.pending() == [] and "Saved 5 change(s)" in dialog.note.text()
    policy = session.policy
    assert policy.sections["calendars"]["office"]["hours"]["mon"] == ["07:30-18:00"]
    assert policy.sla.targets["P2"].resolution_text == "6h"
    assert policy.sections["escalation"]["functional"]["Network"]["L2"] == "Network Operations"
    assert {"name": "Network Operations", "level": "L2", "members": 1} in list_groups(session)
    ana = next(p for p in list_technicians(session) if p["login"] == "ana")
    assert (ana["role"], ana["group"]) == ("incident_manager", "Network Operations")


def test_keep_editing_in_the_summary_saves_nothing(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    _page(dialog, "PriorityMatrixPage").cells[("medium", "medium")].setCurrentText("P2")
    box = _save(qtbot, worker, dialog, confirm=False)
    assert box.lines == ["Priority for impact medium x urgency medium: P3 -> P2"]
    box.keep_button.click()
    settle(qtbot, worker)
    assert session.policy.matrix.priority("medium", "medium") == "P3"
    assert dialog.pending()  # still staged


def test_a_refusal_of_one_part_marks_its_field_and_saves_none_of_it(qtbot, worker, window,
                                                                    session):
    dialog = _admin(qtbot, worker, window)
    dialog.groups.name.setText("Field Service")
    assert dialog.groups.add()
    sla = _page(dialog, "SlaPage")
    sla.response["P1"].amount.setValue(5)  # 5 minutes -> 5 hours: past the 4h resolution
    sla.response["P1"].unit.setCurrentIndex(sla.response["P1"].unit.findData("h"))
    dialog.save_button.click()
    settle(qtbot, worker)
    assert dialog.confirm_box is None
    assert "sla.targets.P1.response" in dialog.error.text()
    assert "Nothing was saved" in dialog.error.text()
    amount = sla.response["P1"].amount
    assert _marked(amount) and "longer than the resolution" in amount.toolTip()
    assert dialog.tabs.currentWidget().widget() is sla  # shown where it is
    assert "Field Service" not in [g["name"] for g in list_groups(session)]
    assert session.policy.sla.targets["P1"].response_text == "15m"


def test_closing_with_staged_changes_asks_first(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    dialog.reject()  # nothing staged: closes at once
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()

    dialog = _admin(qtbot, worker, window)
    dialog.groups.name.setText("Field Service")
    dialog.groups.add()
    dialog.close_button.click()
    box = dialog.discard_box
    assert box.isVisible() and "Discard 1 unsaved change" in box.text()
    next(b for b in box.buttons() if b.text() == "Keep editing").click()
    assert dialog.isVisible()
    dialog.close()  # the window's close button asks too
    box = dialog.discard_box
    next(b for b in box.buttons() if b.text() == "Discard changes").click()
    assert not dialog.isVisible()


def test_matrix_and_sla_edits_apply_to_a_newly_logged_ticket(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    _page(dialog, "PriorityMatrixPage").cells[("medium", "medium")].setCurrentText("P2")
    sla = _page(dialog, "SlaPage")
    sla.resolution["P2"].amount.setValue(6)
    sla.calendar["P2"].setCurrentText("24x7")
    _save(qtbot, worker, dialog)
    ticket = log_ticket(session, new_ticket(impact="medium", urgency="medium"))
    assert ticket.priority == "P2"
    assert (ticket.resolution_due - ticket.logged_at).total_seconds() == 6 * 3600


@pytest.mark.parametrize("kind", ["CategoriesPage", "ChecklistsPage"])
def test_checklist_items_are_edited_as_lists(qtbot, worker, window, session, kind):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, kind)
    if kind == "CategoriesPage":
        page.names.list.setCurrentRow(page.names.items().index("Access"))
        page.own_checklist.setChecked(True)
        editor = page.checklist
    else:
        editor = page.default
    editor.entry.setText("Checked the user's identity")
    assert editor.add()
    _save(qtbot, worker, dialog)
    items = session.policy.categorisation_items("Access")
    assert items[-1] == "Checked the user's identity"


def test_a_non_administrator_cannot_open_administration(qtbot, worker, session, tmp_path):
    add_technician(session, "bob", "Bob", "support", None)
    session = Session(technician_by_login("bob"), session.now_fn)
    main = MainWindow(worker, session, WindowState(tmp_path / "s.json"))
    qtbot.addWidget(main)
    main.show()
    main.start()
    settle(qtbot, worker)
    assert not main.admin_action.isEnabled()
    assert "Only administrators" in main.admin_action.toolTip()
    assert main.open_admin() is None
    # and the service refuses even if a dialog were built
    from desk_app.ui.admin.admin_dialog import AdminDialog

    dialog = AdminDialog(main, worker, session)
    qtbot.addWidget(dialog)
    settle(qtbot, worker)
    assert not dialog.error.isHidden() and "administrator" in dialog.error.text()


def test_calendars_are_added_by_a_new_name_and_a_removed_one_leaves_sla_to_choose(
        qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    calendars = _page(dialog, "CalendarsPage")
    calendars.new_name.setText("office")
    assert not calendars.add_calendar() and _marked(calendars.new_name)
    calendars.new_name.setText("Night shift")
    assert calendars.add_calendar()
    assert calendars.days["mon"].hours() == ["08:00-18:00"] and calendars.days["sat"].hours() == []
    calendars.show_calendar("24x7")
    calendars.remove_calendar()
    sla = _page(dialog, "SlaPage")
    assert sla.calendar["P1"].currentIndex() < 0 and _marked(sla.calendar["P1"])
    _refused_without_saving(qtbot, worker, dialog, session)
    sla.calendar["P1"].setCurrentText("Night shift")
    _save(qtbot, worker, dialog)
    assert sorted(session.policy.calendars) == ["Night shift", "office"]
    assert session.policy.sla.targets["P1"].calendar.name == "Night shift"


def test_a_category_renamed_in_place_keeps_its_subcategories(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    categories = _page(dialog, "CategoriesPage")
    row = categories.names.items().index("Access")
    categories.names.list.item(row).setText("Identity")
    _save(qtbot, worker, dialog)
    assert session.policy.categories["Identity"].subcategories[0] == "Password reset"
    assert "Access" not in session.policy.categories
