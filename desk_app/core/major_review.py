"""The post-incident review of a major incident: its sections (the review's questions),
the factual timeline read from the ticket's history, and the rules for corrective
actions. Pure Python: the services feed it rows and store what it returns."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from desk_app.core.errors import InvalidValue, MissingFields, Refused
from desk_app.core.validation import TEXT_MAX


@dataclass(frozen=True)
class Section:
    """One theme of the review: its stored name, its title and the questions it answers."""

    key: str
    title: str
    questions: str


SECTIONS: tuple[Section, ...] = (
    Section("detection", "Detection",
            "How and when was it found, by whom, how long after it began? Could it have "
            "been found sooner, and what tool would have helped?"),
    Section("communication", "Communication",
            "How fast were the stakeholders told, by which channel, were they kept "
            "current, how easy was it to reach the users?"),
    Section("team", "Team structure",
            "How was the team set up, was it kept, could it be better?"),
    Section("resources", "Resources",
            "What was used, how well, how fast was it mobilised?"),
    Section("process", "Process and SLA deviations",
            "Was the procedure followed, where did it deviate, which SLAs were missed and "
            "why, was it monitored, what should improve?"),
    Section("reporting", "Reporting",
            "What was reported and analysed, what should improve?"),
)
SECTION_KEYS: tuple[str, ...] = tuple(section.key for section in SECTIONS)
SECTION_TITLES: Mapping[str, str] = {section.key: section.title for section in SECTIONS}


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    COMPLETE = "complete"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


def checked_sections(values: Mapping[str, str | None]) -> dict[str, str]:
    """The section texts to store (stripped); refuses an unknown section or a text that
    is too long, naming it. ``None`` leaves a section as it is."""
    unknown = [name for name in values if name not in SECTION_KEYS]
    if unknown:
        raise InvalidValue(unknown[0], f"not a review section; the sections are "
                                       f"{', '.join(SECTION_KEYS)}")
    checked = {}
    for name, text in values.items():
        if text is None:
            continue
        text = text.strip()
        if len(text) > TEXT_MAX:
            raise InvalidValue(name, f"at most {TEXT_MAX} characters")
        checked[name] = text
    return checked


def check_complete(texts: Mapping[str, str | None]) -> None:
    """Refuse to complete a review while a section is empty, naming every empty one
    (the first is the error's field)."""
    empty = [key for key in SECTION_KEYS if not (texts.get(key) or "").strip()]
    if empty:
        raise MissingFields(empty, "the review is complete only when every section is "
                                   "filled; empty: " + ", ".join(SECTION_TITLES[k] for k in empty))


def check_editable(status: str) -> None:
    """A completed review is the record: its sections no longer change."""
    if status == ReviewStatus.COMPLETE:
        raise Refused("review", "the review is complete; its sections can no longer change")


# --- the factual timeline ------------------------------------------------------------

TIMELINE_POINTS: tuple[tuple[str, str], ...] = (
    ("detected", "Detected"),
    ("logged", "Logged"),
    ("declared", "Declared major"),
    ("first_update", "First update"),
    ("workaround", "Workaround"),
    ("resolved", "Resolved"),
)
_YES = frozenset({"yes", "true", "1"})


@dataclass(frozen=True)
class TimelinePoint:
    """One moment of the timeline; ``at`` None when the history does not record it."""

    key: str
    label: str
    at: datetime | None


@dataclass(frozen=True)
class HistoryFact:
    """The part of a history row the timeline reads."""

    at: datetime
    field: str
    new: str | None


def _first(facts: list[HistoryFact], field: str, values: Iterable[str] | None = None
           ) -> datetime | None:
    wanted = frozenset(values) if values is not None else None
    for fact in facts:
        if fact.field == field and (wanted is None or (fact.new or "").lower() in wanted):
            return fact.at
    return None


def timeline(detected_at: datetime | None, logged_at: datetime,
             resolved_at: datetime | None, history: Iterable[HistoryFact]
             ) -> list[TimelinePoint]:
    """The review's timeline: detected, logged, declared (the first "major" yes), first
    update (the first "major_update" row), workaround (the first resolution of type
    workaround), resolved (the first move to resolved, else the resolution time)."""
    facts = sorted(history, key=lambda fact: fact.at)
    moments = {
        "detected": detected_at,
        "logged": logged_at,
        "declared": _first(facts, "major", _YES),
        "first_update": _first(facts, "major_update"),
        "workaround": _first(facts, "resolution_type", {"workaround"}),
        "resolved": _first(facts, "status", {"resolved"}) or resolved_at,
    }
    return [TimelinePoint(key, label, moments[key]) for key, label in TIMELINE_POINTS]


# --- corrective actions --------------------------------------------------------------

ACTION_TEXT_MAX = 1000


def checked_action_text(text: str | None) -> str:
    """An action's text: required, at most :data:`ACTION_TEXT_MAX` characters."""
    text = (text or "").strip()
    if not text:
        raise InvalidValue("text", "say what is to be done")
    if len(text) > ACTION_TEXT_MAX:
        raise InvalidValue("text", f"at most {ACTION_TEXT_MAX} characters")
    return text


def checked_due(value: str | date | None, today: date) -> date:
    """A due date (``YYYY-MM-DD``) that is today or later. An action is never recorded
    as born overdue: one already done is added and marked done instead."""
    if value is None or value == "":
        raise InvalidValue("due", "give a due date (YYYY-MM-DD)")
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidValue("due", f"{value!r} is not a date (YYYY-MM-DD)") from None
    if value < today:
        raise InvalidValue("due", f"{value.isoformat()} is in the past (today is "
                                  f"{today.isoformat()})")
    return value


def is_overdue(status: str, due: str, today: date) -> bool:
    """An open action whose due date has passed."""
    return status == ActionStatus.OPEN and date.fromisoformat(due) < today


def action_order(status: str, due: str, today: date) -> tuple[int, str]:
    """Sort key: overdue first, then the other open ones by due date, then done ones."""
    rank = 0 if is_overdue(status, due, today) else 1 if status == ActionStatus.OPEN else 2
    return rank, due
