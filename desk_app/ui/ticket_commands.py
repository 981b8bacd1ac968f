"""The ticket actions: each asks for its inputs in a dialog (kept open on a refusal, its
typing kept as a draft, its button named for the action) and runs one service activity
on the database worker."""

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QWidget

from desk_app.core.labels import human_label
from desk_app.services.changes import Changes, ticket_operation
from desk_app.services.reference import DeskReference
from desk_app.services.session import Session
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.form_dialog import Field, FormDialog
from desk_app.ui.refusals import show_error
from desk_app.ui.worker import BackgroundWorker

# the activities run on the first action, not at the window's start
classification = deferred("desk_app.services.classification")
escalation = deferred("desk_app.services.escalation")
links = deferred("desk_app.services.links")
problems = deferred("desk_app.services.problems")
workflow = deferred("desk_app.services.workflow")
updates = deferred("desk_app.services.updates")
worklog = deferred("desk_app.services.worklog")
satisfaction = deferred("desk_app.services.satisfaction")

# closure codes by resolution type: a workaround is never "Solved (permanently)"
CLOSURE_CODES = {
    "permanent": ("Solved (permanently)", "Solved remotely", "Closed/resolved by caller",
                  "Not solved (not reproducible)", "Not solved (too costly)"),
    "workaround": ("Solved (work around)", "Solved remotely", "Closed/resolved by caller"),
}

# An incident manager's reason closes a workaround, a P1, a major incident or a
# recurrence without a problem record (the service checks the role).
NO_PROBLEM_REASON = Field(
    "problem_reason", "No problem record because", "text",
    tooltip="Incident managers only: why this workaround, P1, major incident or possible "
            "recurrence needs no problem record")


def _choices(values: tuple[str, ...] | list[str], blank: str | None = None
             ) -> tuple[tuple[str, Any], ...]:
    shown = tuple((human_label(value), value) for value in values)
    return (((blank, None),) if blank is not None else ()) + shown


SCORE_CHOICES = (("5 — very happy", 5), ("4 — happy", 4), ("3 — neither", 3),
                 ("2 — unhappy", 2), ("1 — very unhappy", 1))


def _satisfaction_fields(score: int | None = None, comment: str | None = None,
                         required: bool = False) -> list[Field]:
    """The user's score (optional unless ``required``) and comment."""
    choices = SCORE_CHOICES if required else (("(not asked)", None), *SCORE_CHOICES)
    return [Field("score", "Satisfaction", "choice", choices, required=required,
                  default=score, tooltip="How satisfied the user is with how this was "
                                         "handled, 1 to 5"),
            Field("comment", "User's comment", "multiline", default=comment)]


def _follow_type(dialog: FormDialog) -> None:
    """Keep the resolve dialog's closure codes those of the chosen resolution type."""
    kind = cast(QComboBox, dialog.inputs["type"])
    code = cast(QComboBox, dialog.inputs["code"])

    def refill() -> None:
        typed = code.currentText()
        codes = CLOSURE_CODES.get(kind.currentData(), ())
        code.blockSignals(True)
        code.clear()
        for text in codes:
            code.addItem(text, text)
        code.setCurrentIndex(code.findData(typed) if typed in codes else 0)
        code.blockSignals(False)

    kind.currentIndexChanged.connect(refill)
    if code.currentData() not in CLOSURE_CODES.get(kind.currentData(), ()):
        refill()


