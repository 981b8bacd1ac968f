"""Logging, categorisation and closure checklists, evaluated from ticket facts.

Checklists are data (the policy names the items); each closure item has a rule here
that says whether a ticket satisfies it.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from desk_app.core.enums import Confirmation, ResolutionType

# The categorisation item ticked by opening the suggestions (never by hand).
SEARCHED_KNOWN_ERRORS = "Searched known errors"

LOGGING_FIELDS = (
    "detected_at", "reporter", "contact", "channel", "service", "summary",
    "description", "impact", "urgency",
)
LOGGING_LABELS = {
    "detected_at": "detected at", "reporter": "reporter", "contact": "contact",
    "channel": "channel", "service": "affected service", "summary": "summary",
    "description": "symptoms (description)", "impact": "impact", "urgency": "urgency",
}


def missing_logging_items(values: Mapping[str, object], required: Sequence[str]) -> list[str]:
    """The required logging fields that are empty in ``values``."""
    return [name for name in required if _blank(values.get(name))]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def problem_record_required(facts: Mapping[str, object]) -> bool:
    """A problem decision is due after a workaround, a possible recurrence or a P1."""
    return (
        facts.get("resolution_type") == ResolutionType.WORKAROUND
        or bool(facts.get("may_recur"))
        or facts.get("priority") == "P1"
    )


def _confirmed_or_grace_expired(facts: Mapping[str, object]) -> bool:
    if facts.get("confirmation") in (Confirmation.CONFIRMED, Confirmation.AUTO_CLOSED):
        return True
    resolved_at = facts.get("resolved_at")
    now = facts.get("now")
    grace = facts.get("auto_close_grace")
    return (isinstance(resolved_at, datetime) and isinstance(now, datetime)
            and isinstance(grace, timedelta) and now >= resolved_at + grace)


ClosureRule = Callable[[Mapping[str, object]], bool]

CLOSURE_RULES: dict[str, tuple[str, ClosureRule]] = {
    "resolution_notes": ("resolution notes written",
                         lambda f: not _blank(f.get("resolution_notes"))),
    "closure_code": ("closure code set", lambda f: not _blank(f.get("resolution_code"))),
    "resolution_type": ("resolution type is workaround or permanent fix",
                        lambda f: f.get("resolution_type") in tuple(ResolutionType)),
    "user_confirmation": ("user confirmed, or the auto-close grace period expired",
                          _confirmed_or_grace_expired),
    "problem_decision": (
        "problem record linked, or an incident manager's reason for none (workaround, "
        "may recur or P1)",
        lambda f: not problem_record_required(f) or not _blank(f.get("problem_id"))
        or (f.get("problem_decision") == "not_needed" and not _blank(f.get("problem_reason"))),
    ),
    "knowledge": ("knowledge base updated or not needed",
                  lambda f: f.get("knowledge") in ("updated", "not_needed")),
}


def closure_checklist(facts: Mapping[str, object],
                      items: Sequence[str]) -> list[tuple[str, str, bool]]:
    """Each closure item as ``(key, label, satisfied)``."""
    return [(key, CLOSURE_RULES[key][0], CLOSURE_RULES[key][1](facts)) for key in items]


def unmet_closure_items(facts: Mapping[str, object], items: Sequence[str]) -> list[str]:
    """Labels of the closure items ``facts`` do not yet satisfy."""
    return [label for _, label, ok in closure_checklist(facts, items) if not ok]
