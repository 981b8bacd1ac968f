"""One schema per policy section, shared by every way a policy gets in.

``policy set``, the administration screens, the first run's default TOML and sync's
policy apply all pass sections through :func:`checked_policy`: the section's schema
(types, sizes, known names, finite numbers), then the rules between sections (an SLA
target's calendar exists, a target can be reached on its calendar). A refusal names
the section and field, e.g. ``policy sla.targets.P2.resolution: must be a positive
duration of at most 365 days``.

Reading the stored policy does not come through here (it was checked when written),
so pydantic stays off the start-up path: import this module only where policy is written.
"""

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from desk_app.core.assignment import METHODS as ASSIGNMENT_METHODS
from desk_app.core.calendar import WEEKDAYS, parse_span
from desk_app.core.checklists import CLOSURE_RULES, LOGGING_FIELDS
from desk_app.core.enums import PRIORITIES, HoldReason, Level, SupportLevel
from desk_app.core.errors import InvalidValue
from desk_app.core.mail_templates import EVENTS as MAIL_EVENTS
from desk_app.core.mail_templates import (
    SECURITIES,
    MailPolicy,
    TemplateProblem,
    looks_like_address,
)
from desk_app.core.major_incidents import FINAL_UPDATE_MODES, rhythm_duration
from desk_app.core.policy import OPTIONAL_SECTIONS, SECTIONS, Policy
from desk_app.core.sla import DURATION_PATTERN
from desk_app.core.time_zones import zone_problem

