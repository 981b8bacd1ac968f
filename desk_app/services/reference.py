"""What the screens need to offer choices: categories, groups, people, enumerations."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from desk_app.core.checklists import CLOSURE_RULES, LOGGING_FIELDS, LOGGING_LABELS
from desk_app.core.enums import (
    PRIORITIES,
    CancelReason,
    Channel,
    HoldReason,
    Level,
    ResolutionType,
    Role,
    WorklogKind,
)
from desk_app.core.permissions import Permission, allowed
from desk_app.services.preferences import Preferences, stored_preferences
from desk_app.services.session import Session, reads
from desk_app.storage.meta import get_meta
from desk_app.storage.models import SupportGroup, Technician


@dataclass(frozen=True)
class DeskReference:
    """Choices and facts a screen shows, read once per load (and after admin edits)."""

    team_name: str
    zone: ZoneInfo
    login: str
    name: str
    role: str
    group: str | None
    is_admin: bool
    may_declare_major: bool
    categories: dict[str, tuple[str, ...]]
    groups: tuple[str, ...]
    technicians: tuple[tuple[str, str, str | None], ...]  # login, name, group
    logging_fields: tuple[str, ...]  # what the logging checklist requires
    logging_labels: dict[str, str]
    closure_labels: dict[str, str]
    priorities: tuple[str, ...] = PRIORITIES
    levels: tuple[str, ...] = tuple(level.value for level in Level)
    channels: tuple[str, ...] = tuple(channel.value for channel in Channel)
    hold_reasons: tuple[str, ...] = tuple(reason.value for reason in HoldReason)
    resolution_types: tuple[str, ...] = tuple(kind.value for kind in ResolutionType)
    cancel_reasons: tuple[str, ...] = tuple(reason.value for reason in CancelReason)
    worklog_kinds: tuple[str, ...] = tuple(kind.value for kind in WorklogKind)
    roles: tuple[str, ...] = tuple(role.value for role in Role)
    has_team: bool = False  # a team database is set: the window expects to sync
    calendars: tuple[str, ...] = ()
    preferences: Preferences | None = None  # the acting technician's


@reads
def desk_reference(session: Session) -> DeskReference:
    """The current choices, with the acting technician as stored now."""
    actor = session.actor
    policy = session.policy
    groups = tuple(g.name for g in SupportGroup.select(SupportGroup.name)
                   .order_by(SupportGroup.level, SupportGroup.name))
    people = tuple(
        (t.login, t.name, t.group.name if t.group_id else None)
        for t in Technician.select().where(Technician.active).order_by(Technician.login))
    return DeskReference(
        team_name=policy.team_name, zone=ZoneInfo(policy.time_zone), login=actor.login,
        has_team=bool(get_meta("remote")),
        name=actor.name, role=actor.role, group=actor.group.name if actor.group_id else None,
        is_admin=session.active and allowed(session.role, Permission.CHANGE_POLICY),
        may_declare_major=session.active and allowed(session.role, Permission.DECLARE_MAJOR),
        categories={name: c.subcategories for name, c in policy.categories.items()},
        groups=groups, technicians=people,
        logging_fields=tuple(f for f in LOGGING_FIELDS if f in policy.logging_checklist),
        logging_labels=dict(LOGGING_LABELS),
        closure_labels={key: label for key, (label, _rule) in CLOSURE_RULES.items()},
        calendars=tuple(sorted(policy.calendars)), preferences=stored_preferences(actor))
