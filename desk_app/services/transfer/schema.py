"""The schemas of the desk's own import formats: its CSV columns and its JSON records.

Every field is typed and bounded: texts as long as logging allows, closed vocabularies
as enums, counts and minutes whole and within sane bounds, ticket numbers in a shape
the desk can look up (normalised to upper case), times that stay inside years 1..9999
in every time zone (a time without an offset is read in the team's zone, given as
``context={"zone": ...}``). Validated times come out as stored UTC milliseconds.
"""

import re
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
)

from desk_app.core.enums import (
    CancelReason,
    Channel,
    Confirmation,
    HoldReason,
    Level,
    LinkKind,
    ResolutionType,
    Status,
    SupportLevel,
    TicketType,
    WorklogKind,
)
from desk_app.core.numbers import SHAPES, is_ticket_number, normalised_number
from desk_app.core.problems import ProblemStatus
from desk_app.core.validation import LABEL_MAX, SUMMARY_MAX, TEXT_MAX, moment_problem
from desk_app.storage.fields import to_millis

COUNT_MAX = 10_000  # reopenings, reassignments, escalations of one ticket
MINUTES_MAX = 24 * 60  # one worklog entry, as the worklog activity allows
STOPPED_MS_MAX = 10 * 366 * 24 * 3600 * 1000  # ten years on hold
HIERARCHIC_MAX = 20
# The version of the JSON format this desk writes; it reads every version up to it.
# 1: tickets with history, worklog, ticks and links. 2 adds the knowledge articles and,
# on each ticket, its knowledge uses, major-incident rows and post-incident review.
JSON_VERSION = 2
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def shown(value: Any) -> str:
    """A value quoted for a message, cut short (an import may hold megabytes)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def shown_number(value: Any) -> str:
    """The ticket number of a raw record for a message, or "" when it has none
    readable."""
    if not isinstance(value, str):
        return ""
    number = normalised_number(value)
    return number if len(number) <= 40 and number.isprintable() else ""


def _number(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a ticket number as text")
    number = normalised_number(value)
    if len(number) > 40 or not is_ticket_number(number):
        raise ValueError(f"{shown(value)} is not a ticket number ({SHAPES})")
    return number


def _moment(value: Any, info: ValidationInfo) -> int | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 time as text")
    try:
        moment = datetime.fromisoformat(value) if len(value) <= 64 else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(f"{shown(value)} is not an ISO 8601 time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=(info.context or {}).get("zone") or ZoneInfo("UTC"))
    problem = moment_problem(moment)
    if problem:
        raise ValueError(f"{shown(value)} {problem}")
    return to_millis(moment)


def _whole(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    return value


def _uuid(value: Any) -> str:
    if not isinstance(value, str) or not _UUID.match(value):
        raise ValueError(f"{shown(value)} is not an id (a UUID in lower case)")
    return value


Label = Annotated[str, StringConstraints(min_length=1, max_length=LABEL_MAX)]
Text = Annotated[str, StringConstraints(max_length=TEXT_MAX)]
Summary = Annotated[str, StringConstraints(min_length=1, max_length=SUMMARY_MAX,
                                           pattern=r"\S")]
Number = Annotated[str, BeforeValidator(_number)]
Moment = Annotated[int | None, BeforeValidator(_moment)]
Id = Annotated[str, BeforeValidator(_uuid)]
Count = Annotated[int, Field(ge=0, le=COUNT_MAX)]
Priority = Literal["P1", "P2", "P3", "P4"]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class CsvRecord(_Schema):
    """One row of the desk's CSV export (the columns of ``csv_format.COLUMNS``)."""

    number: Number
    type: TicketType
    status: Status
    hold_reason: HoldReason | None = None
    priority: Priority
    impact: Level
    urgency: Level
    major: bool = False
    summary: Summary
    description: Text = ""
    category: Label | None = None
    subcategory: Label | None = None
    service: Label | None = None
    ci: Label | None = None
    group: Label | None = None
    support_level: SupportLevel = SupportLevel.L1
    assignee: Label | None = None
    reporter: Label | None = None
    contact: Label | None = None
    channel: Channel | None = None
    detected_at: Moment = None
    logged_at: Annotated[int, BeforeValidator(_moment)]
    logged_by: Label | None = None
    responded_at: Moment = None
    resolved_at: Moment = None
    closed_at: Moment = None
    response_due: Moment = None
    resolution_due: Moment = None
    reopen_count: Count = 0
    reassignment_count: Count = 0
    escalation_count: Count = 0
    resolution_type: ResolutionType | None = None
    resolution_code: Label | None = None
    resolution_notes: Text | None = None
    resolved_by: Label | None = None
    confirmation: Confirmation | None = None
    problem: Number | None = None
    problem_ref: Label | None = None
    parent: Number | None = None
    rfc: Label | None = None


