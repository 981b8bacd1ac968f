"""The Files tab of the ticket view: add by button path, drop, paste; previews of
images and text; open with the system viewer; refusals shown, nothing added."""

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QLabel

from desk_app.services.admin import change_policy
from desk_app.services.attachments import list_attachments
from desk_app.services.intake import log_ticket
from tests.conftest import new_ticket
from tests.ui.conftest import settle


def _shown(qtbot, worker, window, session):
    number = log_ticket(session, new_ticket(summary="Label printer prints blank")).number
    window.refresh()
    settle(qtbot, worker)
    window.table.selectRow(0)
    settle(qtbot, worker)
    panel = window.view.attachments
    assert panel.ticket["number"] == number
    return number, panel


def _rows(panel):
    return [panel.list.itemWidget(panel.list.item(i)) for i in range(panel.list.count())]


def _texts(row, name):
    return [label.text() for label in row.findChildren(QLabel, name)]


def test_added_files_are_listed_with_previews(qtbot, worker, window, session, tmp_path):
    number, panel = _shown(qtbot, worker, window, session)
    assert panel.empty.isVisibleTo(panel) and panel.list.count() == 0
    log = tmp_path / "spooler.log"
    log.write_text("first line\nsecond line\nthird line\nfourth line\n")
    photo = tmp_path / "label.png"
    image = QImage(200, 100, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 30, 30))
    image.save(str(photo))
    panel.add_files([str(log), str(photo)])
    settle(qtbot, worker)
    assert [a.name for a in list_attachments(session, number)] == ["spooler.log", "label.png"]
    rows = _rows(panel)
    assert [_texts(r, "attachment_name")[0] for r in rows] == ["spooler.log", "label.png"]
    assert _texts(rows[0], "attachment_preview") == ["first line\nsecond line\nthird line"]
    assert "alice" in _texts(rows[0], "attachment_facts")[0]
    thumbnail = rows[1].findChild(QLabel, "attachment_picture").pixmap()
    assert thumbnail.width() == 72 and thumbnail.height() == 36  # the picture, scaled
    tabs = window.view.tabs
    assert tabs.tabText(tabs.indexOf(panel)) == "&Files (2)"


def test_files_dropped_on_the_ticket_view_are_attached(qtbot, worker, window, session,
                                                       tmp_path):
    number, panel = _shown(qtbot, worker, window, session)
    dropped = tmp_path / "notes.txt"
    dropped.write_text("printer on floor 2")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    view = window.view
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    view.dropEvent(event)
    settle(qtbot, worker)
    assert event.isAccepted()
    assert view.tabs.currentWidget() is panel
    assert [a.name for a in list_attachments(session, number)] == ["notes.txt"]


def test_a_pasted_image_is_saved_as_a_png(qtbot, worker, window, session):
    number, panel = _shown(qtbot, worker, window, session)
    image = QImage(40, 30, QImage.Format.Format_ARGB32)
    image.fill(QColor(20, 120, 220))
    QApplication.clipboard().setImage(image)
    window.view.show_page(panel)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, worker)
    [pasted] = list_attachments(session, number)
    assert pasted.name.startswith("pasted image") and pasted.name.endswith(".png")
    assert pasted.content_type == "image/png"
    from desk_app.services.attachments import content_path

    assert QImage(str(content_path(pasted.id))).size() == image.size()


def test_open_hands_a_named_copy_to_the_system_viewer(qtbot, worker, window, session,
                                                      tmp_path):
    _number, panel = _shown(qtbot, worker, window, session)
    report = tmp_path / "report.txt"
    report.write_text("details")
    panel.add_files([str(report)])
    settle(qtbot, worker)
    opened = []
    panel.opener = opened.append
    panel.list.setCurrentRow(0)
    panel.open_button.click()
    settle(qtbot, worker)
    [url] = opened
    assert url.fileName() == "report.txt"
    assert Path(url.toLocalFile()).read_text() == "details"


def test_a_refused_file_is_said_in_the_panel_and_nothing_added(qtbot, worker, window,
                                                               session, tmp_path):
    change_policy(session, {"attachments": {"max_size_mb": 1}})
    number, panel = _shown(qtbot, worker, window, session)
    big = tmp_path / "core.dump"
    big.write_bytes(b"\0" * (1024 * 1024 + 1))
    panel.add_files([str(big)])
    settle(qtbot, worker)
    assert "over the limit of 1 MB" in panel.message.text()
    assert panel.message.isVisibleTo(panel)
    assert list_attachments(session, number) == []


def test_a_file_that_is_not_here_and_cannot_be_fetched_says_why(qtbot, worker, window,
                                                                session, tmp_path):
    from desk_app.services.attachments import content_store

    number, panel = _shown(qtbot, worker, window, session)
    report = tmp_path / "report.txt"
    report.write_text("details")
    panel.add_files([str(report)])
    settle(qtbot, worker)
    [info] = list_attachments(session, number)
    content_store().path_of(info.sha256).unlink()  # another desk's file, never fetched
    opened = []
    panel.opener = opened.append
    panel.list.setCurrentRow(0)
    panel.open_selected()
    settle(qtbot, worker)
    settle(qtbot, window.team_sync.worker)
    settle(qtbot, worker)
    assert opened == []
    assert "no team database to fetch it from" in panel.message.text()
