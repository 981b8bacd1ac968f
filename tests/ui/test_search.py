"""Search that finds: a number jumps to its ticket wherever it is, text covers every
ticket and says how many, an empty result offers ways out, filters are chips, saved
views come back, and the keyboard moves from the search into the results."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desk_app.services.admin import add_technician
from desk_app.services.intake import log_ticket
from desk_app.services.workflow import cancel
from desk_app.ui.main_window import MainWindow
from desk_app.ui.window_state import WindowState
from tests.conftest import new_ticket
from tests.ui.conftest import settle


def _search(qtbot, worker, window, text: str) -> None:
    with qtbot.waitSignal(window.model.listing_ready, timeout=5_000):
        window.filters.search.setText(text)
    settle(qtbot, worker)


def _desk(qtbot, worker, window, session):
    """Three tickets: two about printers (one cancelled), one about the VPN."""
    printer = log_ticket(session, new_ticket(summary="Printer jams on floor 3"))
    log_ticket(session, new_ticket(summary="Printer toner low"))
    vpn = log_ticket(session, new_ticket(summary="VPN drops"))
    cancel(session, printer.number, "mislogged")
    window.refresh()
    settle(qtbot, worker)
    return printer, vpn


def test_digits_jump_to_a_cancelled_ticket_from_an_empty_queue(qtbot, worker, window,
                                                              session):
    printer, _vpn = _desk(qtbot, worker, window, session)
    window.queues.select("on_hold")
    settle(qtbot, worker)
    assert window.model.rowCount() == 0
    _search(qtbot, worker, window, "1")
    assert window.model.rowCount() == 1
    assert window.view.data is not None and window.view.data["id"] == printer.id
    assert window.queues.current_key == "all"  # the queue list shows where it is
    assert window.table.currentIndex().row() == 0
    assert window.filters.result.text().startswith("INC-000001 · Cancelled · in All tickets")
    window.queues.select("on_hold")  # picking a queue ends a number search
    settle(qtbot, worker)
    assert window.filters.search.text() == "" and window.model.rowCount() == 0
    _search(qtbot, worker, window, "inc-000003")
    assert window.view.data["number"] == "INC-000003"
    assert window.queues.current_key == "my_day"  # the first queue that holds it


def test_text_searches_every_ticket_unless_narrowed_and_counts(qtbot, worker, window,
                                                             session):
    _desk(qtbot, worker, window, session)
    window.queues.select("all_open")
    settle(qtbot, worker)
    _search(qtbot, worker, window, "printer")
    assert window.filters.everywhere and window.model.rowCount() == 2
    assert window.filters.result.text() == "2 tickets"
    with qtbot.waitSignal(window.model.listing_ready):
        window.filters.set_everywhere(False)
    settle(qtbot, worker)
    assert window.model.rowCount() == 1 and window.filters.result.text() == "1 ticket"
    assert window.filters.scope.currentText() == "All open"


def test_the_pane_stops_showing_a_ticket_the_results_do_not_hold(qtbot, worker, window,
                                                                session):
    _printer, vpn = _desk(qtbot, worker, window, session)
    window.show_ticket(vpn.id)
    settle(qtbot, worker)
    assert window.view.data["id"] == vpn.id
    _search(qtbot, worker, window, "toner")
    settle(qtbot, worker)
    assert window.model.rowCount() == 1
    assert window.view.data is None


def test_a_search_that_drops_the_shown_ticket_asks_about_its_unsaved_edits(
        qtbot, worker, window, session):
    _printer, vpn = _desk(qtbot, worker, window, session)
    window.show_ticket(vpn.id)
    settle(qtbot, worker)
    window.view.details.detail_inputs["ci"].setText("VPN-GW-2")
    asked = []
    window.leave_question = lambda _parent, number: (asked.append(number), "keep")[1]
    _search(qtbot, worker, window, "toner")
    assert asked == [vpn.number]
    assert window.view.data["id"] == vpn.id and window.view.dirty  # kept, typing intact
    assert window.view.details.detail_inputs["ci"].text() == "VPN-GW-2"


def test_an_empty_result_offers_search_everywhere_and_clear_filters(qtbot, worker, window,
                                                                  session):
    _desk(qtbot, worker, window, session)
    window.queues.select("on_hold")
    settle(qtbot, worker)
    window.filters.set_everywhere(False, quiet=True)
    _search(qtbot, worker, window, "printer")
    assert window.table_area.currentWidget() is window.empty
    assert "printer" in window.empty.title.text() and "On hold" in window.empty.title.text()
    assert not window.empty.everywhere_button.isHidden()
    with qtbot.waitSignal(window.model.listing_ready):
        window.empty.everywhere_button.click()
    settle(qtbot, worker)
    assert window.table_area.currentWidget() is window.table
    assert window.model.rowCount() == 2
    window.filters.choose("priority", "P1")
    settle(qtbot, worker)
    assert window.table_area.currentWidget() is window.empty
    assert window.empty.everywhere_button.isHidden()  # it already looked everywhere
    with qtbot.waitSignal(window.model.listing_ready):
        window.empty.clear_button.click()
    settle(qtbot, worker)
    assert window.filters.search.text() == "" and window.filters.value("priority") is None
    assert window.table_area.currentWidget() is window.empty  # On hold itself is empty
    assert window.empty.everywhere_button.isHidden() and window.empty.clear_button.isHidden()
    assert window.empty.title.text() == "No tickets in On hold"


def test_filters_show_as_chips_with_their_label_and_clear_with_one_click(
        qtbot, worker, window, session):
    add_technician(session, "dana", "Dana Whitfield", "support", None)
    _desk(qtbot, worker, window, session)
    window.load_reference()
    settle(qtbot, worker)
    window.queues.select("all")
    settle(qtbot, worker)
    window.filters.choose("assignee", "dana")
    window.filters.choose("status", "in_progress")
    settle(qtbot, worker)
    chips = window.filters.chips
    assert chips["assignee"].text().startswith("Assignee: Dana Whitfield")
    assert chips["status"].text().startswith("Status: In progress")
    assert window.model.rowCount() == 0
    with qtbot.waitSignal(window.model.listing_ready):
        chips["assignee"].click()
    settle(qtbot, worker)
    assert set(window.filters.chips) == {"status"}
    with qtbot.waitSignal(window.model.listing_ready):
        window.filters.chips["status"].click()
    settle(qtbot, worker)
    assert window.filters.chips == {} and window.model.rowCount() == 3
    window.filters.filter_menu.aboutToShow.emit()  # the menu is built when first opened
    status_menu = window.filters.filter_menu.actions()[0].menu()
    cancelled = next(a for a in status_menu.actions() if a.text() == "Cancelled")
    with qtbot.waitSignal(window.model.listing_ready):
        cancelled.trigger()
    settle(qtbot, worker)
    assert window.filters.chips["status"].text().startswith("Status: Cancelled")
    assert cancelled.isChecked() and window.model.rowCount() == 1


def test_a_saved_view_comes_back_with_its_search_filters_and_order(qtbot, worker, window,
                                                                  session, tmp_path):
    _desk(qtbot, worker, window, session)
    window.queues.select("all_open")
    settle(qtbot, worker)
    window.filters.choose("priority", "P3")
    _search(qtbot, worker, window, "printer")
    window._header_clicked(0)  # by number, ascending
    settle(qtbot, worker)
    view = window.shelf.save("Printers")
    settle(qtbot, worker)
    assert view is not None and window.queues.current_key == "view:Printers"
    assert window.queues.view_counts == {"Printers": 2}
    window.shelf.save("printers")  # the same name in other letters: refused, nothing kept
    assert [v.name for v in window.shelf.store.views()] == ["Printers"]
    window.filters.clear()
    window.queues.select("on_hold")
    settle(qtbot, worker)
    with qtbot.waitSignal(window.model.listing_ready):
        window.queues.select("view:Printers")
    settle(qtbot, worker)
    assert window.filters.search.text() == "printer"
    assert window.filters.value("priority") == "P3"
    assert (window.model.sort_key, window.model.descending) == ("number", False)
    assert window.model.rowCount() == 2
    window.shelf.rename("Printers", "Printer trouble")
    assert window.queues.current_key == "view:Printer trouble"
    window.save_layout()
    again = MainWindow(worker, session, WindowState(tmp_path / "state.json"))
    qtbot.addWidget(again)
    again.start()
    settle(qtbot, worker)
    assert [v.name for v in again.shelf.store.views()] == ["Printer trouble"]
    assert again.queues.view_counts == {"Printer trouble": 2}
    again.shelf.remove("Printer trouble")
    assert again.shelf.store.views() == []
    assert again.queues.title_of("view:Printer trouble") == "view:Printer trouble"
    again.stop_timers()


def test_down_enters_the_results_enter_opens_esc_clears(qtbot, worker, window, session):
    _desk(qtbot, worker, window, session)
    window.activateWindow()
    window.filters.search.setFocus()
    _search(qtbot, worker, window, "printer")
    qtbot.keyClick(window.filters.search, Qt.Key.Key_Down)
    settle(qtbot, worker)
    assert window.table.hasFocus() or QApplication.focusWidget() is window.table
    assert window.table.currentIndex().row() == 0
    window.filters.search.setFocus()
    window.filters.search.setText("toner")  # Enter before the typing pause: searched first
    qtbot.keyClick(window.filters.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.view.data is not None
                    and window.view.data["summary"] == "Printer toner low", timeout=5_000)
    settle(qtbot, worker)
    focus = QApplication.focusWidget()
    assert focus is not None and window.view.isAncestorOf(focus)
    window.filters.search.setFocus()
    with qtbot.waitSignal(window.model.listing_ready):
        qtbot.keyClick(window.filters.search, Qt.Key.Key_Escape)
    settle(qtbot, worker)
    assert window.filters.search.text() == "" and window.model.rowCount() == 2


def test_save_as_queue_asks_for_a_name_and_leaving_the_view_clears_its_filters(
        qtbot, worker, window, session):
    _desk(qtbot, worker, window, session)
    window.filters.choose("priority", "P3")
    settle(qtbot, worker)
    with qtbot.waitSignal(window.shelf.dialog_opened) as opened:
        window.filters.save_button.click()
    dialog = opened.args[0]
    assert dialog.textValue() == "All open · P3"  # a suggestion from what is chosen
    dialog.setTextValue("My P3s")
    dialog.accept()
    settle(qtbot, worker)
    assert window.queues.current_key == "view:My P3s"
    assert window.queues.view_counts == {"My P3s": 2}
    with qtbot.waitSignal(window.model.listing_ready):
        window.queues.select("all_open")
    settle(qtbot, worker)
    assert window.filters.chips == {} and window.model.rowCount() == 2
    with qtbot.waitSignal(window.shelf.dialog_opened) as opened:
        window.queues.rename_requested.emit("My P3s")
    opened.args[0].setTextValue("  ")
    opened.args[0].accept()  # refused: a view needs a name; nothing changes
    assert [v.name for v in window.shelf.store.views()] == ["My P3s"]
