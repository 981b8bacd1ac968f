"""Administration: every policy editor and the people pages in one dialog. Loading and
saving go through admin-only services, so a technician without the role is refused
there even if this dialog were opened."""

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk_app.services import admin
from desk_app.services.session import Session
from desk_app.ui.admin.people_pages import GroupsPage, TechniciansPage
from desk_app.ui.admin.policy_pages import POLICY_PAGES, PolicyPage
from desk_app.ui.refusals import error_label, refusal_text
from desk_app.ui.worker import BackgroundWorker


class AdminDialog(QDialog):
    """``loaded`` after the data arrived; ``policy_changed`` after a save or people edit."""

    loaded = Signal()
    policy_changed = Signal()
    saved = Signal(list)

    def __init__(self, parent: QWidget | None, worker: BackgroundWorker, session: Session) -> None:
        super().__init__(parent)
        self.setObjectName("admin_dialog")
        self.setWindowTitle("Administration")
        self._worker = worker
        self._session = session
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.pages: list[PolicyPage] = [page() for page in POLICY_PAGES]
        for page in self.pages:
            self.tabs.addTab(page, page.title)
        self.groups = GroupsPage(self._run_people, lambda name, level: admin.add_group(
            session, name, level))
        self.technicians = TechniciansPage(
            self._run_people,
            lambda *a: admin.add_technician(session, *a),
            lambda login, **kw: admin.update_technician(session, login, **kw))
        self.tabs.addTab(self.groups, GroupsPage.title)
        self.tabs.addTab(self.technicians, TechniciansPage.title)
        layout.addWidget(self.tabs, 1)
        self.note = QLabel()
        self.note.setObjectName("admin_note")
        layout.addWidget(self.note)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save policy")
        self.buttons.accepted.connect(self.save_policy)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(1000, 640)
        self.reload()

    def reload(self) -> None:
        session = self._session
        self._worker.submit(lambda: admin.administration_data(session), self._show,
                            self._refused)

    def _show(self, data: dict[str, Any]) -> None:
        for page in self.pages:
            page.load(data["policy"])
        self.groups.load(data["groups"])
        self.technicians.load(data["technicians"], [g["name"] for g in data["groups"]])
        self.loaded.emit()

    def edited_sections(self) -> dict[str, Any]:
        sections: dict[str, Any] = {}
        for page in self.pages:
            sections |= page.sections()
        return sections

    def save_policy(self) -> None:
        """Save every policy section; the service keeps only what changed and refuses a
        policy that does not validate (naming the key), changing nothing."""
        changes, session = self.edited_sections(), self._session
        self.error.hide()
        self.buttons.setEnabled(False)
        self._worker.submit(lambda: admin.change_policy(session, changes), self._saved,
                            self._refused)

    def _saved(self, changed: list[str]) -> None:
        self.buttons.setEnabled(True)
        self.note.setText("Saved: " + ", ".join(changed) if changed else "Nothing changed.")
        self.saved.emit(changed)
        if changed:
            self.policy_changed.emit()

    def _run_people(self, work: Any) -> None:
        self.error.hide()
        self._worker.submit(work, lambda _r: (self.note.setText("Saved."), self.reload(),
                                              self.policy_changed.emit()), self._refused)

    def _refused(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(refusal_text(error))
        self.error.show()
