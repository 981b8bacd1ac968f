"""Errors a person can act on.

Every refusal names the field or rule it is about, so the CLI and the desktop client
can show it next to the right input. Anything else that goes wrong is a bug and is
not one of these.
"""


class Refused(Exception):
    """An action was refused; nothing was changed.

    ``field`` names the input or rule at fault (``"impact"``, ``"status"``,
    ``"closure_checklist"``...).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidValue(Refused):
    """An input value is missing, malformed or not allowed."""


class TransitionRefused(Refused):
    """The lifecycle does not allow the requested status change."""


class ChecklistIncomplete(Refused):
    """A checklist that gates an activity has unmet items."""

    def __init__(self, checklist: str, unmet: list[str]) -> None:
        super().__init__(checklist, "unmet items: " + "; ".join(unmet))
        self.unmet = unmet


class PermissionDenied(Refused):
    """The acting technician's role does not allow the activity."""


class NotFound(Refused):
    """A ticket, technician, group or other record does not exist."""


class BatchRefused(Refused):
    """A batch (an import) had bad rows; nothing of it was written.

    ``problems`` holds ``(line, reason)`` pairs.
    """

    def __init__(self, field: str, problems: list[tuple[int, str]]) -> None:
        shown = "; ".join(f"line {line}: {reason}" for line, reason in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(field, f"{len(problems)} bad row(s): {shown}{more}")
        self.problems = problems


class MissingFields(InvalidValue):
    """Required fields are empty; ``fields`` lists all of them, so a form marks each."""

    def __init__(self, fields: list[str], message: str) -> None:
        super().__init__(fields[0], message)
        self.fields = fields


class EnvironmentProblem(Exception):
    """The desk cannot work because of what is around it, not because of the input or a
    bug: a read-only folder, a damaged or foreign database file, a full disk, a
    database from a newer version. ``problem`` says what is wrong, ``advice`` what to
    do; nothing of the refused work was written."""

    def __init__(self, problem: str, advice: str) -> None:
        super().__init__(f"{problem}; {advice}")
        self.problem = problem
        self.advice = advice


class DeskUnavailable(EnvironmentProblem):
    """The desk's database cannot be opened or written at all."""


class DiskFull(EnvironmentProblem):
    """The disk (or the file-size limit) left no room for the write."""
