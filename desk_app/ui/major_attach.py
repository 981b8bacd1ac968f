"""Child incidents from the desk's other screens: the logging form's offer to attach the
new ticket to an active major incident on the same service or CI (a bar with a tick
box; nothing is forced), and attaching many tickets selected in a queue at once."""

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFrame, QHBoxLayout, QWidget

from desk_app.services.changes import Changes, ticket_operation
from desk_app.services.session import Session
from desk_app.ui import look
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.form_dialog import Field, FormDialog
from desk_app.ui.worker import BackgroundWorker

lookup = deferred("desk_app.services.lookup")
major_board = deferred("desk_app.services.major_board")
major_children = deferred("desk_app.services.major_children")

Major = tuple[str, str]  # number, summary
SHOWN_SUMMARY = 32  # characters of the major's summary on the offer


def matching_majors(service: str, ci: str) -> list[Major]:
    """The active major incidents on ``service`` or ``ci`` (read on the worker)."""
    return [(t.number, t.summary) for t in major_children.majors_matching(service, ci)]


class AttachOffer(QFrame):
    """"Attach to major incident INC-…": shown while the ticket being logged matches an
    active major incident's service or CI; ticked, the new ticket becomes its child."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attach_offer")
        look.set_banner(self, "warning")
        row = QHBoxLayout(self)
        row.setContentsMargins(look.SPACE_S, look.SPACE_XS, look.SPACE_S, look.SPACE_XS)
        self.check = QCheckBox()
        self.check.setObjectName("attach_to_major")
        self.choice = QComboBox()
        self.choice.setObjectName("attach_major_choice")
        self.choice.currentIndexChanged.connect(self._label)
        row.addWidget(self.check, 1)
        row.addWidget(self.choice)
        self.majors: list[Major] = []
        self.hide()

    def offer(self, majors: Sequence[Major]) -> None:
        """Offer these majors (none: the bar goes; a choice still offered is kept)."""
        kept = self.chosen_number()
        self.majors = list(majors)
        self.choice.blockSignals(True)
        self.choice.clear()
        for number, summary in self.majors:
            self.choice.addItem(f"{number}: {summary}", number)
        index = self.choice.findData(kept) if kept else -1
        self.choice.setCurrentIndex(max(index, 0))
        self.choice.blockSignals(False)
        self.choice.setVisible(len(self.majors) > 1)
        if index < 0:
            self.check.setChecked(False)
        self._label()
        self.setVisible(bool(self.majors))

    def _label(self) -> None:
        number = self.chosen_number()
        summary = dict(self.majors).get(number or "", "")
        short = summary if len(summary) <= SHOWN_SUMMARY else \
            summary[:SHOWN_SUMMARY - 1].rstrip() + "…"  # the form keeps its width
        self.check.setText(f"Attach to major incident {number} ({short})" if number else "")
        self.check.setToolTip(f"{number}: {summary}\nA major incident is running on this "
                              "service or CI: attached, this ticket is resolved with it and "
                              "its reporter gets the updates")

    def chosen_number(self) -> str | None:
        """The major offered now (ticked or not)."""
        return self.choice.currentData() if self.majors else None

    def chosen(self) -> str | None:
        """The major to attach the new ticket to: only when offered and ticked."""
        return self.chosen_number() if not self.isHidden() and self.check.isChecked() \
            else None


def attach_many(parent: QWidget, worker: BackgroundWorker, session: Session,
                numbers: Sequence[str], done: Callable[[Changes], None]) -> FormDialog:
    """Pick an active major incident and attach the tickets ``numbers`` to it (all or
    none; a refusal names the ticket). ``done(changes)`` after they were attached."""
    numbers = list(numbers)

    def submit(values: dict[str, Any], dialog: FormDialog) -> None:
        major = values["major"]

        def work() -> Changes:
            ticket_id = lookup.ticket_by_number(major).id
            return ticket_operation(session, ticket_id, lambda: major_children.attach_children(
                session, major, numbers))

        worker.submit(work, lambda changes: (dialog.succeeded(changes.result), done(changes)),
                      dialog.refused)

    dialog = FormDialog(parent, "Attach to major incident", [
        Field("major", "Major incident", "choice", (("(reading…)", None),), required=True),
        Field("child", "Incidents", default=" ".join(numbers),
              tooltip="the tickets selected in the queue")],
        submit, intro=f"Attach {len(numbers)} selected ticket(s) as child incidents: "
                      "resolving the major incident resolves them with its resolution.",
        ok_text=f"Attach {len(numbers)} ticket(s)")
    dialog.setObjectName("dialog_attach_many")
    dialog.inputs["child"].setReadOnly(True)
    combo: QComboBox = dialog.inputs["major"]

    def listed(majors: list[Any]) -> None:
        combo.clear()
        if not majors:
            combo.addItem("(no active major incident)", None)
        for major in majors:
            combo.addItem(f"{major.number} · {major.priority} · {major.summary}", major.number)

    worker.submit(lambda: major_board.active_majors(session), listed,
                  dialog.refused)
    dialog.open()
    return dialog
