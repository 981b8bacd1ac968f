"""The service catalogue and configuration items, as rules: what a service or a CI may
hold, how a service's own SLA targets and major-incident criteria apply to a ticket on
it, and how the desk treats a service or CI name the catalogue does not know.

Services and CIs are keyed by their name (case-insensitive), so two desks that create
"Email" offline make one row (:func:`catalogue_id`).
"""

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desk_app.core.calendar import BusinessCalendar
from desk_app.core.enums import PRIORITIES
from desk_app.core.errors import InvalidValue
from desk_app.core.ids import natural_id
from desk_app.core.sla import SlaPolicy, SlaTarget, parse_duration
from desk_app.core.validation import TEXT_MAX, check_length, label_text


class Criticality(StrEnum):
    """How much the business depends on a service."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class UnknownValues(StrEnum):
    """What the desk does with a service or CI name the catalogue does not have
    (policy ``catalogue.unknown_values``)."""

    ALLOW = "allow"
    REFUSE = "refuse"


SERVICE_FIELDS = ("name", "criticality", "owner_group", "calendar", "major_priorities",
                  "sla_targets", "notes")
CI_FIELDS = ("name", "type", "serial", "location", "owner", "service", "notes")
CLOCKS = ("response", "resolution")


def catalogue_key(name: str) -> str:
    """The form two names are compared in: stripped, case-folded."""
    return " ".join(name.split()).casefold()


def catalogue_id(kind: str, name: str) -> str:
    """The row id of the service or CI named ``name`` (``kind`` "service" or "ci"): the
    same on every desk, whatever the case the name is written in."""
    return natural_id(kind, catalogue_key(name))


def catalogue_name(field: str, value: str) -> str:
    """A service or CI name: required, one line, inner spaces collapsed."""
    return " ".join(label_text(field, value).split())


def optional_label(field: str, value: str | None) -> str:
    """A short optional text (type, serial, location...): stripped, at most LABEL_MAX."""
    text = (value or "").strip()
    if text:
        text = label_text(field, text)
    return text


def optional_notes(value: str | None) -> str:
    """Free notes, at most TEXT_MAX characters."""
    text = (value or "").strip()
    check_length("notes", text, TEXT_MAX)
    return text


def parse_criticality(value: str | None) -> str:
    """A criticality (low, medium, high, critical); empty means medium."""
    text = (value or "").strip().casefold() or Criticality.MEDIUM.value
    try:
        return Criticality(text).value
    except ValueError:
        raise InvalidValue("criticality", f"{value!r} is not one of "
                           + ", ".join(c.value for c in Criticality)) from None


def parse_major_priorities(value: str | list[str] | None) -> str:
    """The priorities that make any incident on the service major ("P1,P2"), stored as
    a comma-separated list in P1..P4 order; empty for none."""
    items = value if isinstance(value, list) else (value or "").replace(";", ",").split(",")
    chosen = {item.strip().upper() for item in items if item.strip()}
    unknown = sorted(chosen - set(PRIORITIES))
    if unknown:
        raise InvalidValue("major_priorities", f"{', '.join(unknown)} is not a priority; "
                           "use P1..P4, e.g. P1,P2")
    return ",".join(p for p in PRIORITIES if p in chosen)


def priorities_of(stored: str | None) -> frozenset[str]:
    """The stored major-incident priorities as a set."""
    return frozenset(p for p in (stored or "").split(",") if p)


@dataclass(frozen=True)
class ServiceTerms:
    """What a service changes for a ticket on it: its own SLA targets (priority ->
    clock -> duration text) on its calendar, and the priorities that make it major."""

    name: str
    calendar: str | None = None
    sla_targets: Mapping[str, Mapping[str, str]] = dataclasses.field(default_factory=dict)
    major_priorities: frozenset[str] = frozenset()

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> "ServiceTerms":
        """From a stored service row (a dict of its columns)."""
        return cls(row["name"], row.get("calendar") or None,
                   json.loads(row.get("sla_targets") or "{}"),
                   priorities_of(row.get("major_priorities")))


def parse_sla_targets(value: str | Mapping[str, Any] | None,
                      calendars: Mapping[str, BusinessCalendar],
                      calendar: str | None) -> str:
    """A service's own SLA targets as stored (sorted JSON), checked: known priorities,
    durations like 4h or 3bd, the response within the resolution. Text may be
    ``"P1=30m/4h; P2=1h/8h"`` (response/resolution, either may be left empty) or
    JSON. Empty means the policy's targets."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    targets = value if isinstance(value, Mapping) else _parse_target_text(value)
    if calendar and calendar not in calendars:
        raise InvalidValue("calendar", f"unknown calendar {calendar!r}; known: "
                           + ", ".join(sorted(calendars)))
    shown = calendars.get(calendar) if calendar else next(iter(calendars.values()), None)
    clean: dict[str, dict[str, str]] = {}
    for priority, clocks in targets.items():
        if priority not in PRIORITIES:
            raise InvalidValue("sla_targets", f"{priority!r} is not a priority (P1..P4)")
        if not isinstance(clocks, Mapping) or not clocks or set(clocks) - set(CLOCKS):
            raise InvalidValue(f"sla_targets.{priority}",
                               "give a response and/or resolution duration")
        for clock, text in clocks.items():
            if shown is not None:
                parse_duration(str(text), shown, f"sla_targets.{priority}.{clock}")
        clean[priority] = {clock: str(text).strip() for clock, text in clocks.items()}
    return json.dumps(clean, sort_keys=True) if clean else ""


