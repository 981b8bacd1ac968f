"""The knowledge window driven as a person would: write an article in the editor (the
preview renders as you type), publish it, read it rendered; Markdown with HTML or a
script in it is shown as text; an article without a title is refused in the form."""

from PySide6.QtWidgets import QDialogButtonBox

from desk_app.services import knowledge, links, problems
from desk_app.services.intake import log_ticket
from desk_app.storage.models import KnowledgeArticle
from desk_app.ui.knowledge_window import KNOWN_ERRORS, KnowledgeWindow
from tests.conftest import new_ticket
from tests.ui.conftest import settle

HOSTILE = ("Try this: <script>alert('x')</script> and <b>not bold</b>\n\n"
           "<img src=x onerror=alert(1)>\n\n**really bold**")


def _window(qtbot, worker, session, tab=0):
    window = KnowledgeWindow(None, worker, session)
    qtbot.addWidget(window)
    window.tabs.setCurrentIndex(tab)
    window.reload()
    window.show()
    settle(qtbot, worker)
    return window


def test_write_preview_save_and_publish_an_article(qtbot, worker, session):
    window = _window(qtbot, worker, session)
    assert window.article_list.count() == 0
    editor = window.open_editor(None)
    editor.inputs["title"].setText("VPN drops every few minutes")
    editor.inputs["symptoms"].setPlainText("The client **disconnects**")
    editor.inputs["solution"].setPlainText("1. Open the client\n2. Push the new profile")
    editor.update_preview()
    preview = editor.preview.toPlainText()
    assert "VPN drops every few minutes" in preview and "**" not in preview
    assert "Push the new profile" in preview
    with qtbot.waitSignal(window.listed):
        editor.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    settle(qtbot, worker)
    assert not editor.isVisible()
    article = KnowledgeArticle.get()
    assert (article.title, article.status) == ("VPN drops every few minutes", "draft")
    assert window.current["number"] == article.number
    assert window.step_buttons["Publish"].isVisible()
    assert not window.step_buttons["Retire"].isVisible()
    window.step("Publish")
    settle(qtbot, worker)
    assert KnowledgeArticle.get().status == "published"
    assert window.article_status.text() == "Published"
    assert window.step_buttons["Retire"].isVisible()
    shown = window.article.toPlainText()
    assert "Solution or workaround" in shown and "disconnects" in shown


def test_an_article_without_a_title_is_refused_in_the_form(qtbot, worker, session):
    window = _window(qtbot, worker, session)
    editor = window.open_editor(None)
    editor.inputs["solution"].setPlainText("Restart it")
    editor.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    settle(qtbot, worker)
    assert editor.isVisible() and not editor.error.isHidden()
    assert editor.error.text().startswith("title:")
    assert "title" in editor.inputs["title"].toolTip()
    assert editor.inputs["solution"].toPlainText() == "Restart it"  # nothing lost
    assert KnowledgeArticle.select().count() == 0


def test_html_and_script_in_markdown_are_shown_as_text(qtbot, worker, session):
    knowledge.new_article(session, "<b>Title</b> with <script>x()</script>",
                          symptoms=HOSTILE, solution="Restart")
    window = _window(qtbot, worker, session)
    shown = window.article.toPlainText()
    assert "<script>alert('x')</script>" in shown
    assert "<b>not bold</b>" in shown and "<img src=x onerror=alert(1)>" in shown
    assert "<b>Title</b> with <script>x()</script>" in shown
    assert "really bold" in shown and "**really bold**" not in shown  # Markdown still works
    html = window.article.document().toHtml()
    assert "<script" not in html and "<img" not in html
    editor = window.open_editor(window.current)
    assert "<script>alert('x')</script>" in editor.preview.toPlainText()


def test_the_known_errors_tab_lists_the_kedb(qtbot, worker, session):
    incident = log_ticket(session, new_ticket()).number
    problem = links.raise_problem(session, incident).number
    problems.mark_known_error(session, problem, workaround="Use the *web* VPN",
                              root_cause="Expired certificate")
    window = _window(qtbot, worker, session, tab=KNOWN_ERRORS)
    assert window.known_list.count() == 1
    shown = window.known_error.toPlainText()
    assert problem in shown and "Use the web VPN" in shown and "Expired certificate" in shown


def test_the_main_window_opens_it_from_the_knowledge_menu(qtbot, worker, window):
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    entries = [a.text() for a in menus["&Knowledge"].actions()]
    assert entries == ["Knowledge &articles…", "Known &errors…"]
    opened = window.open_knowledge(1)
    qtbot.addWidget(opened)
    settle(qtbot, worker)
    assert opened.tabs.currentIndex() == KNOWN_ERRORS


def test_long_titles_wrap_in_the_lists_instead_of_running_off(qtbot, worker, session):
    summary = "Outlook cannot send when the archive PST is on a network drive " * 3
    incident = log_ticket(session, new_ticket(summary=summary.strip()[:200])).number
    problem = links.raise_problem(session, incident).number
    problems.mark_known_error(session, problem, workaround="Move the PST")
    knowledge.new_article(session, title=summary.strip()[:200], solution="x")
    for tab, shown in ((KNOWN_ERRORS, "known_list"), (0, "article_list")):
        window = _window(qtbot, worker, session, tab=tab)
        window.resize(900, 500)
        settle(qtbot, worker)
        listed = getattr(window, shown)
        assert listed.count() == 1
        assert listed.horizontalScrollBar().maximum() == 0, shown
