"""Errors a person can act on.

Every refusal names the field or rule it is about, so the CLI and the desktop client
can show it next to the right input. Anything else that goes wrong is a bug and is
not one of these.
"""

from dataclasses import dataclass


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


@dataclass(frozen=True, order=True)
class Problem:
    """One refused record of a batch: where it is and why.

    Shown as ``tickets.json: record 3 (INC-000012): summary: at most 200 characters``.
    """

    position: int  # the line of a CSV file, the record of a JSON file (1-based)
    reason: str
    unit: str = "line"
    file: str = ""
    label: str = ""  # the record's ticket number, when it has a readable one

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        label = f" ({self.label})" if self.label else ""
        return f"{where}{self.unit} {self.position}{label}: {self.reason}"


class BatchRefused(Refused):
    """A batch (an import) had bad records; nothing of it was written.

    ``problems`` holds one :class:`Problem` per refused record.
    """

    def __init__(self, field: str, problems: list[Problem]) -> None:
        shown = "; ".join(str(problem) for problem in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(field, f"{len(problems)} bad record(s): {shown}{more}")
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
