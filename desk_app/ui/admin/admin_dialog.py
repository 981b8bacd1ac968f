"""Administration: every policy editor and the people pages in one dialog with one save.

Every edit is staged; "Save changes" checks the fields, asks the admin service for a
summary of what would change (checked exactly as the save checks it), shows it, and
on confirmation applies everything in one activity: all of it or, when one part is
refused, none of it, with the refusal marked on its field. Loading and saving go
through admin-only services, so a technician without the role is refused there even
if this dialog were opened.
"""

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.admin_changes import AdministrationChanges, StagedChangeRefused, describe_people
from desk_app.core.policy_diff import describe_policy
from desk_app.services import admin
from desk_app.services.session import Session
from desk_app.ui.admin.people_pages import GroupsPage, TechniciansPage
from desk_app.ui.admin.policy_pages import POLICY_PAGES, PolicyPage
from desk_app.ui.admin.summary_dialog import SaveSummary
from desk_app.ui.refusals import error_label, mark, refusal_text
from desk_app.ui.worker import BackgroundWorker

FITS = (1200, 660)  # inside a 1280x720 screen with the window frame


def _scrolled(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(page)
    return area


class AdminDialog(QDialog):
    """``loaded`` after the data arrived; ``summary_shown`` with the confirmation box;
    ``saved`` with the summary after a save; ``policy_changed`` after a save."""

    loaded = Signal()
    summary_shown = Signal(object)
    saved = Signal(list)
    policy_changed = Signal()

    def __init__(self, parent: QWidget | None, worker: BackgroundWorker, session: Session) -> None:
        super().__init__(parent)
        self.setObjectName("admin_dialog")
        self.setWindowTitle("Administration")
        self._worker = worker
        self._session = session
        self._loaded: dict[str, Any] = {}
        self._marked: list[QWidget] = []
        self._last_saved = ""
        self.confirm_box: SaveSummary | None = None
        self.discard_box: QMessageBox | None = None
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("admin_tabs")
        self.pages: list[PolicyPage] = [page() for page in POLICY_PAGES]
        self.groups = GroupsPage()
        self.technicians = TechniciansPage()
        self.technicians.preferences_requested.connect(self.edit_preferences)
        self.preferences_dialog: QDialog | None = None
        for page in (*self.pages, self.groups, self.technicians):
            self.tabs.addTab(_scrolled(page), page.title)
            page.edited.connect(self._edited)
        for page in self.pages:  # pages with settings saved at once (Mail: the password)
            if hasattr(page, "bind"):
                page.bind(worker, session, self)
        layout.addWidget(self.tabs, 1)
        self.note = QLabel()
        self.note.setObjectName("admin_note")
        layout.addWidget(self.note)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("Save changes…")
        self.save_button.setObjectName("save_changes")
        self.save_button.setAutoDefault(False)
        self.close_button = QPushButton("Close")
        self.close_button.setObjectName("close_admin")
        self.close_button.setAutoDefault(False)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(*FITS)
        self._set_busy(True)
        self.reload()

    def edit_preferences(self, login: str) -> None:
        """Open the preferences of technician ``login`` (read on the worker first)."""
        from desk_app.services.preferences import preferences_of
        from desk_app.services.reference import desk_reference
        from desk_app.ui.profile_dialog import preferences_dialog

        session = self._session

        def opened(found: tuple[Any, Any]) -> None:
            self.preferences_dialog = preferences_dialog(self, self._worker, session, *found)
            self.preferences_dialog.open()

        self._worker.submit(lambda: (preferences_of(session, login), desk_reference(session)),
                            opened, self._refused)

    # loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read policy, groups and technicians again (staged edits are dropped)."""
        session = self._session
        self._worker.submit(lambda: admin.administration_data(session), self._show,
                            self._refused)

    def _show(self, data: dict[str, Any]) -> None:
        self._loaded = data["policy"]
        groups = [g["name"] for g in data["groups"]]
        for page in self.pages:
            page.set_choices({"groups": groups,
                              "technicians": [t["login"] for t in data["technicians"]],
                              "active_technicians": [t["login"] for t in data["technicians"]
                                                     if t["active"]]})
            page.load(data["policy"])
        self.groups.load(data["groups"])
        self.technicians.load(data["technicians"], groups)
        self._set_busy(False)
        self._edited()
        self.first_field().setFocus()
        self.loaded.emit()

    def first_field(self) -> QWidget:
        """The first field of the shown page (where the focus goes when it opens)."""
        page = self.tabs.currentWidget().widget()
        for child in page.findChildren(QWidget):
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.isEnabled() \
                    and not isinstance(child, QPushButton | QScrollArea):
                return child
        return page

    # staging -------------------------------------------------------------------------

    def edited_sections(self) -> dict[str, Any]:
        """Every policy section as the pages show it now."""
        sections: dict[str, Any] = {}
        for page in self.pages:
            merge = getattr(page, "merged_into", None)  # a page adding keys to a section
            sections = merge(sections) if merge else sections | page.sections()
        return sections

    def staged(self) -> AdministrationChanges:
        """What a save would apply: the changed sections and the staged people edits."""
        edited = self.edited_sections()
        policy = {name: value for name, value in edited.items()
                  if describe_policy({name: self._loaded.get(name)}, {name: value})}
        return AdministrationChanges(policy, tuple(self.groups.new_groups),
                                     tuple(self.technicians.new_technicians),
                                     tuple(self.technicians.changes.values()))

    def pending(self) -> list[str]:
        """The staged changes in words (empty when there is nothing to save)."""
        if not self._loaded:
            return []
        staged = self.staged()
        return describe_policy({k: self._loaded.get(k) for k in staged.policy},
                               dict(staged.policy)) \
            + describe_people(staged, self.technicians.people())

    def _edited(self) -> None:
        groups = self.groups.names()
        choices = {"groups": groups, "calendars": list(self.pages[2].sections()["calendars"]),
                   "categories": [c["name"] for c in self.pages[3].sections()["categories"]]}
        for page in self.pages:
            page.set_choices(choices)
        self.technicians.set_groups(groups)
        count = len(self.pending())
        if count:
            self._last_saved = ""
        self.note.setText(f"{count} unsaved change{'s' if count != 1 else ''}" if count
                          else self._last_saved or "No unsaved changes.")
        self.setWindowTitle("Administration" + (" (unsaved changes)" if count else ""))

    # saving --------------------------------------------------------------------------

    def save(self) -> None:
        """Check every field, then show what would change and ask to confirm."""
        self._clear_marks()
        problems = [pair for page in self.pages for pair in page.problems()]
        if problems:
            for widget, problem in problems:
                self._mark(widget, problem)
            self._reveal(problems[0][0])
            self._say(f"{len(problems)} field(s) hold a value that cannot be saved; the "
                      f"first: {problems[0][1]}. Nothing was saved.")
            return
        changes = self.staged()
        if changes.empty:
            self.note.setText("Nothing to save.")
            return
        session = self._session
        self._set_busy(True)
        self._worker.submit(lambda: admin.preview_administration(session, changes),
                            lambda summary: self._confirm(changes, summary), self._refused)

    def _confirm(self, changes: AdministrationChanges, summary: list[str]) -> None:
        self._set_busy(False)
        box = SaveSummary(self, summary)
        box.accepted.connect(lambda: self._apply(changes))
        self.confirm_box = box
        box.open()
        self.summary_shown.emit(box)

    def _apply(self, changes: AdministrationChanges) -> None:
        session = self._session
        self._set_busy(True)
        self._worker.submit(lambda: admin.save_administration(session, changes),
                            self._saved, self._refused)

    def _saved(self, summary: list[str]) -> None:
        self.error.hide()
        self.saved.emit(summary)
        self.policy_changed.emit()
        self._last_saved = f"Saved {len(summary)} change(s)."
        self.note.setText(self._last_saved)
        self.reload()

    def _refused(self, error: Exception) -> None:
        self._set_busy(False)
        widget = self._field_for(error)
        if widget is not None:
            self._mark(widget, refusal_text(error))
            self._reveal(widget)
        self._say(refusal_text(error) + "\nNothing was saved.")

    def _field_for(self, error: Exception) -> QWidget | None:
        if not isinstance(error, StagedChangeRefused):
            return None
        if error.part == "policy":
            path = error.field.removeprefix("policy ")
            return next((w for page in self.pages if (w := page.field(path)) is not None),
                        None)
        if error.part == "group":
            return self.groups.name
        people = self.technicians
        return {"login": people.login, "name": people.name, "email": people.email,
                "role": people.role, "group": people.group,
                "active": people.active}.get(error.field, people.login)

    # closing -------------------------------------------------------------------------

    def reject(self) -> None:
        """Close; with unsaved changes, ask before dropping them."""
        count = len(self.pending())
        if not count:
            super().reject()
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                          f"Discard {count} unsaved change(s)?", parent=self)
        box.setObjectName("discard_changes")
        box.setInformativeText("Nothing you changed here has been saved yet.")
        discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
        discard.setObjectName("confirm_discard")
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.finished.connect(lambda _r: QDialog.reject(self) if box.clickedButton()
                             is discard else None)
        self.discard_box = box
        box.open()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in a field adds a list item or does nothing; it never presses "Save"
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not isinstance(self.focusWidget(), QPushButton):
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.pending() and self.isVisible():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    # marks ---------------------------------------------------------------------------

    def _mark(self, widget: QWidget, problem: str) -> None:
        # a composite editor is marked on its own field, not on every child
        widget = widget.field_widget() if hasattr(widget, "field_widget") else widget
        mark(widget, problem)
        self._marked.append(widget)

    def _clear_marks(self) -> None:
        for widget in self._marked:
            mark(widget, None)
        self._marked = []
        self.error.hide()

    def _reveal(self, widget: QWidget) -> None:
        """Show the tab holding ``widget`` and scroll it into view."""
        widget = widget.field_widget() if hasattr(widget, "field_widget") else widget
        for index in range(self.tabs.count()):
            area = self.tabs.widget(index)
            if isinstance(area, QScrollArea) and area.widget().isAncestorOf(widget):
                self.tabs.setCurrentIndex(index)
                area.ensureWidgetVisible(widget)
                widget.setFocus()
                return

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
