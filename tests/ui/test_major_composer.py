"""The update composer: its five parts prefilled from the rhythm, the preview of who
receives it, a refused part named on its field with nothing sent, the update sent and
logged, and the final update closing the rhythm."""

from datetime import timedelta

from desk_app.services.mail_settings import set_smtp
from desk_app.services.major_updates import updates_of
from desk_app.storage.models import MailMessage
from tests.ui.conftest import settle
from tests.ui.majors import running_major


def _composer(qtbot, worker, window, session):
    # mail is queued only with SMTP settings (nothing listens there: nothing is sent)
    set_smtp(session, {"host": "127.0.0.1", "port": 9, "security": "none",
                       "from_address": "desk@example.com"})
    major = running_major(session)
    board = window.open_major_board(major.number)
    qtbot.addWidget(board)
    settle(qtbot, worker)
    with qtbot.waitSignal(board.composer_opened) as opened:
        board.update_button.click()
    composer = opened.args[0]
    qtbot.addWidget(composer)
    settle(qtbot, worker)
    return major, board, composer


def _fill(composer, **parts):
    for name, text in parts.items():
        composer.inputs[name].setPlainText(text)


def test_the_composer_is_prefilled_and_previews_its_recipients(qtbot, worker, window,
                                                               session, clock):
    _major, board, composer = _composer(qtbot, worker, window, session)
    moment = composer.inputs["next_update_at"].dateTime().toPython().astimezone()
    assert abs(moment - (clock.current + board.current.every)) < timedelta(minutes=1)
    text = composer.recipients.text()
    for address in ("cio@example.com", "ravi.patel@example.com", "dana@example.com"):
        assert address in text
    assert text.startswith("Recipients (3)")
    composer.final.setChecked(True)
    assert not composer.inputs["next_update_at"].isEnabled()
    assert composer.inputs["status"].currentText() == "Resolved"
    composer.reject()


def test_a_missing_part_is_refused_on_its_field_and_nothing_is_sent(qtbot, worker, window,
                                                                    session):
    major, _board, composer = _composer(qtbot, worker, window, session)
    _fill(composer, impact="All offices without mail", actions="",
          workaround="Use webmail")
    composer.ok.click()
    settle(qtbot, worker)
    assert composer.isVisible()
    assert composer.inputs["actions"].property("invalid")
    assert "actions" in composer.error.text()
    assert composer.inputs["impact"].toPlainText() == "All offices without mail"
    assert updates_of(major.id) == []
    assert MailMessage.select().where(MailMessage.event == "major_update").count() == 0
    composer.reject()


def test_an_update_is_sent_logged_and_shown_on_the_board(qtbot, worker, window, session):
    major, board, composer = _composer(qtbot, worker, window, session)
    _fill(composer, impact="All offices without mail", actions="Failing over to DC2",
          workaround="Use webmail")
    with qtbot.waitSignal(board.loaded, timeout=5_000):
        composer.ok.click()
    settle(qtbot, worker)
    assert not composer.isVisible()
    sent = updates_of(major.id)
    assert [(u.sequence, u.actions, u.final) for u in sent] == [(1, "Failing over to DC2",
                                                                False)]
    assert MailMessage.select().where(MailMessage.event == "major_update").count() == 3
    assert "#1" in board.updates_text.toPlainText()
    assert board.current.board.next_update_due is not None


def test_the_final_update_closes_the_rhythm(qtbot, worker, window, session):
    major, board, composer = _composer(qtbot, worker, window, session)
    _fill(composer, impact="None any more", actions="Mail flows through DC2",
          workaround="Not needed")
    composer.final.setChecked(True)
    composer.ok.click()
    settle(qtbot, worker)
    assert [u.final for u in updates_of(major.id)] == [True]
    assert board.clocks["next_update"].property("value") == "Final update sent"
    assert not board.update_button.isEnabled()


def test_a_composer_that_died_comes_back_filled(qtbot, worker, window, session):
    from desk_app.ui.drafts import DraftStore

    _major, board, composer = _composer(qtbot, worker, window, session)
    _fill(composer, impact="Finance cannot send invoices")
    qtbot.waitUntil(lambda: DraftStore().load(composer.draft_key) is not None, timeout=3_000)
    composer.hide()
    composer.deleteLater()  # the app died with the composer open
    again = board.open_composer()
    qtbot.addWidget(again)
    settle(qtbot, worker)
    assert again.inputs["impact"].toPlainText() == "Finance cannot send invoices"
    assert again.restored.isVisibleTo(again)
    again.reject()
    assert DraftStore().load(again.draft_key) is None


def test_a_next_update_in_the_past_is_refused_on_its_field(qtbot, worker, window, session,
                                                           clock):
    from PySide6.QtCore import QDateTime

    major, _board, composer = _composer(qtbot, worker, window, session)
    _fill(composer, impact="All offices", actions="Failing over", workaround="Webmail")
    composer.inputs["next_update_at"].setDateTime(
        QDateTime(clock.current.astimezone() - timedelta(minutes=5)))
    composer.ok.click()
    settle(qtbot, worker)
    assert composer.isVisible() and composer.inputs["next_update_at"].property("invalid")
    assert "next update at" in composer.error.text()
    assert updates_of(major.id) == []
    composer.reject()
