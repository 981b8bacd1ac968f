"""The administration dialog's Files page: the attachments section of the policy."""

from desk_app.storage.database import database
from tests.ui.conftest import settle
from tests.ui.test_administration import _admin, _page, _save


def test_the_files_page_shows_the_limit_and_saves_a_change(qtbot, worker, window, session):
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "AttachmentsPage")
    assert page.max_size.value() == 25 and page.prefetch.isChecked()
    assert dialog.pending() == []  # nothing staged by merely opening it
    page.max_size.setValue(10)
    page.prefetch.setChecked(False)
    _save(qtbot, worker, dialog)
    assert session.policy.sections["attachments"] == {"max_size_mb": 10,
                                                      "prefetch_my_tickets": False}


def test_a_desk_from_before_the_section_stages_nothing_until_changed(qtbot, worker, window,
                                                                     session):
    database.execute_sql("DELETE FROM policy_section WHERE key = 'attachments'")
    database.execute_sql("UPDATE meta SET value = value + 1 WHERE key = 'policy_revision'")
    dialog = _admin(qtbot, worker, window)
    page = _page(dialog, "AttachmentsPage")
    assert page.max_size.value() == 25
    assert dialog.pending() == []
    page.max_size.setValue(5)
    assert dialog.pending()
    _save(qtbot, worker, dialog)
    settle(qtbot, worker)
    assert session.policy.sections["attachments"]["max_size_mb"] == 5
