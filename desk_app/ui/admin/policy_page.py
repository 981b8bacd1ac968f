"""What every policy editor page is: ``load`` shows sections in field editors,
``sections`` gives them back as plain data, ``problems`` lists the fields holding a value
the page refuses and ``field`` finds the field a policy refusal names (a path such as
``sla.targets.P2.resolution``)."""

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desk_app.core.enums import Level, SupportLevel

LEVELS = [level.value for level in Level]
SUPPORT_LEVELS = [level.value for level in SupportLevel]
Problems = list[tuple[QWidget, str]]


def heading(text: str) -> QLabel:
    """A bold label over a group of fields."""
    return QLabel(f"<b>{text}</b>")


def note(text: str) -> QLabel:
    """A wrapped line explaining a page."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def narrow_form(page: QWidget) -> QFormLayout:
    """Lay ``page`` out as a form at most 760 px wide at its top, free space below."""
    outer = QVBoxLayout(page)
    narrow = QWidget()
    narrow.setMaximumWidth(760)
    form = QFormLayout(narrow)
    outer.addWidget(narrow)
    outer.addStretch(1)
    return form


def days_spin(name: str) -> QDoubleSpinBox:
    """A number of days from 0 to 365."""
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setRange(0, 365)
    spin.setDecimals(1)
    spin.setSuffix(" days")
    return spin


def problems_of(*widgets: Any) -> Problems:
    """The editors among ``widgets`` that refuse their value, with the reason."""
    return [(w, p) for w in widgets if (p := w.problem())]


class PolicyPage(QWidget):
    """A page editing some sections; ``title`` names its tab, ``owns`` its sections."""

    title = ""
    owns: tuple[str, ...] = ()
    edited = Signal()

    def load(self, sections: dict[str, Any]) -> None:
        raise NotImplementedError

    def sections(self) -> dict[str, Any]:
        raise NotImplementedError

    def problems(self) -> Problems:
        """The fields holding a value this page refuses, with the reason."""
        return []

    def field(self, path: str) -> QWidget | None:
        """The field a refusal's policy path (``sla.targets.P1.response``) is about."""
        return None

    def set_choices(self, choices: dict[str, list[str]]) -> None:
        """Names other pages define: ``calendars``, ``groups``, ``categories``."""

    def _changed(self, *_args: object) -> None:
        self.edited.emit()