class _Child(_Schema):
    id: Id | None = None
    at: Annotated[int, BeforeValidator(_moment)]
    by: Label


class HistoryEntry(_Child):
    field: Label
    old: Text | None = None
    new: Text | None = None


class WorklogEntry(_Child):
    kind: WorklogKind
    note: Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]
    minutes: Annotated[int, Field(ge=0, le=MINUTES_MAX)] = 0


class TickEntry(_Child):
    checklist: Label
    item: Label


class LinkEntry(_Child):
    kind: LinkKind
    number: Number


class TicketRecord(CsvRecord):
    """One ticket of the desk's JSON export: every column, history, worklog, ticks and
    links."""

    id: Id | None = None
    hierarchic_level: Annotated[int, Field(ge=0, le=HIERARCHIC_MAX)] = 0
    updated_at: Moment = None
    sla_stopped_since: Moment = None
    sla_stopped_ms: Annotated[int, Field(ge=0, le=STOPPED_MS_MAX)] = 0
    response_breached: bool = False
    resolution_breached: bool = False
    may_recur: bool = False
    no_email: bool = False  # do not email the reporter
    problem_decision: Literal["not_needed"] | None = None
    knowledge: Literal["updated", "not_needed"] | None = None
    cancel_reason: CancelReason | None = None
    root_cause: Text | None = None
    workaround: Text | None = None
    problem_status: ProblemStatus | None = None
    problem_reason: Text | None = None
    article_id: Id | None = None  # the article the closure updated (exported since version 2)
    satisfaction_score: Annotated[int, Field(ge=1, le=5)] | None = None
    satisfaction_comment: Text | None = None
    satisfaction_at: Moment = None
    satisfaction_source: Literal["technician", "mail"] | None = None
    major_manager: Label | None = None  # a login; kept when that technician is here
    major_bridge_link: Text | None = None
    major_bridge_phone: Text | None = None
    major_bridge_room: Text | None = None
    major_stakeholders: Text | None = None
    history: Annotated[list[HistoryEntry], Field(max_length=100_000)] = []
    worklog: Annotated[list[WorklogEntry], Field(max_length=100_000)] = []
    ticks: Annotated[list[TickEntry], Field(max_length=10_000)] = []
    links: Annotated[list[LinkEntry], Field(max_length=10_000)] = []


class JsonDocument(_Schema):
    """The envelope of a JSON export; its tickets are validated one by one."""

    model_config = ConfigDict(extra="forbid", strict=True)
    format: Literal["desk-app tickets"] = "desk-app tickets"
    version: Annotated[Literal[1, 2], BeforeValidator(_whole)] = JSON_VERSION
    exported_by: Annotated[str, StringConstraints(max_length=LABEL_MAX)] | None = None
    articles: list[Any] = []  # version 2; each validated on its own, before the tickets
    tickets: list[Any]


_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field of this format",
    "string_type": "must be text",
    "string_pattern_mismatch": "is required",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "too_long": "has too many entries",
}


def _message(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "string_too_long":
        return f"at most {ctx['max_length']} characters"
    if kind == "string_too_short":
        return "is required"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']}"
    if kind in ("enum", "literal_error"):
        return f"must be one of: {ctx['expected']}"
    if kind == "value_error":
        return str(ctx.get("error") or error["msg"])
    return _MESSAGES.get(kind, error["msg"])


def _place(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int) and parts:
            parts[-1] = f"{parts[-1]} entry {part + 1}"
        else:
            parts.append(str(part))
    return ": ".join(parts)


def describe(error: ValidationError, limit: int = 3) -> str:
    """A validation error as ``field: what is wrong`` (the first few, ``; ``-joined)."""
    found = error.errors(include_url=False, include_input=False)
    text = "; ".join(f"{_place(e['loc'])}: {_message(e)}" if e["loc"] else _message(e)
                     for e in found[:limit])
    return text + (f" (and {len(found) - limit} more)" if len(found) > limit else "")
