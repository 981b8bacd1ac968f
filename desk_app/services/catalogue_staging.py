"""The catalogue editor's one save: staged additions, changes and removals of services
and CIs applied in one activity, all or none, and the same checked as a preview."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from desk_app.core.admin_changes import StagedChangeRefused
from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.permissions import Permission
from desk_app.services.catalogue import KIND_LABEL, add_entry, edit_entry, remove_entry
from desk_app.services.session import Session, activity


@dataclass(frozen=True)
class StagedEntry:
    """One staged catalogue change: ``action`` "add" (``values`` the fields), "edit"
    (``values`` the changed fields, "retired" among them) or "remove"."""

    kind: str
    name: str
    action: str
    values: dict[str, Any] = dataclass_field(default_factory=dict)

    def describe(self) -> str:
        """The change in words."""
        label = KIND_LABEL.get(self.kind, self.kind)
        if self.action == "add":
            return f"Add {label} {self.name}"
        if self.action == "remove":
            return f"Remove {label} {self.name} (retired if tickets name it)"
        changed = ", ".join(f"{key.replace('_', ' ')} → {_shown(value)}"
                            for key, value in self.values.items())
        return f"Change {label} {self.name}: {changed}"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "(empty)" if value in ("", None) else str(value)


class _DryRun(Exception):
    def __init__(self, summary: list[str]) -> None:
        super().__init__("dry run")
        self.summary = summary


@activity(Permission.CHANGE_POLICY)
def save_catalogue(session: Session, staged: list[StagedEntry],
                   dry_run: bool = False) -> list[str]:
    """Apply staged catalogue changes in ONE activity (services before CIs, so a new
    CI may name a new service): all of them, or none when one is refused (raised as
    :class:`StagedChangeRefused` naming it). Returns the summary, one line each."""
    order = {"service": 0, "ci": 1}
    summary = []
    for entry in sorted(staged, key=lambda e: (order.get(e.kind, 2), e.action == "remove")):
        try:
            if entry.action == "add":
                add_entry(session, entry.kind, {"name": entry.name} | dict(entry.values))
            elif entry.action == "edit":
                edit_entry(session, entry.kind, entry.name, dict(entry.values))
            elif entry.action == "remove":
                remove_entry(session, entry.kind, entry.name)
            else:
                raise InvalidValue("action", f"{entry.action!r} is not add, edit or remove")
        except Refused as error:
            named = Refused(error.field, f"{error.message} ({KIND_LABEL.get(entry.kind, '')} "
                            f"{entry.name})")
            raise StagedChangeRefused(entry.kind, entry.name, named) from error
        summary.append(entry.describe())
    if dry_run:
        raise _DryRun(summary)
    return summary


def preview_catalogue(session: Session, staged: list[StagedEntry]) -> list[str]:
    """What :func:`save_catalogue` would do, checked exactly as it checks (the same
    activity, rolled back)."""
    try:
        save_catalogue(session, staged, dry_run=True)
    except _DryRun as done:
        return done.summary
    raise AssertionError("a dry run always rolls back")  # pragma: no cover
