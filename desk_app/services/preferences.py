"""A technician's working preferences: away until, shift calendar, skills, which
notifications to hear about and quiet hours. A technician edits their own; an
administrator edits anyone's."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.errors import InvalidValue
from desk_app.core.notice_preferences import (
    NoticePreferences,
    check_events,
    parse_quiet_hours,
    quiet_text,
)
from desk_app.core.permissions import Permission
from desk_app.core.policy import Policy
from desk_app.core.validation import checked_moment
from desk_app.services.lookup import technician_by_login
from desk_app.services.profile import update_profile
from desk_app.services.recording import queue_change
from desk_app.services.session import Session, activity, reads
from desk_app.storage.fields import to_millis
from desk_app.storage.models import Technician, TechnicianProfile
from desk_app.storage.rows import insert_row, rows_where_in

UNCHANGED: Any = object()  # a preference the caller does not change


@dataclass(frozen=True)
class Preferences:
    """One technician's preferences as shown and edited."""

    login: str
    away_until: datetime | None = None
    calendar: str | None = None
    skills: tuple[str, ...] = ()
    events_off: tuple[str, ...] = ()
    quiet_hours: str = ""

    def notices(self) -> NoticePreferences:
        """The notification side of these preferences."""
        return NoticePreferences(frozenset(self.events_off),
                                 parse_quiet_hours(self.quiet_hours))

    def as_dict(self) -> dict[str, Any]:
        """For JSON output."""
        return {"login": self.login,
                "away_until": self.away_until.isoformat() if self.away_until else None,
                "calendar": self.calendar, "skills": list(self.skills),
                "events_off": list(self.events_off), "quiet_hours": self.quiet_hours}


def stored_preferences(technician: Technician) -> Preferences:
    """The stored preferences of ``technician`` (defaults when none are stored)."""
    row = TechnicianProfile.get_or_none(TechnicianProfile.id == technician.id)
    if row is None:
        return Preferences(technician.login)
    return Preferences(technician.login, row.away_until, row.calendar,
                       tuple(json.loads(row.skills)), tuple(json.loads(row.muted_events)),
                       row.quiet_hours)


@reads
def preferences_of(session: Session, login: str | None = None) -> Preferences:
    """The preferences of ``login`` (default: the acting technician)."""
    person = technician_by_login(login) if login else session.actor
    return stored_preferences(person)


@activity(Permission.EDIT_PROFILE)
def set_preferences(session: Session, login: str | None = None, *,
                    away_until: datetime | None = UNCHANGED, calendar: str | None = UNCHANGED,
                    skills: Any = UNCHANGED, events_off: Any = UNCHANGED,
                    quiet_hours: str | None = UNCHANGED) -> Preferences:
    """Change the preferences given (the others stay); someone else's only for an
    administrator. A calendar must be one of the policy's, skills its categories,
    events the desk's; a refusal names the field and changes nothing."""
    person = technician_by_login(login) if login else session.actor
    if person.id != session.actor.id:
        session.require(Permission.MANAGE_PEOPLE)
    policy = session.policy
    wanted: dict[str, Any] = {}
    if away_until is not UNCHANGED:
        if away_until is not None and away_until.tzinfo is None:
            raise InvalidValue("away_until", "needs a time zone")
        wanted["away_until"] = to_millis(away_until) if away_until else None
    if calendar is not UNCHANGED:
        wanted["calendar"] = _calendar(policy, calendar)
    if skills is not UNCHANGED:
        wanted["skills"] = json.dumps(_skills(policy, skills))
    if events_off is not UNCHANGED:
        wanted["muted_events"] = json.dumps(sorted(check_events(events_off, "events_off")))
    if quiet_hours is not UNCHANGED:
        wanted["quiet_hours"] = quiet_text(parse_quiet_hours(quiet_hours))
    found = rows_where_in("technician_profile", "id", [person.id])
    if not found:
        insert_row(TechnicianProfile, {"id": person.id})
        queue_change(session, "technician_profile", person.id, None, None)
        found = rows_where_in("technician_profile", "id", [person.id])
    stored = found[0]
    changed = {column: value for column, value in wanted.items() if stored[column] != value}
    if changed:
        TechnicianProfile.update({TechnicianProfile._meta.columns[c]: v
                                  for c, v in changed.items()}) \
            .where(TechnicianProfile.id == person.id).execute()
        # every field travels on its own, so two desks that made the row both keep theirs
        for column, value in changed.items():
            queue_change(session, "technician_profile", person.id, column, value)
    return stored_preferences(person)


def away_from_text(text: str | None, zone: ZoneInfo) -> datetime | None:
    """A typed "away until" (``2026-12-24 09:00`` or a date, in the team's zone; empty:
    not away)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidValue("away_until", f"{text[:40]!r} is not a date and time like "
                           "2026-12-24 09:00") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=zone)
    return checked_moment("away_until", moment)


@activity(Permission.EDIT_PROFILE)
def save_profile(session: Session, name: str, email: str, group: str | None,
                 role: str | None, **preferences: Any) -> Preferences:
    """The profile dialog's Save: name, email, group, role and the acting technician's
    preferences in one activity (a refusal of any changes nothing)."""
    update_profile(session, name, email, group, role)
    return set_preferences(session, **preferences)


def _calendar(policy: Policy, name: str | None) -> str | None:
    name = (name or "").strip()
    if not name:
        return None
    if name not in policy.calendars:
        raise InvalidValue("calendar", f"unknown calendar {name!r}; calendars: "
                           + ", ".join(sorted(policy.calendars)))
    return name


def _skills(policy: Policy, names: Any) -> list[str]:
    if isinstance(names, str):
        names = names.split(",")
    chosen = sorted({str(n).strip() for n in names if str(n).strip()})
    unknown = [n for n in chosen if policy.categories and n not in policy.categories]
    if unknown:
        raise InvalidValue("skills", f"unknown category {unknown[0]!r}; categories: "
                           + ", ".join(sorted(policy.categories)))
    return chosen