def _parse_target_text(text: str) -> dict[str, dict[str, str]]:
    text = text.strip()
    if text.startswith("{"):
        try:
            found = json.loads(text)
        except ValueError:
            raise InvalidValue("sla_targets", "is not valid JSON") from None
        if not isinstance(found, dict):
            raise InvalidValue("sla_targets", "must be a table of priorities")
        return found
    targets: dict[str, dict[str, str]] = {}
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        priority, equals, times = part.partition("=")
        response, slash, resolution = times.partition("/")
        if not equals or not slash:
            raise InvalidValue("sla_targets", f"{part.strip()!r} is not like P1=30m/4h "
                               "(response/resolution)")
        clocks = {clock: value.strip() for clock, value in
                  (("response", response), ("resolution", resolution)) if value.strip()}
        targets[priority.strip().upper()] = clocks
    return targets


def target_text(stored: str | None) -> str:
    """Stored SLA targets written back as ``P1=30m/4h; P2=/8h``."""
    targets = json.loads(stored or "{}")
    return "; ".join(f"{p}={targets[p].get('response', '')}/{targets[p].get('resolution', '')}"
                     for p in PRIORITIES if p in targets)


def service_sla(sla: SlaPolicy, terms: ServiceTerms | None,
                calendars: Mapping[str, BusinessCalendar]) -> SlaPolicy:
    """The SLA policy a ticket on a service is measured by: the policy's, with the
    service's own targets (and calendar, when it names one) in place of the policy's
    for the priorities it sets. A clock the service leaves out keeps the policy's."""
    if terms is None or (not terms.sla_targets and not terms.calendar):
        return sla
    calendar = calendars.get(terms.calendar) if terms.calendar else None
    targets = dict(sla.targets)
    for priority, base in sla.targets.items():
        own = terms.sla_targets.get(priority, {})
        if not own and calendar is None:
            continue
        on = calendar or base.calendar
        targets[priority] = SlaTarget(
            priority,
            parse_duration(own["response"], on, f"service {terms.name}: {priority} response")
            if "response" in own else base.response,
            parse_duration(own["resolution"], on,
                           f"service {terms.name}: {priority} resolution")
            if "resolution" in own else base.resolution,
            on)
    return dataclasses.replace(sla, targets=targets)


def service_major_reason(terms: ServiceTerms | None, priority: str) -> str | None:
    """Why a ticket of ``priority`` on the service is major by the service's own
    criteria, or None."""
    if terms is not None and priority in terms.major_priorities:
        listed = " or ".join(sorted(terms.major_priorities))
        return f"any {listed} on {terms.name} is a major incident"
    return None


def parse_unknown_values(value: Any) -> UnknownValues:
    """The policy's ``catalogue.unknown_values`` (allow or refuse)."""
    try:
        return UnknownValues(value)
    except ValueError:
        raise InvalidValue("policy catalogue.unknown_values",
                           f"{value!r} is not allow or refuse") from None


def checked_service(values: Mapping[str, Any], calendars: Mapping[str, BusinessCalendar],
                    groups: Mapping[str, str]) -> dict[str, Any]:
    """A service's fields checked and in stored form. ``groups`` maps a case-folded
    support-group name to its spelling; a refusal names the field."""
    unknown = sorted(set(values) - set(SERVICE_FIELDS))
    if unknown:
        raise InvalidValue(unknown[0], "is not a service field; fields: "
                           + ", ".join(SERVICE_FIELDS))
    owner = optional_label("owner_group", values.get("owner_group"))
    if owner:
        if catalogue_key(owner) not in groups:
            raise InvalidValue("owner_group", f"no support group {owner!r}; known: "
                               + ", ".join(sorted(groups.values())))
        owner = groups[catalogue_key(owner)]
    calendar = optional_label("calendar", values.get("calendar")) or None
    if calendar and calendar not in calendars:
        raise InvalidValue("calendar", f"unknown calendar {calendar!r}; known: "
                           + ", ".join(sorted(calendars)))
    return {
        "name": catalogue_name("name", values.get("name") or ""),
        "criticality": parse_criticality(values.get("criticality")),
        "owner_group": owner or None,
        "calendar": calendar,
        "major_priorities": parse_major_priorities(values.get("major_priorities")),
        "sla_targets": parse_sla_targets(values.get("sla_targets"), calendars, calendar),
        "notes": optional_notes(values.get("notes")),
    }


def checked_ci(values: Mapping[str, Any], services: Mapping[str, str]) -> dict[str, Any]:
    """A configuration item's fields checked and in stored form. ``services`` maps a
    case-folded service name to its spelling: a CI's service must be one of them."""
    unknown = sorted(set(values) - set(CI_FIELDS))
    if unknown:
        raise InvalidValue(unknown[0], "is not a configuration item field; fields: "
                           + ", ".join(CI_FIELDS))
    service = optional_label("service", values.get("service"))
    if service:
        if catalogue_key(service) not in services:
            raise InvalidValue("service", f"unknown service {service!r} (add it to the "
                               "catalogue first)")
        service = services[catalogue_key(service)]
    return {
        "name": catalogue_name("name", values.get("name") or ""),
        "type": optional_label("type", values.get("type")),
        "serial": optional_label("serial", values.get("serial")),
        "location": optional_label("location", values.get("location")),
        "owner": optional_label("owner", values.get("owner")),
        "service": service or None,
        "notes": optional_notes(values.get("notes")),
    }