class TicketCommands(QObject):
    """Runs actions on the ticket shown; ``changed(Changes)`` after each success."""

    changed = Signal(object)
    dialog_opened = Signal(object)  # tests and screenshots drive the dialog
    board_requested = Signal(str)  # a major incident's number: open its board

    def __init__(self, parent: QWidget, worker: BackgroundWorker, session: Session) -> None:
        super().__init__(parent)
        self._parent = parent
        self._worker = worker
        self._session = session
        self.reference: DeskReference | None = None
        self.offered: dict[str, tuple[str, str]] = {}  # ticket id -> (notes, type)

    # --- plumbing --------------------------------------------------------------------

    def _ask(self, data: dict, title: str, fields: list[Field],
             work: Callable[[dict[str, Any]], Any], intro: str = "",
             ok_text: str = "", cancel_text: str = "Cancel") -> FormDialog:
        ticket_id = data["id"]
        key = title.lower().replace(" ", "_")

        def submit(values: dict[str, Any], dialog: FormDialog) -> None:
            self._worker.submit(self._tracked(ticket_id, lambda: work(values)),
                                lambda changes: (dialog.succeeded(changes.result),
                                                 self.changed.emit(changes)),
                                dialog.refused)

        dialog = FormDialog(self._parent, f"{title}: {data['number']}", fields, submit,
                            intro, ok_text or title, cancel_text,
                            draft_key=f"{key}-{ticket_id}")
        dialog.setObjectName(f"dialog_{key}")
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

    def _do_confirm(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "User confirmed", _satisfaction_fields(),
                         lambda v: workflow.confirm(session, number, score=v["score"],
                                                    comment=v["comment"] or None),
                         intro="The user says the problem is solved. Ask how satisfied "
                               "they are with how it was handled (optional).",
                         ok_text="Record the confirmation")

    def _do_record_satisfaction(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        known = data.get("satisfaction") or {}
        return self._ask(data, "Record satisfaction", _satisfaction_fields(
            known.get("score"), known.get("comment"), required=True),
            lambda v: satisfaction.record_satisfaction(session, number, v["score"],
                                                       v["comment"] or None),
            intro="What the user told you; it replaces an earlier answer (the history "
                  "keeps both).", ok_text="Record satisfaction")

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
        ], lambda v: workflow.assign(session, number, v["group"], v["technician"]),
            ok_text="Assign ticket")

    def _do_escalate(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "Escalate", [
            Field("reason", "Reason", "multiline", required=True,
                  tooltip="Why the next support level is needed"),
        ], lambda v: escalation.escalate_functional(session, number, v["reason"]),
            intro=f"Pass {number} from {data['support_level']} to the next support level; "
                  "the policy's functional matrix picks the group.", ok_text="Escalate ticket")

    def _do_escalate_hierarchic(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "Escalate to management", [
            Field("reason", "Reason", "multiline", required=True),
        ], lambda v: escalation.escalate_hierarchic(session, number, v["reason"]),
            intro="Inform the next management level (SLA at risk, major impact, "
                  "complaint).", ok_text="Inform management")

    def _do_hold(self, data: dict) -> FormDialog:
        ref = self.reference
        session, number = self._session, data["number"]
        return self._ask(data, "Hold", [
            Field("reason", "Waiting for", "choice",
                  _choices(ref.hold_reasons if ref else ()), required=True),
            Field("note", "Note", "multiline"),
        ], lambda v: workflow.hold(session, number, v["reason"], v["note"]),
            intro="Waiting for the user or a supplier pauses the resolution clock; "
                  "waiting for a change or a problem does not.", ok_text="Put on hold")

    def _do_worklog(self, data: dict) -> FormDialog:
        ref = self.reference
        session, number = self._session, data["number"]
        return self._ask(data, "Worklog", [
            Field("note", "What was done", "multiline", required=True),
            Field("kind", "Kind", "choice", _choices(ref.worklog_kinds if ref else ())),
            Field("minutes", "Time spent", "minutes"),
        ], lambda v: worklog.add_worklog(session, number, v["note"], v["kind"], v["minutes"]),
            ok_text="Add to worklog")

    def _do_resolve(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        dialog = self._ask(data, "Resolve", [
            Field("type", "Resolution", "choice",
                  (("Permanent fix", "permanent"), ("Workaround", "workaround")),
                  required=True),
            Field("code", "Closure code", "choice",
                  tuple((c, c) for c in CLOSURE_CODES["permanent"]), required=True,
                  editable_choice=True),
            Field("notes", "Resolution notes", "multiline", required=True,
                  default=self.offered.get(data["id"], ("", ""))[0] or None),
            Field("may_recur", "The incident may recur", "check"),
            Field("problem", "Problem record", "choice",
                  (("Decide later", None), ("Not needed", "not_needed"),
                   ("Raise a problem record now", "raise"))),
            Field("knowledge", "Knowledge base", "choice",
                  (("Decide later", None), ("Updated", "updated"),
                   ("Not needed", "not_needed"))),
            Field("publish_knowledge", "Publish as knowledge (a draft article from this "
                  "resolution)", "check"),
            NO_PROBLEM_REASON,
        ], lambda v: self._resolve(session, number, v), ok_text="Resolve ticket")
        _follow_type(dialog)
        offered_type = self.offered.get(data["id"], ("", ""))[1]
        if offered_type:
            kind = cast(QComboBox, dialog.inputs["type"])
            kind.setCurrentIndex(max(kind.findData(offered_type), 0))
        return dialog

    @staticmethod
    def _resolve(session: Session, number: str, values: dict[str, Any]) -> Any:
        if values["problem"] == "raise":
            return links.resolve_raising_problem(
                session, number, values["type"], values["code"] or "", values["notes"],
                may_recur=values["may_recur"], knowledge=values["knowledge"])
        return workflow.resolve(session, number, values["type"], values["code"] or "",
                                values["notes"], may_recur=values["may_recur"],
                                knowledge=values["knowledge"],
                                problem_decision=values["problem"],
                                problem_reason=values["problem_reason"] or None,
                                publish_knowledge=values["publish_knowledge"])

    # --- suggestions -----------------------------------------------------------------

    def offer_resolution(self, ticket_id: str, text: str, resolution_type: str = "") -> None:
        """Fill the resolve dialog of ``ticket_id`` with ``text`` (what solved it)."""
        self.offered[ticket_id] = (text, resolution_type)

    def suggestions_opened(self, data: dict) -> None:
        """The suggestions of ticket ``data`` were shown (with results or none): tick
        "Searched known errors" when it is on its checklist and not ticked yet."""
        from desk_app.core.checklists import SEARCHED_KNOWN_ERRORS
        from desk_app.services.diagnosis import suggestions_opened

        items = data["checklists"]["categorisation"]
        if not any(i["item"] == SEARCHED_KNOWN_ERRORS and not i["done"] for i in items) \
                or data["actions"].get("tick_checklist") is not None:
            return
        session, number = self._session, data["number"]
        self._now(data, "Suggestions", lambda: suggestions_opened(session, number))

    def solved_by(self, data: dict, hit: Any) -> None:
        """"This solved it" on suggestion ``hit``: record it, then open the resolve
        dialog filled with its text (when the ticket can be resolved now)."""
        from desk_app.services.diagnosis import this_solved_it

        session, number = self._session, data["number"]
        resolution_type = "workaround" if hit.kind == "known_error" else "permanent"

        def recorded(changes: Changes) -> None:
            self.offer_resolution(data["id"], changes.result.text, resolution_type)
            self.changed.emit(changes)
            if data["actions"].get("resolve", "") is None:
                self.run("resolve", data)

        self._worker.submit(
            self._tracked(data["id"], lambda: this_solved_it(session, number, hit.kind,
                                                             hit.ref)),
            recorded, lambda error: show_error(self._parent, "This solved it", error))

    def _do_reject(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "User rejected", [
            Field("reason", "What the user said", "multiline", required=True),
        ], lambda v: workflow.reject(session, number, v["reason"]),
            intro="The ticket returns to In Progress and its resolution clock restarts.",
            ok_text="Record the rejection")

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
            NO_PROBLEM_REASON,
        ], lambda v: workflow.close(session, number, v["knowledge"], v["problem_decision"],
                                    v["problem_reason"] or None),
            intro=f"Closure checklist:\n{items}", ok_text="Close ticket")

    def _do_reopen(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "Reopen", [
            Field("reason", "Reason", "multiline", required=True),
        ], lambda v: workflow.reopen(session, number, v["reason"]),
            intro=data["reopen_effect"], ok_text="Reopen ticket")

    def _do_cancel(self, data: dict) -> FormDialog:
        ref = self.reference
        session, number = self._session, data["number"]
        return self._ask(data, "Cancel ticket", [
            Field("reason", "Reason", "choice", _choices(ref.cancel_reasons if ref else ()),
                  required=True),
            Field("duplicate_of", "Duplicate of (number)", tooltip="for duplicates"),
            Field("note", "Note", "multiline"),
        ], lambda v: workflow.cancel(session, number, v["reason"], v["note"],
                                     v["duplicate_of"] or None),
            ok_text="Cancel ticket", cancel_text="Keep the ticket")

    def _do_reprioritise(self, data: dict) -> FormDialog:
        ref = self.reference
        levels = _choices(ref.levels if ref else ())
        session, number = self._session, data["number"]
        return self._ask(data, "Change priority", [
            Field("impact", "Impact", "choice", levels, default=data["impact"]),
            Field("urgency", "Urgency", "choice", levels, default=data["urgency"]),
            Field("reason", "Reason", "multiline", required=True),
        ], lambda v: classification.reprioritise(session, number, v["reason"],
                                                 impact=v["impact"], urgency=v["urgency"]),
            ok_text="Change priority")

    def _do_declare_major(self, data: dict) -> QDialog:
        """Declare (with manager, team, bridge, stakeholders) or stand down, with a
        reason."""
        if not data["major"]:
            return self._declare(data)
        session, number = self._session, data["number"]
        return self._ask(data, "Major incident", [
            Field("reason", "Reason", "multiline", required=True),
        ], lambda v: classification.declare_major(session, number, False, v["reason"]),
            intro="Stand down the major incident: it stays an incident, its update "
                  "rhythm stops.", ok_text="Stand down")

    def _declare(self, data: dict) -> QDialog:
        """The declaration: manager, team, bridge, stakeholders and reason."""
        from desk_app.ui.major_declare import DeclareDialog  # opened on demand

        session, number, ticket_id = self._session, data["number"], data["id"]

        def submit(values: dict[str, Any], dialog: Any) -> None:
            self._worker.submit(self._tracked(ticket_id, lambda: classification.declare_major(
                session, number, True, values["reason"], values["manager"],
                team=values["team"], bridge_link=values["bridge_link"],
                bridge_phone=values["bridge_phone"], bridge_room=values["bridge_room"],
                stakeholders=values["stakeholders"])),
                lambda changes: (dialog.succeeded(changes.result), self.changed.emit(changes)),
                dialog.refused)

        ref = self.reference
        dialog = DeclareDialog(self._parent, number, ticket_id,
                               ref.technicians if ref else (), submit,
                               me=ref.login if ref else None)
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _do_major_board(self, data: dict) -> None:
        self.board_requested.emit(data["number"])

    def _do_convert(self, data: dict) -> FormDialog:
        target = "request" if data["type"] == "incident" else "incident"
        session, number = self._session, data["number"]
        return self._ask(data, "Convert", [], lambda _v: classification.convert(
            session, number, target),
            intro=f"Convert {number} into a {target}? It gets a new number; the old one "
                  "stays searchable.", ok_text=f"Convert to {target}")

    def _do_major_review(self, data: dict) -> QDialog:
        """The post-incident review form in a window of its own; its saved changes
        redraw the ticket."""
        from desk_app.ui.major_review import open_review_window  # not on the start path

        dialog = open_review_window(self._parent, data["number"], self._worker, self._session)
        ticket_id = data["id"]
        dialog.form.changed.connect(lambda: self._worker.submit(
            self._tracked(ticket_id, lambda: None), self.changed.emit))
        self.dialog_opened.emit(dialog)
        return dialog

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
        ], work, ok_text="Link problem")

    def _do_work_problem(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        waiting = sum(1 for i in data.get("incidents", [])
                      if i["status"] not in ("resolved", "closed", "cancelled"))
        return self._ask(data, "Problem", [
            Field("root_cause", "Root cause", "multiline", default=data.get("root_cause")),
            Field("workaround", "Workaround", "multiline", default=data.get("workaround")),
            Field("step", "Status", "choice", (
                (f"Keep ({human_label(data.get('problem_status') or 'new')})", None),
                ("Investigating", "investigating"), ("Known error", "known_error"),
                ("Resolved by a fix", "resolved"), ("Closed", "closed"))),
            Field("fix", "The fix", "multiline",
                  tooltip="what fixed it: the resolution of the problem and its incidents"),
            Field("resolve_incidents", f"Resolve its {waiting} open incident(s) with the fix",
                  "check", default=True),
        ], lambda v: problems.work_problem(
            session, number, root_cause=v["root_cause"], workaround=v["workaround"],
            step=v["step"], fix=v["fix"], resolve_incidents=v["resolve_incidents"]),
            intro="A known error needs its workaround; a fix resolves the problem and, "
                  "when ticked, each open incident with the fix as its resolution.",
            ok_text="Save")

    def _do_set_rfc(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "RFC", [
            Field("rfc", "RFC reference", required=True, default=data["rfc"]),
        ], lambda v: links.set_rfc(session, number, v["rfc"]), ok_text="Set RFC")

    def _do_set_parent(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "Parent", [
            Field("parent", "Parent incident number", required=True),
        ], lambda v: links.set_parent(session, number, v["parent"]), ok_text="Set parent")

    def _do_relate(self, data: dict) -> FormDialog:
        session, number = self._session, data["number"]
        return self._ask(data, "Relate", [
            Field("other", "Related ticket number", required=True),
        ], lambda v: links.relate(session, number, v["other"]), ok_text="Relate tickets")

    # --- inline edits ----------------------------------------------------------------

    def save_edits(self, data: dict, edits: dict[str, Any],
                   on_error: Callable[[Exception], None],
                   on_saved: Callable[[], None] | None = None) -> None:
        """Save the Details' edits (fields and category) as one activity."""
        session, number, ticket_id = self._session, data["number"], data["id"]
        category = edits.get("category")

        def saved(changes: Changes) -> None:
            self.changed.emit(changes)
            if on_saved is not None:
                on_saved()

        self._worker.submit(
            self._tracked(ticket_id, lambda: updates.save_edits(session, number, edits["details"],
                                                        category)),
            saved, on_error)

    def post_update(self, data: dict, values: dict[str, Any],
                    on_saved: Callable[[], None], on_error: Callable[[Exception], None]
                    ) -> None:
        """The composer's note, time spent and status change as one activity."""
        session, number = self._session, data["number"]

        def saved(changes: Changes) -> None:
            on_saved()
            self.changed.emit(changes)

        self._worker.submit(self._tracked(data["id"], lambda: updates.add_update(
            session, number, values["note"], values["minutes"], values["kind"],
            values["status"], values["hold_reason"])), saved, on_error)

    def tick(self, data: dict, items: list[str],
             on_error: Callable[[Exception], None]) -> None:
        """Record categorisation checklist items as done."""
        session, number = self._session, data["number"]
        self._worker.submit(self._tracked(data["id"], lambda: classification.tick_checklist(
            session, number, items)), self.changed.emit, on_error)
