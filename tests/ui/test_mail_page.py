"""Administration > Mail: the server settings and templates are staged and saved with
the other pages; an unknown placeholder is refused on its field; the preview shows the
mail; the password goes to the keyring at once; the connection test runs off the GUI
thread against a real SMTP server."""

from desk_app.services.mail_out import mail_policy
from tests.mail_server import smtp_server  # noqa: F401
from tests.ui.conftest import settle
from tests.ui.test_administration import _admin, _marked, _page, _refused_without_saving, _save


def _mail(qtbot, worker, window):
    dialog = _admin(qtbot, worker, window)
    dialog.tabs.setCurrentIndex(dialog.pages.index(_page(dialog, "MailPage")))
    return dialog, _page(dialog, "MailPage")


def test_untouched_the_page_stages_nothing(qtbot, worker, window):
    dialog, _mail_page = _mail(qtbot, worker, window)
    assert dialog.staged().policy == {}


def test_server_and_a_template_are_saved_together(qtbot, worker, window, session):
    dialog, page = _mail(qtbot, worker, window)
    qtbot.keyClicks(page.fields["host"], "smtp.example.com")
    qtbot.keyClicks(page.fields["from_address"], "desk@example.com")
    page.events.setCurrentRow(3)  # resolved
    assert 'write "yes" on the first line' in page.preview.toPlainText()
    page.subject.setText("Fixed? {summary}")
    page.subject.textEdited.emit(page.subject.text())
    assert "Subject: [INC-000123] Fixed? VPN drops" in page.preview.toPlainText()
    box = _save(qtbot, worker, dialog)
    assert any("smtp.example.com" in line for line in box.lines)
    mail = mail_policy(session)
    assert (mail.smtp.host, mail.smtp.security, mail.smtp.port) == (
        "smtp.example.com", "starttls", 587)
    assert mail.templates["resolved"].subject == "Fixed? {summary}"
    stored = session.policy.sections["mail"]["templates"]
    assert list(stored) == ["resolved"]  # only what differs from the built-in text


def test_an_unknown_placeholder_is_refused_on_the_field(qtbot, worker, window, session):
    dialog, page = _mail(qtbot, worker, window)
    page.events.setCurrentRow(1)
    page.body.setPlainText("Hello {reporter}, {asignee} has it")
    assert "Cannot be sent: unknown placeholder {asignee}" in page.preview.toPlainText()
    _refused_without_saving(qtbot, worker, dialog, session)
    assert _marked(page.body)
    assert "Assigned: unknown placeholder {asignee}" in dialog.error.text()


def test_plain_text_to_another_server_is_refused(qtbot, worker, window, session):
    dialog, page = _mail(qtbot, worker, window)
    qtbot.keyClicks(page.fields["host"], "smtp.example.com")
    page.security.setCurrentIndex(page.security.findData("none"))
    assert page.port.value() == 25
    _refused_without_saving(qtbot, worker, dialog, session)
    assert _marked(page.security)


def test_password_at_once_and_the_test_against_a_real_server(
        qtbot, worker, window, memory_keyring, smtp_server):  # noqa: F811
    dialog, page = _mail(qtbot, worker, window)
    page.fields["host"].setText("127.0.0.1")
    page.security.setCurrentIndex(page.security.findData("none"))
    page.port.setValue(smtp_server.port)
    page.fields["from_address"].setText("desk@example.com")
    page.fields["login"].setText("desk")
    page.password.setText("pw")
    page.save_password.click()
    settle(qtbot, worker)
    assert list(memory_keyring.passwords.values()) == ["pw"]
    assert page.password.text() == "" and "keyring" in page.test_result.text()
    page.fields["login"].setText("")  # the test server asks for no login
    page.test.click()
    qtbot.waitUntil(lambda: page.test.isEnabled(), timeout=10_000)
    assert page.test_result.text().startswith(f"Connected to 127.0.0.1:{smtp_server.port}")
    assert page.sends.isChecked()
    page.sends.setChecked(False)
    settle(qtbot, worker)
    from desk_app.services.mail_out import desk_sends_mail

    assert worker.executor.call(desk_sends_mail) is False
    dialog.reject()


def test_the_ticket_details_switch_off_mail_to_the_reporter(qtbot, worker, window, session):
    from desk_app.services.intake import log_ticket
    from desk_app.services.lookup import ticket_by_number
    from tests.conftest import new_ticket

    log_ticket(session, new_ticket())
    window.refresh()
    settle(qtbot, worker)
    window.table.selectRow(0)
    settle(qtbot, worker)
    details = window.view.details
    assert not details.no_email.isChecked() and not details.dirty
    details.no_email.setChecked(True)
    assert details.dirty and details.edits()["details"] == {"no_email": "yes"}
    with qtbot.waitSignal(window.ticket_shown):
        details.save_details.click()
    settle(qtbot, worker)
    assert ticket_by_number(window.view.data["number"]).no_email is True
    assert details.no_email.isChecked() and not details.dirty


def test_the_window_sends_queued_mail_on_its_mail_thread(qtbot, worker, window, session,
                                                         smtp_server):  # noqa: F811
    from desk_app.services.intake import log_ticket
    from desk_app.services.mail_settings import set_smtp
    from tests.conftest import new_ticket
    from tests.mail_server import free_port

    qtbot.waitUntil(lambda: getattr(window, "mail_outbox", None) is not None)
    outbox = window.mail_outbox
    qtbot.waitUntil(lambda: not outbox.running)
    set_smtp(session, {"host": "127.0.0.1", "port": free_port(), "security": "none",
                       "from_address": "desk@example.com"})
    log_ticket(session, new_ticket())
    with qtbot.waitSignal(outbox.round_done, timeout=20_000):
        outbox.send()
    assert outbox.label.isVisible() and outbox.label.text() == "Mail: 1 waiting"
    assert "unreachable" in outbox.label.toolTip()
    set_smtp(session, {"port": smtp_server.port})
    with qtbot.waitSignal(outbox.sent, timeout=20_000):
        outbox.send(retry_now=True)
    assert len(smtp_server.inbox.messages) == 1 and not outbox.label.isVisible()