MAX_TARGET_DAYS = 365
_SHOWN_PROBLEMS = 5
_INNER_FIELD = re.compile(r"^([\w.]+): (.*)$", re.DOTALL)
# a moment to plan every SLA target from once, to prove each can be reached
_PROBE_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class PolicyRefused(InvalidValue):
    """A policy section does not validate; ``problems`` holds every (field, reason)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        field, message = problems[0]
        more = [f"{f}: {m}" for f, m in problems[1:_SHOWN_PROBLEMS]]
        if len(problems) > _SHOWN_PROBLEMS:
            more.append(f"{len(problems) - _SHOWN_PROBLEMS} more")
        super().__init__(f"policy {field}", message + (f" (also {'; '.join(more)})"
                                                      if more else ""))
        self.problems = problems


def _time_zone(value: str) -> str:
    problem = zone_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _duration(value: str) -> str:
    match = DURATION_PATTERN.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a duration like 15m, 4h or 3bd")
    amount, unit = float(match.group(1)), match.group(2)
    days = amount / (24 * 60) if unit in ("m", "min") else amount / 24 if unit == "h" \
        else amount
    if not 0 < days <= MAX_TARGET_DAYS:
        raise ValueError(f"must be a positive duration of at most {MAX_TARGET_DAYS} days, "
                         f"not {value!r}")
    return value


def _span(value: str) -> str:
    try:
        parse_span(value)
    except InvalidValue as err:
        raise ValueError(err.message) from None
    return value


def _holiday(value: Any) -> Any:
    if isinstance(value, datetime):
        raise ValueError(f"{value.isoformat()} is a time, not a date (YYYY-MM-DD)")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(f"{value[:40]!r} is not a date (YYYY-MM-DD)") from None
    return value  # the str type check names what it is


def _unique(values: list[str]) -> list[str]:
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{value!r} is listed twice")
        seen.add(value)
    return values


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Zone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_time_zone)]
Duration = Annotated[str, StringConstraints(max_length=32), AfterValidator(_duration)]
Span = Annotated[str, StringConstraints(max_length=32), AfterValidator(_span)]
Holiday = Annotated[str, BeforeValidator(_holiday)]
Number = Annotated[float, Field(allow_inf_nan=False)]
LevelName = Literal[tuple(level.value for level in Level)]
Priority = Literal[PRIORITIES]
Weekday = Literal[WEEKDAYS]
SupportLevelName = Literal[tuple(level.value for level in SupportLevel)]


class _Section(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Team(_Section):
    name: Name
    time_zone: Zone


class Calendar(_Section):
    time_zone: Zone = "UTC"
    hours: dict[Weekday, Annotated[list[Span], Field(max_length=24)]]
    holidays: Annotated[list[Holiday], Field(max_length=2000)] = []
    country: Annotated[str, StringConstraints(max_length=10)] | None = None
    subdivision: Annotated[str, StringConstraints(max_length=10)] | None = None

    @model_validator(mode="after")
    def _some_working_time(self) -> "Calendar":
        if not any(self.hours.values()):
            raise ValueError("hours: no working hours on any day")
        return self


class Target(_Section):
    response: Duration
    resolution: Duration
    calendar: Name


class Sla(_Section):
    warning_percent: Annotated[Number, Field(gt=0, lt=100)] = 75
    pause_reasons: Annotated[list[Literal[tuple(r.value for r in HoldReason)]],
                             AfterValidator(_unique)] = ["awaiting_user", "awaiting_supplier"]
    targets: dict[Priority, Target]

    @model_validator(mode="after")
    def _every_priority(self) -> "Sla":
        missing = [p for p in PRIORITIES if p not in self.targets]
        if missing:
            raise ValueError(f"targets: missing for {', '.join(missing)}")
        return self


class Lifecycle(_Section):
    reopen_window_days: Annotated[Number, Field(ge=0, le=365)] = 5
    auto_close_grace_days: Annotated[Number, Field(ge=0, le=365)] = 3


class MajorIncident(_Section):
    priorities: Annotated[list[Priority], AfterValidator(_unique)] = ["P1"]
    critical_services: Annotated[list[Name], Field(max_length=500)] = []


def _rhythm_duration(value: str) -> str:
    try:
        rhythm_duration("", value)
    except InvalidValue as err:
        raise ValueError(err.message) from None
    return value


RhythmDuration = Annotated[str, StringConstraints(max_length=32),
                           AfterValidator(_rhythm_duration)]


class UpdateRhythm(_Section):
    first: RhythmDuration
    every: RhythmDuration


class MajorProcedureSection(_Section):
    """The major-incident procedure (see desk_app.core.major_incidents.MajorProcedure)."""

    incident_manager: Name | None = None
    updates: Annotated[dict[Priority, UpdateRhythm], Field(min_length=1)] = {
        "P1": UpdateRhythm(first="15m", every="30m"),
        "P2": UpdateRhythm(first="30m", every="60m")}
    missed_after: RhythmDuration = "5m"
    final_update_on_resolve: Literal[FINAL_UPDATE_MODES] = "send"


class Checklists(_Section):
    logging: Annotated[list[Literal[LOGGING_FIELDS]], AfterValidator(_unique)] = \
        list(LOGGING_FIELDS)
    closure: Annotated[list[Literal[tuple(CLOSURE_RULES)]], AfterValidator(_unique)] = \
        list(CLOSURE_RULES)
    categorisation_default: Annotated[list[Text], Field(max_length=100)] = []


class Category(_Section):
    name: Name
    subcategories: Annotated[list[Name], Field(max_length=200), AfterValidator(_unique)] = []
    checklist: Annotated[list[Text], Field(max_length=100)] = []


def _unique_names(entries: list[Any]) -> list[Any]:
    _unique([entry.name for entry in entries])
    return entries


Percent = Annotated[Number, Field(gt=0, le=100)]


class HierarchicLevel(_Section):
    name: Name
    at_percent: Percent
    technician: Name | None = None  # the login told at this level
    groups: Annotated[dict[Name, Name], Field(max_length=500)] = {}  # group -> login


class Escalation(_Section):
    functional: dict[Name, dict[SupportLevelName, Name]]
    hierarchic: Annotated[list[HierarchicLevel], Field(max_length=10)] = []
    # still at L1 and not in progress after this % of the response target: to L2
    functional_at_percent: dict[Priority, Percent] = {}
    l3_priorities: Annotated[list[Priority], AfterValidator(_unique)] = []
    raise_priority_on_response_breach: bool = False

    @model_validator(mode="after")
    def _no_loops(self) -> "Escalation":
        default = self.functional.get("default", {})
        for row, levels in self.functional.items():
            seen: dict[str, str] = {}
            for level in ("L1", "L2", "L3"):
                group = levels.get(level) or default.get(level)
                if group in seen:
                    raise ValueError(f"functional.{row}.{level}: {group} is also the "
                                     f"{seen[group]} group: escalating would loop back to "
                                     f"{seen[group]}")
                if group:
                    seen[group] = level
        return self

    @model_validator(mode="after")
    def _default_row(self) -> "Escalation":
        default = self.functional.get("default", {})
        missing = [level for level in ("L1", "L2", "L3") if level not in default]
        if missing:
            raise ValueError("functional.default: must name a group for every support "
                             f"level (used for categories without a row); missing "
                             f"{', '.join(missing)}")
        return self


class Group(_Section):
    name: Name
    level: SupportLevelName


class Attachments(_Section):
    max_size_mb: Annotated[Number, Field(gt=0, le=2048)] = 25
    prefetch_my_tickets: bool = True
class Catalogue(_Section):
    unknown_values: Literal["allow", "refuse"] = "allow"
class Mailbox(_Section):
    """What mail arriving at ``address`` ("*": any other) gets for the logging fields
    mail cannot give."""

    address: Name
    impact: LevelName = "medium"
    urgency: LevelName = "medium"
    service: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    category: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    subcategory: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""


def _unique_addresses(entries: list[Any]) -> list[Any]:
    _unique([entry.address.lower() for entry in entries])
    return entries
class MailSmtp(_Section):
    host: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    security: Literal[SECURITIES] = "starttls"
    login: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    from_address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    from_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    reply_to: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""


class MailTemplate(_Section):
    enabled: bool = True
    subject: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = None
    body: Annotated[str, StringConstraints(min_length=1, max_length=20000)] | None = None


class Mail(_Section):
    smtp: MailSmtp = MailSmtp()
    templates: dict[Literal[MAIL_EVENTS], MailTemplate] = {}

    @model_validator(mode="after")
    def _templates_and_server(self) -> "Mail":
        try:
            MailPolicy.from_section(self.model_dump(exclude_none=True)).check()
        except TemplateProblem as problem:
            raise ValueError(f"{problem.field}: {problem.message}") from None
        return self
class Assignment(_Section):
    """Automatic assignment per support group (see desk_app.core.assignment)."""

    groups: Annotated[dict[Name, Literal[ASSIGNMENT_METHODS]], Field(max_length=500)] = {}
    weights: dict[Priority, Annotated[Number, Field(gt=0, le=1000)]] = {}
    prefer_skills: bool = True


class MajorReviewRules(_Section):
    """Post-incident reviews: ``required`` keeps a major incident open until its review
    is complete."""

    required: bool = True
ShareTarget = Annotated[Number, Field(ge=0, le=100)]


class KpiTargetsSection(_Section):
    """The KPI targets (see desk_app.core.kpi_targets; keys left out keep the defaults;
    null: no target)."""

    sla_compliance_percent: ShareTarget | None = 90
    first_contact_resolution_percent: ShareTarget | None = 70
    recurrence_percent: ShareTarget | None = 10
    satisfaction_percent: ShareTarget | None = 80
    mttr_hours: dict[Priority,
                     Annotated[Number, Field(gt=0, le=24 * MAX_TARGET_DAYS)] | None] = {}


def _address(value: str) -> str:
    if not looks_like_address(value):
        raise ValueError(f"{value[:60]!r} is not a mail address (name@example.com)")
    return value


Address = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255),
                    AfterValidator(_address)]


class ReportSchedule(_Section):
    """The weekly KPI report by mail (see desk_app.core.report_schedule)."""

    enabled: bool = False
    recipients: Annotated[list[Address], Field(max_length=50), AfterValidator(_unique)] = []
    weekday: Weekday = "mon"
    hour: Annotated[int, Field(ge=0, le=23)] = 8

    @model_validator(mode="after")
    def _someone_to_send_to(self) -> "ReportSchedule":
        if self.enabled and not self.recipients:
            raise ValueError("recipients: name at least one address to send the weekly "
                             "report to (or turn it off)")
        return self


SCHEMAS: dict[str, Any] = {
    "team": Team,
    "priority_matrix": dict[LevelName, dict[LevelName, Priority]],
    "calendars": Annotated[dict[Name, Calendar], Field(min_length=1, max_length=50)],
    "sla": Sla,
    "lifecycle": Lifecycle,
    "major_incident": MajorIncident,
    "checklists": Checklists,
    "categories": Annotated[list[Category], Field(max_length=500),
                            AfterValidator(_unique_names)],
    "escalation": Escalation,
    "groups": Annotated[list[Group], Field(max_length=500), AfterValidator(_unique_names)],
    "attachments": Attachments,
    "catalogue": Catalogue,
    "mailboxes": Annotated[list[Mailbox], Field(max_length=50),
                           AfterValidator(_unique_addresses)],
    "mail": Mail,
    "assignment": Assignment,
    "major_review": MajorReviewRules,
    "kpi_targets": KpiTargetsSection,
    "major_procedure": MajorProcedureSection,
    "report_schedule": ReportSchedule,
}
assert set(SCHEMAS) == set(SECTIONS)
_ADAPTERS = {name: TypeAdapter(schema, config=None if isinstance(schema, type) and
                               issubclass(schema, BaseModel) else ConfigDict(strict=True))
             for name, schema in SCHEMAS.items()}


def checked_section(name: str, value: Any) -> Any:
    """One section checked against its schema, in its stored form (JSON types, no
    values added); raises :class:`PolicyRefused` naming the field."""
    adapter = _ADAPTERS.get(name) if isinstance(name, str) else None
    if adapter is None:
        raise PolicyRefused([(str(name)[:60], "is not a policy section; sections: "
                              + ", ".join(SECTIONS))])
    try:
        checked = adapter.validate_python(value)
    except ValidationError as err:
        raise PolicyRefused([_problem(name, e) for e in err.errors()]) from None
    except RecursionError:
        raise PolicyRefused([(name, "is nested too deeply")]) from None
    if name == "priority_matrix":
        _complete_matrix(checked)
    return adapter.dump_python(checked, mode="json", exclude_unset=True)


def checked_sections(sections: Any) -> dict[str, Any]:
    """Every given section checked (see :func:`checked_section`)."""
    if not isinstance(sections, Mapping):
        raise PolicyRefused([("sections", "must be a table of sections (like the default "
                              f"policy file), not {_kind(sections)}")])
    return {name: checked_section(name, value) for name, value in sections.items()}


def checked_policy(sections: Any) -> tuple[dict[str, Any], Policy]:
    """A whole policy checked section by section, then as one: returns the sections
    in stored form and the policy built from them."""
    checked = checked_sections(sections)
    missing = [name for name in SECTIONS
               if name not in checked and name not in OPTIONAL_SECTIONS]
    if missing:
        raise PolicyRefused([(name, "is missing") for name in missing])
    try:
        policy = Policy.from_sections(checked)
    except InvalidValue as err:
        raise PolicyRefused([(err.field, err.message)]) from None
    for priority, target in policy.sla.targets.items():
        for clock, length in (("response", target.response),
                              ("resolution", target.resolution)):
            try:
                length.due(target.calendar, _PROBE_START)
            except (InvalidValue, OverflowError):
                raise PolicyRefused([(f"sla.targets.{priority}.{clock}",
                                      f"cannot be reached on calendar {target.calendar.name} "
                                      "(too little working time in the next three years)")]) \
                    from None
        start = _PROBE_START
        if target.response.due(target.calendar, start) > \
                target.resolution.due(target.calendar, start):
            raise PolicyRefused([(f"sla.targets.{priority}.response",
                                  f"{target.response.text} is longer than the resolution "
                                  f"target {target.resolution.text}")])
    return checked, policy


def _complete_matrix(matrix: dict[str, dict[str, str]]) -> None:
    levels = [level.value for level in Level]
    missing = [f"{i} x {u}" for i in levels for u in levels if u not in matrix.get(i, {})]
    if missing:
        raise PolicyRefused([("priority_matrix", "every impact x urgency needs a priority; "
                              f"missing {', '.join(missing)}")])


def _problem(section: str, error: Any) -> tuple[str, str]:
    where, reason = _where(section, error["loc"]), _reason(error)
    inner = _INNER_FIELD.match(reason) if error["type"] == "value_error" else None
    if inner:  # a check across fields names the one at fault first
        where, reason = f"{where}.{inner.group(1)}", inner.group(2)
    return where, reason


def _where(section: str, loc: tuple[Any, ...]) -> str:
    path = section
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "[key]":
            path += " (key)"
        elif isinstance(part, str) and not part.startswith(("function-", "literal[")):
            path += f".{part[:60]}"
    return path


def _kind(value: Any) -> str:
    names = {list: "a list", dict: "a table", str: "text", bool: "true/false",
             int: "a number", float: "a number", type(None): "null (nothing)"}
    return names.get(type(value), f"a {type(value).__name__}")


def _reason(error: Any) -> str:
    kind, message, given = error["type"], error["msg"], error.get("input")
    fixed = {"missing": "is missing", "extra_forbidden": "is not a setting of this section",
             "string_too_short": "must not be empty", "model_type": "must be a table",
             "model_attributes_type": "must be a table", "dict_type": "must be a table",
             "list_type": "must be a list"}
    if kind in fixed:
        message = fixed[kind]
    elif isinstance(given, int) and not isinstance(given, bool) and kind.startswith("float"):
        message = "is far too large a number"
    else:
        message = message.removeprefix("Value error, ")
        if message.startswith("Input should be"):
            message = "must be" + message.removeprefix("Input should be")
        for pydantic_words, ours in (("String should have at most", "must be at most"),
                                     ("List should have", "must have"),
                                     ("Dictionary should have", "must have")):
            message = message.replace(pydantic_words, ours)
    if kind.endswith("_type") and not message.startswith("is "):
        message += f", not {_kind(given)}"
    elif kind == "literal_error":
        message += f", not {given[:40]!r}" if isinstance(given, str) else f", not {_kind(given)}"
    return message
