"""The KPI definitions as arithmetic on additive totals (pure Python).

Every KPI of the dashboard is a ratio or a mean of sums that add up across tickets, so
the totals of any set of tickets are the field-wise sum of the totals of its parts
(days, weeks, priorities, groups...). Storage sums them (from the summary table or the
ticket rows); this module turns them into :class:`~desk_app.core.kpi_figures.Figure`s.

Over the incidents logged in the period (cancelled ones left out):

- MTTR from logging = sum(resolved - logged) / resolved, in hours.
- MTTR from detection = sum(resolved - (detected if known, else logged)) / resolved.
- Mean time to detect = sum(logged - detected) / incidents whose detection is known.
- SLA compliance = resolved within the resolution target (no breach recorded) /
  incidents whose outcome is known (resolved with a target or a recorded breach, or
  still open past the target).
- First contact resolution = resolved at L1 with no escalation and no reassignment
  / resolved.
- Reopen rate = reopened at least once / ever resolved.
- Recurrence = incidents reopened within 30 days of the resolution reopened, or
  resolved and followed within 30 days of their resolution by a linked new incident
  (related or following) on the same CI and category / ever resolved. (A reopen whose
  time the history does not hold, as an import's reopen count, counts.)
- Satisfaction = answers 4 or 5 / answers (scores 1-5).
- Resolved by knowledge = resolved with an article or known error recorded as the
  solution / resolved.
- Time spent = the worklog minutes of those incidents.
"""

import operator
from collections.abc import Iterable
from dataclasses import dataclass, fields

from desk_app.core.kpi_figures import Direction, Figure
from desk_app.core.kpi_targets import KpiTargets

HOUR_MS = 3_600_000
# What the dashboard splits the KPIs by (ticket columns: group and technician by name).
BREAKDOWNS = ("priority", "category", "service", "group", "technician", "channel")
REPORT_FORMATS = ("text", "json", "csv", "md", "pdf")


@dataclass(frozen=True)
class KpiTotals:
    """Additive sums over a set of incidents (see the module docstring)."""

    logged: int = 0            # incidents logged (not cancelled)
    open: int = 0              # of them, still open (new, assigned, in progress, on hold)
    resolved: int = 0
    resolve_ms: int = 0        # sum of resolved - logged
    detect_resolve_ms: int = 0  # sum of resolved - (detected, else logged)
    detected: int = 0          # incidents whose detection time is known
    detect_ms: int = 0         # sum of logged - detected over them
    sla_known: int = 0         # resolution target outcome known
    sla_met: int = 0
    fcr: int = 0               # resolved at L1, no escalation, no reassignment
    ever_resolved: int = 0     # resolved or reopened
    reopened: int = 0
    recurred: int = 0          # reopened or followed by a linked new incident (30 days)
    rated: int = 0             # satisfaction answers
    satisfied: int = 0         # answers 4-5
    by_knowledge: int = 0      # resolved by an article or known error
    minutes: int = 0           # worklog time spent

    def __add__(self, other: "KpiTotals") -> "KpiTotals":
        return KpiTotals.of(map(operator.add, self.__dict__.values(), other.__dict__.values()))

    @classmethod
    def of(cls, values: Iterable[int]) -> "KpiTotals":
        """Totals from sums in :data:`TOTAL_FIELDS` order (many rows: cheaper than the
        frozen dataclass's field-by-field __init__)."""
        made = object.__new__(cls)
        made.__dict__.update(zip(_FIELDS, values, strict=True))
        return made

    def as_dict(self) -> dict[str, int]:
        """The sums by name (the "counts" of a dashboard row)."""
        return dict(self.__dict__)


TOTAL_FIELDS = tuple(f.name for f in fields(KpiTotals))
_FIELDS = TOTAL_FIELDS
# The KPI values every row carries, in display order.
VALUE_KEYS = ("mttr_detection_hours", "mttr_logging_hours", "mean_time_to_detect_hours",
              "sla_compliance", "first_contact_resolution", "recurrence", "reopen_rate",
              "satisfaction", "resolved_by_knowledge", "time_spent_hours")


