"""Completion of service and CI names in the logging form and the ticket's details, from
the catalogue (read on the database thread). Choosing a CI while the service is empty
fills in the CI's service. Whether a name the catalogue lacks may be saved is the
services' decision (policy ``catalogue.unknown_values``), not this helper's."""

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit

from desk_app.services.session import Session
from desk_app.ui.catalogue_models import CatalogueNamesModel
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.worker import BackgroundWorker

catalogue = deferred("desk_app.services.catalogue")  # read on the worker after the paint


def _completer(model: CatalogueNamesModel, parent: QObject) -> QCompleter:
    completer = QCompleter(model, parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setMaxVisibleItems(12)
    return completer


class CatalogueCompletion(QObject):
    """Completers for a service field and a CI field; ``loaded`` once names arrived."""

    loaded = Signal()

    def __init__(self, parent: QObject, worker: BackgroundWorker, session: Session) -> None:
        super().__init__(parent)
        self._worker = worker
        self._session = session
        self.services = CatalogueNamesModel(self)
        self.cis = CatalogueNamesModel(self)
        self._pairs: list[tuple[QLineEdit, QLineEdit]] = []

    def load(self) -> None:
        """Read the names again (after the catalogue changed)."""
        session = self._session
        self._worker.submit(lambda: catalogue.completion_data(session), self._arrived,
                            lambda error: None)

    def _arrived(self, data: tuple[list[str], list[tuple[str, str | None]]]) -> None:
        services, cis = data
        self.services.set_rows([(name, None) for name in services])
        self.cis.set_rows(cis)
        self.loaded.emit()

    def attach(self, service: QLineEdit, ci: QLineEdit) -> None:
        """Complete ``service`` and ``ci``; a CI chosen or typed fills an empty service."""
        service.setCompleter(_completer(self.services, service))
        completer = _completer(self.cis, ci)
        ci.setCompleter(completer)
        completer.activated[str].connect(lambda name: self.fill_service(service, name))
        ci.editingFinished.connect(lambda: self.fill_service(service, ci.text()))
        self._pairs.append((service, ci))

    def fill_service(self, service: QLineEdit, ci_name: str) -> None:
        """Put the CI's service into an empty service field."""
        found = self.cis.service_of(ci_name) if ci_name.strip() else None
        if found and not service.text().strip():
            service.setText(found)
