"""The ticket actions: each asks for its inputs in a dialog (kept open on a refusal) and
runs one service activity on the database worker."""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from desk_app.services import classification, escalation, links, workflow
from desk_app.services.changes import Changes, ticket_operation
from desk_app.services.details import update_details
from desk_app.services.reference import DeskReference
from desk_app.services.session import Session
from desk_app.services.worklog import add_worklog
from desk_app.ui.form_dialog import Field, FormDialog
from desk_app.ui.refusals import show_error
from desk_app.ui.worker import BackgroundWorker


def _choices(values: tuple[str, ...] | list[str], blank: str | None = None
             ) -> tuple[tuple[str, Any], ...]:
    shown = tuple((value.replace("_", " "), value) for value in values)
    return (((blank, None),) if blank is not None else ()) + shown


class TicketCommands(QObject):
    """Runs actions on the ticket shown; ``changed(Changes)`` after each success."""

    changed = Signal(object)
    dialog_opened = Signal(object)  # tests and screenshots drive the dialog

    def __init__(self, parent: QWidget, worker: BackgroundWorker, session: Session) -> None:
        super().__init__(parent)
        self._parent = parent
        self._worker = worker
        self._session = session
        self.reference: DeskReference | None = None

    # --- plumbing --------------------------------------------------------------------

    def _ask(self, data: dict, title: str, fields: list[Field],
             work: Callable[[dict[str, Any]], Any], intro: str = "",
             ok_text: str = "OK") -> FormDialog:
        ticket_id = data["id"]

        def submit(values: dict[str, Any], dialog: FormDialog) -> None:
            self._worker.submit(self._tracked(ticket_id, lambda: work(values)),
                                lambda changes: (dialog.succeeded(changes.result),
                                                 self.changed.emit(changes)),
                                dialog.refused)

        dialog = FormDialog(self._parent, f"{title}: {data['number']}", fields, submit,
                            intro, ok_text)
        dialog.setObjectName(f"dialog_{title.lower().replace(' ', '_')}")
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _now(self, data: dict, title: str, work: Callable[[], Any]) -> None:
        self._worker.submit(self._tracked(data["id"], work), self.changed.emit,
                            lambda error: show_error(self._parent, title, error))

    def _tracked(self, ticket_id: str, work: Callable[[], Any]) -> Callable[[], Changes]:
        """``work`` run so that it also says what it changed (see services.changes)."""
        session = self._session
        return lambda: ticket_operation(session, ticket_id, work)

    # --- actions ---------------------------------------------------------------------

    def run(self, action: str, data: dict) -> QDialog | None:
        """Carry out ``action`` on the ticket ``data`` (a ticket screen)."""
        handler = getattr(self, f"_do_{action}", None)
        if handler is None:
            raise KeyError(action)
        return handler(data)

    def _do_start_work(self, data: dict) -> None:
        session, number = self._session, data["number"]
        self._now(data, "Start work", lambda: workflow.start_work(session, number))

    def _do_resume(self, data: dict) -> None:
        session, number = self._session, data["number"]
        self._now(data, "Resume", lambda: workflow.resume(session, number))

    def _do_confirm(self, data: dict) -> None:
        session, number = self._session, data["number"]
        self._now(data, "User confirmed", lambda: workflow.confirm(session, number))

    def _do_assign(self, data: dict) -> FormDialog:
        ref = self.reference
        people = tuple((f"{login} ({name})", login) for login, name, _g in ref.technicians) \
            if ref else ()
        session, number = self._session, data["number"]
        return self._ask(data, "Assign", [
            Field("group", "Support group", "choice",
                  _choices(ref.groups if ref else (), "(keep / technician's group)"),
                  default=data["group"]),
            Field("technician", "Technician", "choice", (("(nobody)", None), *people),
                  default=data["assignee"]),
        ], lambda v: workflow.assign(session, number, v["group"], v["technician"]))

    def _do_escalate(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "Escalate", [
            Field("reason", "Reason", "multiline", required=True,
                  tooltip="Why the next support level is needed"),
        ], lambda v: escalation.escalate_functional(session, number, v["reason"]),
            intro=f"Pass {number} from {data['support_level']} to the next support level; "
                  "the policy's functional matrix picks the group.")

    def _do_escalate_hierarchic(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "Escalate to management", [
            Field("reason", "Reason", "multiline", required=True),
        ], lambda v: escalation.escalate_hierarchic(session, number, v["reason"]),
            intro="Inform the next management level (SLA at risk, major impact, "
                  "complaint).")

    def _do_hold(self, data: dict) -> FormDialog:
        ref = self.reference
        session, number = self._session, data["number"]
        return self._ask(data, "Hold", [
            Field("reason", "Waiting for", "choice",
                  _choices(ref.hold_reasons if ref else ()), required=True),
            Field("note", "Note", "multiline"),
        ], lambda v: workflow.hold(session, number, v["reason"], v["note"]),
            intro="Waiting for the user or a supplier pauses the resolution clock; "
                  "waiting for a change or a problem does not.")

    def _do_worklog(self, data: dict) -> FormDialog:
        ref = self.reference
        session, number = self._session, data["number"]
        return self._ask(data, "Worklog", [
            Field("note", "What was done", "multiline", required=True),
            Field("kind", "Kind", "choice", _choices(ref.worklog_kinds if ref else ())),
            Field("minutes", "Time spent", "minutes"),
        ], lambda v: add_worklog(session, number, v["note"], v["kind"], v["minutes"]))

    def _do_resolve(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "Resolve", [
            Field("type", "Resolution", "choice",
                  (("Workaround", "workaround"), ("Permanent fix", "permanent")),
                  required=True),
            Field("code", "Closure code", "choice", tuple((c, c) for c in (
                "Solved (permanently)", "Solved (work around)", "Solved remotely",
                "Not solved (not reproducible)", "Not solved (too costly)",
                "Closed/resolved by caller")), required=True, editable_choice=True),
            Field("notes", "Resolution notes", "multiline", required=True),
            Field("may_recur", "The incident may recur", "check"),
            Field("problem", "Problem record", "choice",
                  (("Decide later", None), ("Not needed", "not_needed"),
                   ("Raise a problem record now", "raise"))),
            Field("knowledge", "Knowledge base", "choice",
                  (("Decide later", None), ("Updated", "updated"),
                   ("Not needed", "not_needed"))),
        ], lambda v: self._resolve(session, number, v))

    @staticmethod
    def _resolve(session: Session, number: str, values: dict[str, Any]) -> Any:
        if values["problem"] == "raise":
            return links.resolve_raising_problem(
                session, number, values["type"], values["code"] or "", values["notes"],
                may_recur=values["may_recur"], knowledge=values["knowledge"])
        return workflow.resolve(session, number, values["type"], values["code"] or "",
                                values["notes"], may_recur=values["may_recur"],
                                knowledge=values["knowledge"],
                                problem_decision=values["problem"])

    def _do_reject(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "User rejected", [
            Field("reason", "What the user said", "multiline", required=True),
        ], lambda v: workflow.reject(session, number, v["reason"]),
            intro="The ticket returns to In Progress and its resolution clock restarts.")

    def _do_close(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        items = "\n".join(("✔ " if item["done"] else "✘ ") + item["label"]
                          for item in data["checklists"]["closure"])
        return self._ask(data, "Close", [
            Field("knowledge", "Knowledge base", "choice",
                  (("(as recorded)", None), ("Updated", "updated"), ("Not needed", "not_needed")),
                  default=data["knowledge"]),
            Field("problem_decision", "Problem record", "choice",
                  (("(as recorded / linked)", None), ("Not needed", "not_needed")),
                  default=data["problem_decision"]),
        ], lambda v: workflow.close(session, number, v["knowledge"], v["problem_decision"]),
            intro=f"Closure checklist:\n{items}", ok_text="Close ticket")

    def _do_reopen(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "Reopen", [
            Field("reason", "Reason", "multiline", required=True),
        ], lambda v: workflow.reopen(session, number, v["reason"]),
            intro=data["reopen_effect"])

    def _do_cancel(self, data: dict) -> FormDialog:
        ref = self.reference
        session, number = self._session, data["number"]
        return self._ask(data, "Cancel ticket", [
            Field("reason", "Reason", "choice", _choices(ref.cancel_reasons if ref else ()),
                  required=True),
            Field("duplicate_of", "Duplicate of (number)", tooltip="for duplicates"),
            Field("note", "Note", "multiline"),
        ], lambda v: workflow.cancel(session, number, v["reason"], v["note"],
                                     v["duplicate_of"] or None))

    def _do_reprioritise(self, data: dict) -> FormDialog:
        ref = self.reference
        levels = _choices(ref.levels if ref else ())
        session, number = self._session, data["number"]
        return self._ask(data, "Change priority", [
            Field("impact", "Impact", "choice", levels, default=data["impact"]),
            Field("urgency", "Urgency", "choice", levels, default=data["urgency"]),
            Field("reason", "Reason", "multiline", required=True),
        ], lambda v: classification.reprioritise(session, number, v["reason"],
                                                 impact=v["impact"], urgency=v["urgency"]))

    def _do_declare_major(self, data: dict) -> FormDialog:
        session, number, major = self._session, data["number"], not data["major"]
        return self._ask(data, "Major incident", [
            Field("reason", "Reason", "multiline", required=True),
        ], lambda v: classification.declare_major(session, number, major, v["reason"]),
            intro=("Declare a major incident: the separate, faster procedure applies."
                   if major else "Stand down the major incident."))

    def _do_convert(self, data: dict) -> FormDialog:
        target = "request" if data["type"] == "incident" else "incident"
        session, number = self._session, data["number"]
        return self._ask(data, "Convert", [], lambda _v: classification.convert(
            session, number, target),
            intro=f"Convert {number} into a {target}? It gets a new number; the old one "
                  "stays searchable.")

    def _do_link_problem(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]

        def work(values: dict[str, Any]) -> Any:
            if values["problem"].strip():
                return links.link_problem(session, number, values["problem"].strip())
            return links.raise_problem(session, number, values["summary"] or None)

        return self._ask(data, "Problem", [
            Field("problem", "Existing problem (PRB-…)",
                  tooltip="leave empty to raise a new problem record"),
            Field("summary", "New problem summary", default=data["summary"]),
        ], work)

    def _do_set_rfc(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "RFC", [
            Field("rfc", "RFC reference", required=True, default=data["rfc"]),
        ], lambda v: links.set_rfc(session, number, v["rfc"]))

    def _do_set_parent(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "Parent", [
            Field("parent", "Parent incident number", required=True),
        ], lambda v: links.set_parent(session, number, v["parent"]))

    def _do_relate(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "Relate", [
            Field("other", "Related ticket number", required=True),
        ], lambda v: links.relate(session, number, v["other"]))

    # --- inline edits ----------------------------------------------------------------

    def save_details(self, data: dict, changes: dict[str, str],
                     on_error: Callable[[Exception], None]) -> None:
        session, number, ticket_id = self._session, data["number"], data["id"]
        self._worker.submit(
            self._tracked(ticket_id, lambda: update_details(session, number, changes)),
            self.changed.emit, on_error)

    def categorise(self, data: dict, category: str, subcategory: str) -> None:
        session, number = self._session, data["number"]
        self._now(data, "Category", lambda: classification.categorise(
            session, number, category, subcategory or None))

    def tick(self, data: dict, items: list[str]) -> None:
        session, number = self._session, data["number"]
        self._now(data, "Categorisation checklist",
                  lambda: classification.tick_checklist(session, number, items))
