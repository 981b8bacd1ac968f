"""Setting a database up, and what only administrators may change: policy and people."""

import copy
from pathlib import Path
from typing import Any

from desk_app.core.admin_changes import AdministrationChanges, StagedChangeRefused, describe_people
from desk_app.core.enums import Role, SupportLevel, TicketType, parse_enum
from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.permissions import Permission
from desk_app.core.validation import LABEL_MAX, check_length, label_text
from desk_app.services.directory import list_groups, list_technicians
from desk_app.services.lookup import group_by_name, technician_by_login
from desk_app.services.recording import queue_change
from desk_app.services.session import Session, activity, utc_now
from desk_app.storage.database import database
from desk_app.storage.meta import device_id
from desk_app.storage.models import PolicySection, SupportGroup, Technician
from desk_app.storage.numbering import ensure_standalone_blocks
from desk_app.storage.policy_store import load_policy_file, read_sections, write_sections


def initialise_database(policy_file: Path, system_time_zone: str) -> bool:
    """Give a new database its default policy, support groups and number blocks.

    Returns True when it did (a first run), False when the database was set up already.
    """
    with database.atomic():
        if PolicySection.select().exists():
            return False
        from desk_app.core.policy_schema import checked_policy  # only on a first run

        # a broken default file must fail loudly here
        sections, _ = checked_policy(load_policy_file(policy_file, system_time_zone))
        _check_escalation_groups(sections, {group["name"] for group in sections["groups"]})
        write_sections(sections, by="setup", at=utc_now())
        for group in sections["groups"]:
            SupportGroup.get_or_create(name=group["name"], defaults={"level": group["level"]})
        ensure_standalone_blocks(tuple(t.prefix for t in TicketType))
        device_id()
        return True


def ensure_first_administrator(login: str, name: str) -> Technician:
    """The technician for ``login``; on a database with nobody yet, create it as the
    administrator (whoever sets a desk up administers it)."""
    with database.atomic():
        found = Technician.get_or_none(Technician.login == login)
        if found:
            return found
        if Technician.select().exists():
            raise Refused("technician", f"{login!r} is not a technician of this desk; "
                          "ask an administrator to add you, or pass --as LOGIN")
        desk = SupportGroup.get_or_none(SupportGroup.level == SupportLevel.L1.value)
        return Technician.create(login=login, name=name, role=Role.ADMINISTRATOR.value,
                                 group=desk)


@activity(Permission.MANAGE_PEOPLE)
def add_group(session: Session, name: str, level: str) -> SupportGroup:
    """Create a support group at level L1, L2 or L3."""
    name = label_text("name", name)
    support_level = parse_enum(SupportLevel, "level", level)
    if SupportGroup.get_or_none(SupportGroup.name == name):
        raise Refused("name", f"a group named {name!r} exists")
    group = SupportGroup.create(name=name, level=support_level.value)
    queue_change(session, "support_group", group.id, None, None)
    return group


@activity(Permission.MANAGE_PEOPLE)
def add_technician(session: Session, login: str, name: str, role: str, group: str | None,
                   email: str = "") -> Technician:
    """Create a technician with a role and (optionally) a support group."""
    if not login or not login.strip() or any(c.isspace() for c in login.strip()):
        raise InvalidValue("login", "is required and has no spaces")
    login, name = label_text("login", login), label_text("name", name)
    check_length("email", email, LABEL_MAX)
    if email and "@" not in email:
        raise InvalidValue("email", f"{email!r} is not an email address")
    technician_role = parse_enum(Role, "role", role)
    team = group_by_name(group) if group else None
    if Technician.get_or_none(Technician.login == login):
        raise Refused("login", f"a technician with login {login!r} exists")
    person = Technician.create(login=login, name=name, email=email,
                               role=technician_role.value, group=team)
    queue_change(session, "technician", person.id, None, None)
    return person


@activity(Permission.MANAGE_PEOPLE)
def update_technician(session: Session, login: str, role: str | None = None,
                      group: str | None = None, active: bool | None = None) -> Technician:
    """Change a technician's role, group or active flag."""
    person = technician_by_login(login)
    changes: dict[str, Any] = {}
    if role is not None:
        new_role = parse_enum(Role, "role", role)
        if person.id == session.actor.id and new_role != Role.ADMINISTRATOR:
            raise Refused("role", "you cannot take the administrator role from yourself")
        person.role = changes["role"] = new_role.value
    if group is not None:
        person.group = group_by_name(group)
        changes["group_id"] = person.group.id
    if active is not None:
        if not active and person.id == session.actor.id:
            raise Refused("active", "you cannot deactivate yourself")
        person.active = changes["active"] = active
    person.save()
    for column, value in changes.items():
        queue_change(session, "technician", person.id, column, value)
    return person


