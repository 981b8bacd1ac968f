"""What an administrator staged in one sitting: policy sections, new support groups,
new technicians and changes to existing ones, applied together or not at all.

The administration screen collects these while the administrator edits; the admin
service checks and applies them in one activity, and :func:`describe_people` plus
:func:`desk_app.core.policy_diff.describe_policy` say in words what will change.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desk_app.core.errors import Refused
from desk_app.core.labels import human_label


@dataclass(frozen=True)
class NewGroup:
    """A support group to create."""

    name: str
    level: str


@dataclass(frozen=True)
class NewTechnician:
    """A technician to create."""

    login: str
    name: str
    role: str
    group: str | None
    email: str = ""


@dataclass(frozen=True)
class TechnicianChange:
    """New values for an existing technician; None leaves a value as it is."""

    login: str
    role: str | None = None
    group: str | None = None
    active: bool | None = None


@dataclass(frozen=True)
class AdministrationChanges:
    """Everything staged: ``policy`` holds whole changed sections (by name)."""

    policy: Mapping[str, Any] = field(default_factory=dict)
    new_groups: tuple[NewGroup, ...] = ()
    new_technicians: tuple[NewTechnician, ...] = ()
    technician_changes: tuple[TechnicianChange, ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing is staged."""
        return not (self.policy or self.new_groups or self.new_technicians
                    or self.technician_changes)


def technician_change(person: Mapping[str, Any], role: str, group: str | None,
                      active: bool) -> TechnicianChange | None:
    """The change that takes ``person`` (as listed: login, role, group, active) to the
    given values, with only the values that differ; None when nothing differs."""
    change = TechnicianChange(
        person["login"],
        role=role if role != person["role"] else None,
        group=group if group is not None and group != person["group"] else None,
        active=active if active != bool(person["active"]) else None)
    return None if change == TechnicianChange(person["login"]) else change


def describe_people(changes: AdministrationChanges,
                    people: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """One line per staged people change, e.g. ``New group Network (L2)`` or
    ``Ana Lopez: role Support -> Incident manager``. ``people`` maps each existing
    login to its listed row (name, role, group, active)."""
    lines = [f"New group {g.name} ({g.level})" for g in changes.new_groups]
    for t in changes.new_technicians:
        where = f", {t.group}" if t.group else ""
        lines.append(f"New technician {t.name} ({t.login}, {human_label(t.role)}{where})")
    for change in changes.technician_changes:
        person = people.get(change.login, {})
        parts = []
        if change.role is not None:
            parts.append(f"role {human_label(str(person.get('role', '')))} -> "
                         f"{human_label(change.role)}")
        if change.group is not None:
            parts.append(f"group {person.get('group') or '(none)'} -> {change.group}")
        if change.active is not None:
            parts.append("reactivated" if change.active else "deactivated")
        lines.append(f"{person.get('name') or change.login}: {'; '.join(parts)}")
    return lines


class StagedChangeRefused(Refused):
    """One staged change was refused, so none was applied. The field and message are
    the refusal's (the field names the input at fault), the message followed by which
    staged change it was; ``part`` is ``"policy"``, ``"group"``, ``"technician"`` or
    ``"change"`` (of an existing technician), ``key`` the group name or login."""

    def __init__(self, part: str, key: str, error: Refused) -> None:
        what = {"group": "new group", "technician": "new technician",
                "change": "changing"}.get(part)
        super().__init__(error.field, error.message + (f" ({what} {key})" if what else ""))
        self.part, self.key, self.error = part, key, error
