"""The team's policy as one validated object.

Policy is data: it ships as TOML in resources/, is stored in the database section by
section, and only administrators change it. Building a :class:`Policy` validates
every section, and a refusal names the key at fault.
"""

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from desk_app.core.calendar import BusinessCalendar
from desk_app.core.catalogue import parse_unknown_values
from desk_app.core.checklists import CLOSURE_RULES, LOGGING_FIELDS
from desk_app.core.enums import PRIORITIES
from desk_app.core.errors import InvalidValue
from desk_app.core.escalation import FunctionalMatrix, HierarchicLevel, HierarchicMatrix
from desk_app.core.major_incidents import MajorProcedure
from desk_app.core.priority import PriorityMatrix
from desk_app.core.sla import SlaPolicy
from desk_app.core.watch import WatchRules, check_percent

SECTIONS = ("team", "priority_matrix", "calendars", "sla", "lifecycle", "major_incident",
            "checklists", "categories", "escalation", "groups", "attachments", "catalogue",
            "mailboxes", "mail", "assignment", "major_review", "kpi_targets",
            "major_procedure", "report_schedule")
# Sections added after desks were in use, with what a stored policy without one reads as
# (the section's defaults apply).
OPTIONAL_SECTIONS: dict[str, Any] = {"attachments": {}, "catalogue": {}, "mailboxes": [],
                                     "mail": {}, "assignment": {}, "major_review": {},
                                     "kpi_targets": {}, "major_procedure": {},
                                     "report_schedule": {}}


@dataclass(frozen=True)
class Category:
    name: str
    subcategories: tuple[str, ...]
    checklist: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    """Everything the ITIL rules need to know about how this team works."""

    team_name: str
    time_zone: str
    matrix: PriorityMatrix
    calendars: Mapping[str, BusinessCalendar]
    sla: SlaPolicy
    reopen_window: timedelta
    auto_close_grace: timedelta
    major_priorities: frozenset[str]
    critical_services: frozenset[str]
    logging_checklist: tuple[str, ...]
    closure_checklist: tuple[str, ...]
    categorisation_default: tuple[str, ...]
    categories: Mapping[str, Category]
    functional: FunctionalMatrix
    hierarchic: HierarchicMatrix
    sections: Mapping[str, Any]
    catalogue_unknown_values: str = "allow"  # a service or CI the catalogue lacks
    watch: WatchRules = field(default_factory=WatchRules)
    major_procedure: MajorProcedure = field(default_factory=MajorProcedure)

    @classmethod
    def from_sections(cls, sections: Mapping[str, Any]) -> "Policy":
        """Validate and build a policy from its stored sections."""
        missing = [name for name in SECTIONS
                   if name not in sections and name not in OPTIONAL_SECTIONS]
        if missing:
            raise InvalidValue("policy", f"missing section(s): {', '.join(missing)}")
        team = sections["team"]
        calendars = {name: BusinessCalendar.from_dict(name, data)
                     for name, data in sections["calendars"].items()}
        lifecycle = sections["lifecycle"]
        checklists = sections["checklists"]
        logging_items = tuple(checklists.get("logging", LOGGING_FIELDS))
        unknown = [i for i in logging_items if i not in LOGGING_FIELDS]
        if unknown:
            raise InvalidValue("checklists.logging", f"unknown field(s): {', '.join(unknown)}")
        closure_items = tuple(checklists.get("closure", tuple(CLOSURE_RULES)))
        unknown = [i for i in closure_items if i not in CLOSURE_RULES]
        if unknown:
            raise InvalidValue("checklists.closure", f"unknown item(s): {', '.join(unknown)}; "
                               f"known: {', '.join(CLOSURE_RULES)}")
        default_items = tuple(checklists.get("categorisation_default", ()))
        categories = {}
        for entry in sections["categories"]:
            name = str(entry.get("name", "")).strip()
            if not name:
                raise InvalidValue("categories", "every category needs a name")
            categories[name] = Category(name, tuple(entry.get("subcategories", ())),
                                        tuple(entry.get("checklist", default_items)))
        escalation = sections["escalation"]
        hierarchic = HierarchicMatrix(tuple(
            HierarchicLevel(str(level["name"]),
                            check_percent(f"escalation.hierarchic[{index}].at_percent",
                                          level["at_percent"]),
                            level.get("technician"), dict(level.get("groups", {})))
            for index, level in enumerate(escalation.get("hierarchic", ()))))
        major = frozenset(sections["major_incident"].get("priorities", ["P1"]))
        if not major <= set(PRIORITIES):
            raise InvalidValue("major_incident.priorities", "must be among P1..P4")
        return cls(
            team_name=str(team.get("name", "Service Desk")),
            time_zone=str(team.get("time_zone", "UTC")),
            matrix=PriorityMatrix.from_dict(sections["priority_matrix"]),
            calendars=calendars,
            sla=SlaPolicy.from_dict(sections["sla"], calendars),
            reopen_window=_days(lifecycle, "reopen_window_days", 5),
            auto_close_grace=_days(lifecycle, "auto_close_grace_days", 3),
            major_priorities=major,
            critical_services=frozenset(
                str(name) for name in sections["major_incident"].get("critical_services", ())),
            logging_checklist=logging_items,
            closure_checklist=closure_items,
            categorisation_default=default_items,
            categories=categories,
            functional=FunctionalMatrix(escalation.get("functional", {})),
            hierarchic=hierarchic,
            sections={**copy.deepcopy(OPTIONAL_SECTIONS), **sections},
            catalogue_unknown_values=parse_unknown_values(
                sections.get("catalogue", {}).get("unknown_values", "allow")).value,
            watch=WatchRules.from_section(escalation),
            major_procedure=MajorProcedure.from_section(sections.get("major_procedure")),
        )

    def categorisation_items(self, category: str | None) -> tuple[str, ...]:
        """The categorisation checklist for ``category``."""
        found = self.categories.get(category or "")
        return found.checklist if found else self.categorisation_default

    def major_incident_reasons(self, priority: str, service: str | None) -> list[str]:
        """Why a ticket with this priority and service meets the major-incident
        criteria (empty when it does not)."""
        reasons = []
        if priority in self.major_priorities:
            reasons.append(f"priority {priority} is a major-incident priority")
        if service and service.strip().casefold() in {
                s.casefold() for s in self.critical_services}:
            reasons.append(f"{service.strip()} is a critical service")
        return reasons

    def check_category(self, category: str | None, subcategory: str | None) -> None:
        """Refuse a category or subcategory the policy does not know.

        A policy with no categories accepts any text (imports bring their own).
        """
        if not category or not self.categories:
            return
        found = self.categories.get(category)
        if found is None:
            raise InvalidValue("category", f"unknown category {category!r}; known: "
                               + ", ".join(sorted(self.categories)))
        if subcategory and found.subcategories and subcategory not in found.subcategories:
            raise InvalidValue("subcategory", f"{subcategory!r} is not a subcategory of "
                               f"{category}; known: {', '.join(found.subcategories)}")


def _days(section: Mapping[str, Any], key: str, default: float) -> timedelta:
    value = section.get(key, default)
    if not isinstance(value, int | float) or value < 0:
        raise InvalidValue(f"lifecycle.{key}", f"{value!r} is not a number of days >= 0")
    return timedelta(days=value)