def _mean_hours(ms: int, count: int) -> float | None:
    return round(ms / count / HOUR_MS, 2) if count else None


def kpi_values(totals: KpiTotals) -> dict[str, float | None]:
    """Every KPI of ``totals`` by key (:data:`VALUE_KEYS`); None where nothing is
    measured."""
    return row_values(totals.__dict__.values())


def row_values(sums: Iterable[int]) -> dict[str, float | None]:
    """:func:`kpi_values` of sums in :data:`TOTAL_FIELDS` order (a row as storage reads
    it). (Written for speed: a dashboard computes it for every row.)"""
    (_logged, _open, resolved, resolve_ms, detect_resolve_ms, detected, detect_ms, sla_known,
     sla_met, fcr, ever, reopened, recurred, rated, satisfied, by_knowledge,
     minutes) = sums
    hours = resolved * HOUR_MS
    return {
        "mttr_detection_hours": round(detect_resolve_ms / hours, 2) if resolved else None,
        "mttr_logging_hours": round(resolve_ms / hours, 2) if resolved else None,
        "mean_time_to_detect_hours": round(detect_ms / (detected * HOUR_MS), 2)
        if detected else None,
        "sla_compliance": round(100.0 * sla_met / sla_known, 1) if sla_known else None,
        "first_contact_resolution": round(100.0 * fcr / resolved, 1) if resolved else None,
        "recurrence": round(100.0 * recurred / ever, 1) if ever else None,
        "reopen_rate": round(100.0 * reopened / ever, 1) if ever else None,
        "satisfaction": round(100.0 * satisfied / rated, 1) if rated else None,
        "resolved_by_knowledge": round(100.0 * by_knowledge / resolved, 1)
        if resolved else None,
        "time_spent_hours": round(minutes / 60, 2),
    }


def kpi_tiles(totals: KpiTotals, by_priority: dict[str, KpiTotals],
              targets: KpiTargets) -> list[Figure]:
    """The dashboard's tiles: each KPI of ``totals`` with its target, then the MTTR
    (from detection) of each priority against its own target."""
    v = kpi_values(totals)
    tiles = [
        Figure("sla_compliance", "SLA compliance", v["sla_compliance"], "percent",
               Direction.HIGHER, targets.sla_compliance_percent, totals.sla_known),
        Figure("first_contact_resolution", "First contact resolution",
               v["first_contact_resolution"], "percent", Direction.HIGHER,
               targets.first_contact_resolution_percent, totals.resolved),
        Figure("recurrence", "Recurrence (30 days)", v["recurrence"], "percent",
               Direction.LOWER, targets.recurrence_percent, totals.ever_resolved),
        Figure("satisfaction", "Satisfaction", v["satisfaction"], "percent",
               Direction.HIGHER, targets.satisfaction_percent, totals.rated),
        Figure("mttr_detection_hours", "MTTR from detection", v["mttr_detection_hours"],
               "hours", Direction.LOWER, None, totals.resolved),
        Figure("mttr_logging_hours", "MTTR from logging", v["mttr_logging_hours"],
               "hours", Direction.LOWER, None, totals.resolved),
        Figure("mean_time_to_detect_hours", "Mean time to detect",
               v["mean_time_to_detect_hours"], "hours", Direction.LOWER, None,
               totals.detected),
        Figure("reopen_rate", "Reopen rate", v["reopen_rate"], "percent", Direction.LOWER,
               None, totals.ever_resolved),
        Figure("resolved_by_knowledge", "Resolved by knowledge", v["resolved_by_knowledge"],
               "percent", Direction.HIGHER, None, totals.resolved),
        Figure("backlog", "Open incidents", float(totals.open), "count", Direction.LOWER,
               None, totals.open),
        Figure("time_spent_hours", "Time spent", v["time_spent_hours"], "hours",
               Direction.LOWER, None, totals.logged),
    ]
    for priority, part in sorted(by_priority.items()):
        tiles.append(Figure(
            f"mttr_{priority}", f"MTTR {priority}",
            _mean_hours(part.detect_resolve_ms, part.resolved), "hours", Direction.LOWER,
            targets.mttr_hours.get(priority), part.resolved))
    return tiles
