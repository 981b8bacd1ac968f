"""The logging form's typing is kept on disk while typing: a form that died with the
app comes back filled in; saving or cancelling forgets it."""

from desk_app.ui.drafts import DraftStore
from tests.ui.conftest import settle
from tests.ui.test_incident_flow import _fill, _open_form


def test_a_form_that_died_with_the_app_comes_back_filled_in(qtbot, worker, window):
    form = _open_form(qtbot, worker, window)
    form.request_switch.setChecked(True)
    _fill(form, summary="Needs a second monitor", description="For the new starter")
    qtbot.waitUntil(lambda: DraftStore().load(form.DRAFT) is not None, timeout=3_000)
    form.hide()
    form.deleteLater()  # the app went away without Save or Cancel

    again = _open_form(qtbot, worker, window)
    assert again.restored.isVisible() and "Restored what you were typing" in \
        again.restored.text()
    assert again.inputs["summary"].text() == "Needs a second monitor"
    assert again.inputs["description"].toPlainText() == "For the new starter"
    assert again.request_switch.isChecked()
    assert again.inputs["category"].currentData() == "Network"
    assert again.inputs["subcategory"].currentData() == "VPN"
    assert again.inputs["impact"].currentData() == "medium"
    with qtbot.waitSignal(window.ticket_shown, timeout=10_000):
        again.save()
    settle(qtbot, worker)
    assert DraftStore().load(again.DRAFT) is None


def test_cancel_discards_the_draft_and_an_empty_form_keeps_none(qtbot, worker, window):
    form = _open_form(qtbot, worker, window)
    form.save_draft_now()
    assert DraftStore().load(form.DRAFT) is None  # nothing typed, nothing kept
    form.inputs["summary"].setText("Typo")
    form.save_draft_now()
    assert DraftStore().load(form.DRAFT) is not None
    form.reject()
    assert DraftStore().load(form.DRAFT) is None
    assert not _open_form(qtbot, worker, window).restored.isVisible()


def test_a_damaged_draft_is_ignored(tmp_path):
    store = DraftStore(tmp_path)
    (tmp_path / "logging-form.json").write_text("{not json")
    assert store.load("logging-form") is None
    store.save("logging-form", {"summary": "x"})
    assert store.load("logging-form")[0] == {"summary": "x"}


def test_a_form_draft_never_keeps_a_password(qtbot, tmp_path):
    from desk_app.ui.form_dialog import Field, FormDialog

    store = DraftStore(tmp_path / "drafts")
    dialog = FormDialog(None, "Mailbox", [Field("host", "Host"),
                                           Field("password", "Password", kind="password")],
                        lambda values, d: None, draft_key="mailbox", drafts=store)
    qtbot.addWidget(dialog)
    dialog.inputs["password"].setText("hunter2")
    assert dialog.save_draft_now() is False  # only a password typed: nothing to keep
    assert store.load("mailbox") is None
    dialog.inputs["host"].setText("imap.example.org")
    assert dialog.save_draft_now() is True
    kept, _ = store.load("mailbox")
    assert kept == {"host": "imap.example.org"}
    assert "hunter2" not in "".join(p.read_text() for p in (tmp_path / "drafts").rglob("*"))