@activity(Permission.CHANGE_POLICY)
def change_policy(session: Session, changes: dict[str, Any]) -> list[str]:
    """Replace whole policy sections; the result must validate (each section against its
    schema, then the policy as one, and every support group it names must exist).
    Returns changed keys."""
    from desk_app.core.policy_schema import checked_policy, checked_sections

    changes = checked_sections(changes)
    stored = read_sections()
    merged, _ = checked_policy(stored | changes)
    if "major_procedure" in changes:
        _check_incident_manager(merged, stored)
    if "escalation" in changes:
        _check_escalation_groups(merged, {name for (name,) in SupportGroup.select(
            SupportGroup.name).tuples()})
        from desk_app.services.watch_policy import check_escalation_people

        check_escalation_people(merged["escalation"])
    if "assignment" in changes:
        _check_assignment_groups(merged, {name for (name,) in SupportGroup.select(
            SupportGroup.name).tuples()})
    changed = write_sections(merged, by=session.login, at=session.now())
    for key in changed:
        queue_change(session, "policy_section", key, "value", merged[key])
    return changed


def _check_incident_manager(sections: dict[str, Any], stored: dict[str, Any]) -> None:
    """Refuse naming as the incident manager a login that is not an active technician
    (a newly set one only: a stored one whose technician left keeps working, the board
    saying it falls back)."""
    login = sections["major_procedure"].get("incident_manager")
    before = (stored.get("major_procedure") or {}).get("incident_manager")
    if login is None or login == before:
        return
    person = Technician.get_or_none(Technician.login == login)
    if person is None or not person.active:
        raise InvalidValue("major_procedure.incident_manager",
                           f"{login!r} is {'no longer active' if person else 'no technician'}"
                           "; name an active technician's login")


def _check_escalation_groups(sections: dict[str, Any], groups: set[str]) -> None:
    """Refuse an escalation matrix naming a support group the desk does not have: every
    ticket routed through it would be refused."""
    for row, levels in sections["escalation"]["functional"].items():
        for level, group in levels.items():
            if group not in groups:
                raise InvalidValue(f"policy escalation.functional.{row}.{level}",
                                   f"no support group {group!r}; known: "
                                   + ", ".join(sorted(groups)) + " (add the group first)")


def _check_assignment_groups(sections: dict[str, Any], groups: set[str]) -> None:
    """Refuse automatic assignment for a support group the desk does not have."""
    for group in sections["assignment"].get("groups", {}):
        if group not in groups:
            raise InvalidValue(f"policy assignment.groups.{group}",
                               f"no support group {group!r}; known: "
                               + ", ".join(sorted(groups)))


@activity(Permission.CHANGE_POLICY)
def administration_data(session: Session) -> dict[str, Any]:
    """What the administration screens edit: every policy section, groups and people.
    Administrators only."""
    return {"policy": copy.deepcopy(dict(session.policy.sections)),
            "groups": list_groups(session), "technicians": list_technicians(session)}


class _DryRun(Exception):
    """Carries a preview's summary out of the activity, which rolls everything back."""

    def __init__(self, summary: list[str]) -> None:
        super().__init__("dry run")
        self.summary = summary


@activity(Permission.CHANGE_POLICY)
def save_administration(session: Session, changes: AdministrationChanges,
                        dry_run: bool = False) -> list[str]:
    """Apply everything an administrator staged as ONE activity: new groups first (so
    technicians and the escalation matrix may name them), then new technicians, then
    changes to technicians, then the policy. Any refusal rolls all of it back and is
    raised as :class:`StagedChangeRefused` naming the staged change. Returns the summary
    of what changed (one line per change)."""
    from desk_app.core.policy_diff import describe_policy

    people = {p["login"]: p for p in list_technicians(session)}
    stored = read_sections()
    summary = describe_people(changes, people)
    for group in changes.new_groups:
        _staged("group", group.name, lambda g=group: add_group(session, g.name, g.level))
    for new in changes.new_technicians:
        _staged("technician", new.login, lambda t=new: add_technician(
            session, t.login, t.name, t.role, t.group, t.email))
    for change in changes.technician_changes:
        _staged("change", change.login, lambda c=change: update_technician(
            session, c.login, role=c.role, group=c.group, active=c.active))
    if changes.policy:
        _staged("policy", "", lambda: change_policy(session, dict(changes.policy)))
        summary = describe_policy(stored, read_sections()) + summary
    if dry_run:
        raise _DryRun(summary)
    return summary


def preview_administration(session: Session, changes: AdministrationChanges) -> list[str]:
    """What :func:`save_administration` would change, one line each, checked exactly as
    the save checks it (the same activity, rolled back); refusals as the save's."""
    try:
        save_administration(session, changes, dry_run=True)
    except _DryRun as done:
        return done.summary
    raise AssertionError("a dry run always rolls back")  # pragma: no cover


def _staged(part: str, key: str, apply: Any) -> None:
    try:
        apply()
    except Refused as error:
        raise StagedChangeRefused(part, key, error) from error
