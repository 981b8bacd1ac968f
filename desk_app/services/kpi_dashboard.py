"""Everything the KPI dashboard shows for a period, in one read.

The period is [since, until): the incidents LOGGED in it (the cohort the existing report
uses). Tiles, trends and breakdowns are sums of :class:`~desk_app.core.kpi_totals.KpiTotals`
(so every breakdown adds up to the tiles' totals); the backlog and the open tickets past
their target are read live at the session's instant.

Every row carries a :class:`~desk_app.storage.ticket_queries.TicketFilter` selecting
"the tickets behind it", which the dashboard opens as a queue.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from desk_app.core.errors import InvalidValue
from desk_app.core.kpi_figures import Figure
from desk_app.core.kpi_targets import KpiTargets
from desk_app.core.kpi_totals import (
    BREAKDOWNS,
    TOTAL_FIELDS,
    KpiTotals,
    kpi_tiles,
    kpi_values,
    row_values,
)
from desk_app.core.labels import human_label
from desk_app.core.report_periods import checked_period
from desk_app.services.session import Session, reads
from desk_app.storage.fields import from_millis, to_millis
from desk_app.storage.kpi_summary import (
    DAY_MS,
    EPOCH_ORDINAL,
    age_bounds,
    backlog_by_age,
    first_incident_logged,
    kpi_sums,
    month_start,
    names,
    time_by_login,
    top_tickets_by_time,
    week_start,
)
from desk_app.storage.ticket_queries import TicketFilter

__all__ = ["BREAKDOWNS", "Dashboard", "KpiRow", "dashboard", "first_logged",
           "tile_tickets_described"]
TREND_GRAINS = ("week", "month")
TIME_SPENT_BY = ("technician", "group", "ticket")


@dataclass(frozen=True)
class KpiRow:
    """One row of a breakdown, trend, backlog or time-spent table.

    ``key`` is the stored value ("P1", a category, a group name, a login; "" when the
    tickets have none), or for a trend the bucket's first day (ISO date), or for the
    backlog the age bucket's name. ``label`` is what a person reads. ``counts`` are the
    row's :class:`~desk_app.core.kpi_totals.KpiTotals` by name (backlog rows: {"open": n};
    time-spent rows: {"minutes": m, "entries": n}). ``values`` are the KPIs by key
    (:data:`desk_app.core.kpi_totals.VALUE_KEYS`; backlog rows: empty; time-spent rows:
    {"time_spent_hours": h}). ``tickets`` selects the tickets behind the row (a queue:
    pass it to the ticket list queries of :mod:`desk_app.storage.ticket_queries`).
    """

    key: str
    label: str
    counts: Mapping[str, int]
    values: Mapping[str, float | None]
    tickets: TicketFilter


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's data for [since, until) (times in the team's zone).

    - ``tiles``: every KPI with its target and rating, then MTTR per priority
      (:func:`desk_app.core.kpi_totals.kpi_tiles`); ``tile_tickets`` maps each tile's
      key to the tickets behind it.
    - ``trends``: "week" and "month" -> rows in time order, empty buckets included
      (buckets of UTC days of logging, weeks start on Monday), each with its counts and
      KPI values.
    - ``breakdowns``: each of :data:`BREAKDOWNS` -> rows, largest first.
    - ``backlog``: open incidents by age at ``computed_at`` (core age buckets).
    - ``time_spent``: "technician" (who logged the time), "group" (that technician's
      group) -> rows of worklog minutes on every ticket (any type) logged in the period;
      "ticket" -> the 20 tickets with the most time spent.
    - ``totals``: the period's summed counts (what the breakdowns add up to).
    """

    since: datetime
    until: datetime
    computed_at: datetime
    tiles: list[Figure]
    tile_tickets: Mapping[str, TicketFilter]
    trends: Mapping[str, list[KpiRow]]
    breakdowns: Mapping[str, list[KpiRow]]
    backlog: list[KpiRow]
    time_spent: Mapping[str, list[KpiRow]]
    totals: Mapping[str, int]


@reads
def dashboard(session: Session, since: datetime, until: datetime) -> Dashboard:
    """Every figure of the dashboard for incidents logged in [since, until).

    ``since`` and ``until`` are aware datetimes; an empty or reversed period is refused
    (InvalidValue naming "since"). Fast at a million tickets: the sums come from the
    local summary tables (:mod:`desk_app.storage.kpi_summary`)."""
    if since.tzinfo is None or until.tzinfo is None:
        raise InvalidValue("since", "the period needs times with a time zone")
    checked_period(since, until)
    now = session.now()
    span = (to_millis(since), to_millis(until))
    now_ms = to_millis(now)
    sums = kpi_sums(*span, now_ms)
    groups, people = names()
    base = TicketFilter(types=("incident",), not_cancelled=True, logged_between=span)
    targets = KpiTargets.from_section(session.policy.sections.get("kpi_targets"))

    breakdowns: dict[str, list[KpiRow]] = {}
    for dim in BREAKDOWNS:
        rows = []
        for stored, sums_row in sums.by_dim[dim].items():
            key, label = _named(dim, stored, groups, people)
            rows.append(_row(key, label, sums_row, _narrowed(base, dim, key)))
        breakdowns[dim] = sorted(rows, key=lambda r: (-r.counts["logged"], r.label))
    by_priority = {row.key: KpiTotals.of(row.counts.values())
                   for row in breakdowns["priority"]}
    tiles = kpi_tiles(sums.total, by_priority, targets)
    return Dashboard(
        since=since, until=until, computed_at=now, tiles=tiles,
        tile_tickets=_tile_tickets(base, tiles, now_ms),
        trends={"week": _trend(sums.by_week, span, base, "week"),
                "month": _trend(sums.by_month, span, base, "month")},
        breakdowns=breakdowns,
        backlog=_backlog(span, now_ms),
        time_spent=_time_spent(span, groups, people),
        totals=sums.total.as_dict())


@reads
def first_logged(session: Session) -> datetime | None:
    """When the first incident was logged (UTC), if any: where an open period starts."""
    first = first_incident_logged()
    return None if first is None else from_millis(first)


def _made_row(key: str, label: str, counts: Mapping[str, int],
              values: Mapping[str, float | None], tickets: TicketFilter) -> KpiRow:
    """A KpiRow without the frozen dataclass's field-by-field __init__ (a dashboard
    makes some 150 of them)."""
    made = object.__new__(KpiRow)
    made.__dict__.update(key=key, label=label, counts=counts, values=values,
                         tickets=tickets)
    return made


def _row(key: str, label: str, sums: Sequence[int], tickets: TicketFilter) -> KpiRow:
    """The row of ``sums`` (in TOTAL_FIELDS order)."""
    return _made_row(key, label, dict(zip(TOTAL_FIELDS, sums, strict=True)),
                     row_values(sums), tickets)


NONE_LABEL = "(none)"


def _named(dim: str, stored: str, groups: Mapping[str, str],
           people: Mapping[str, tuple[str, str, str | None]]) -> tuple[str, str]:
    """The row key a filter can use (group name, login) and its label."""
    if not stored:
        return "", NONE_LABEL
    if dim == "group":
        name = groups.get(stored, stored)
        return name, name
    if dim == "technician":
        login, name, _ = people.get(stored, (stored, stored, None))
        return login, name
    return stored, human_label(stored)


# The TicketFilter field selecting a breakdown's key (a priority goes in a tuple).
_CRITERIA: dict[str, str] = {"priority": "priorities", "category": "category",
                             "service": "service", "group": "group",
                             "technician": "assignee", "channel": "channel"}


def _with(base: TicketFilter, **changes: object) -> TicketFilter:
    """A copy of ``base`` with ``changes`` (dataclasses.replace costs ten times more)."""
    fields = base.__dict__.copy()
    fields.update(changes)
    narrowed = object.__new__(TicketFilter)
    narrowed.__dict__ = fields
    return narrowed


def _narrowed(base: TicketFilter, dim: str, key: str) -> TicketFilter:
    fields = base.__dict__.copy()
    if not key:
        fields["unset"] = (dim,)
    else:
        fields[_CRITERIA[dim]] = (key,) if dim == "priority" else key
    narrowed = object.__new__(TicketFilter)
    narrowed.__dict__ = fields
    return narrowed


# Every tile lists the tickets it measures (its figure's count: a rate's denominator,
# a mean's tickets), so a click shows as many tickets as the tile says. ``now`` stands
# for the moment the period is computed at (SLA outcomes of open incidents change).
_TILE_CRITERIA: dict[str, dict] = {
    "sla_compliance": {"sla_known_at": "now"},
    "first_contact_resolution": {"resolved": True},
    "recurrence": {"ever_resolved": True},
    "satisfaction": {"rated": True},
    "mttr_detection_hours": {"resolved": True},
    "mttr_logging_hours": {"resolved": True},
    "mean_time_to_detect_hours": {"detected": True},
    "reopen_rate": {"ever_resolved": True},
    "resolved_by_knowledge": {"resolved": True},
    "backlog": {"open_only": True},
    "time_spent_hours": {},
}
_RESOLVED = "the resolved incidents"
_EVER_RESOLVED = "the incidents ever resolved (resolved now, or reopened since)"
# What each tile's tickets are, as its tooltip says it.
TILE_TICKETS_DESCRIBED: dict[str, str] = {
    "sla_compliance": "the incidents whose SLA outcome is known (resolved with a target "
                      "or a recorded breach, or open and already past the target)",
    "first_contact_resolution": _RESOLVED,
    "recurrence": _EVER_RESOLVED,
    "satisfaction": "the incidents with a satisfaction answer",
    "mttr_detection_hours": _RESOLVED,
    "mttr_logging_hours": _RESOLVED,
    "mean_time_to_detect_hours": "the incidents whose detection time is known",
    "reopen_rate": _EVER_RESOLVED,
    "resolved_by_knowledge": _RESOLVED,
    "backlog": "the open incidents",
    "time_spent_hours": "every incident logged in the period, with or without time "
                        "logged on it",
}


def tile_tickets_described(key: str) -> str:
    """Which tickets tile ``key`` measures and its click lists ("the resolved incidents")."""
    if key.startswith("mttr_P"):
        return f"the resolved {key[5:]} incidents"
    return TILE_TICKETS_DESCRIBED.get(key, "the incidents of the period")


def _tile_tickets(base: TicketFilter, tiles: list[Figure],
                  now_ms: int) -> dict[str, TicketFilter]:
    found = {}
    for tile in tiles:
        if tile.key.startswith("mttr_P"):
            found[tile.key] = _with(base, resolved=True, priorities=(tile.key[5:],))
        else:
            criteria = {name: now_ms if value == "now" else value
                        for name, value in _TILE_CRITERIA.get(tile.key, {}).items()}
            found[tile.key] = _with(base, **criteria)
    return found


def _bucket(grain: str, first_day: int) -> tuple[date, str, str, int]:
    """The trend bucket starting on UTC day ``first_day``: its first day, key, label and
    the day after it."""
    start = date.fromordinal(EPOCH_ORDINAL + first_day)
    if grain == "week":
        year, week, _ = start.isocalendar()
        return start, start.isoformat(), f"{year}-W{week:02d}", first_day + 7
    try:
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    except OverflowError:  # the last bucket of year 9999 ends after the calendar does
        end = date.max
    return start, start.isoformat(), start.strftime("%b %Y"), end.toordinal() - EPOCH_ORDINAL


@lru_cache(maxsize=64)
def _buckets(grain: str, since: int, until: int
             ) -> tuple[tuple[date, str, str, tuple[int, int]], ...]:
    """Every bucket of a period from its first day to its last (UTC days of logging):
    first day, key, label and the logging times it selects. The same on every refresh of
    the period, so made once."""
    found = []
    first_day, last_day = since // DAY_MS, (until - 1) // DAY_MS
    start = week_start(first_day) if grain == "week" else month_start(first_day)
    day = start.toordinal() - EPOCH_ORDINAL
    while day <= last_day:
        start, key, label, end = _bucket(grain, day)
        found.append((start, key, label, (max(since, day * DAY_MS), min(until, end * DAY_MS))))
        day = end
    return tuple(found)


def _trend(buckets: Mapping[date, Sequence[int]], span: tuple[int, int], base: TicketFilter,
           grain: str) -> list[KpiRow]:
    """Every bucket from the period's first day to its last (UTC days of logging),
    empty ones included, in time order."""
    rows = []
    fields = base.__dict__
    for start, key, label, bounds in _buckets(grain, *span):
        sums = buckets.get(start)
        if sums is None:
            counts, values = dict(_EMPTY_COUNTS), dict(_EMPTY_VALUES)
        else:
            counts, values = dict(zip(TOTAL_FIELDS, sums, strict=True)), row_values(sums)
        tickets = object.__new__(TicketFilter)
        tickets.__dict__ = fields.copy()
        tickets.__dict__["logged_between"] = bounds
        rows.append(_made_row(key, label, counts, values, tickets))
    return rows


EMPTY = KpiTotals()
_EMPTY_COUNTS, _EMPTY_VALUES = EMPTY.as_dict(), kpi_values(EMPTY)


_OPEN_INCIDENTS = TicketFilter(types=("incident",), open_only=True)


def _backlog(span: tuple[int, int], now_ms: int) -> list[KpiRow]:
    rows = []
    for label, count in backlog_by_age(*span, now_ms).items():
        start, end = age_bounds(label, now_ms)
        bounds = (max(span[0], start), max(min(span[1], end), max(span[0], start)))
        rows.append(_made_row(label, human_label(label), {"open": count}, {},
                              _with(_OPEN_INCIDENTS, logged_between=bounds)))
    return rows


def _time_row(key: str, label: str, minutes: int, entries: int,
              tickets: TicketFilter) -> KpiRow:
    return _made_row(key, label, {"minutes": minutes, "entries": entries},
                     {"time_spent_hours": round(minutes / 60, 2)}, tickets)


_ANY_TICKET = TicketFilter()


def _time_spent(span: tuple[int, int], groups: Mapping[str, str],
                people: Mapping[str, tuple[str, str, str | None]]) -> dict[str, list[KpiRow]]:
    """Worklog time on every ticket logged in the period, by author, group, ticket."""
    by_login = time_by_login(*span)
    names_by_login = {login: (name, group) for login, name, group in people.values()}
    base = TicketFilter(logged_between=span)
    technicians, by_group = [], {}
    for login, (minutes, entries) in by_login.items():
        name, group = names_by_login.get(login, (login, None))
        technicians.append(_time_row(login, name, minutes, entries,
                                     _with(base, worked_by=login)))
        spent = by_group.setdefault(group or "", [0, 0])
        spent[0], spent[1] = spent[0] + minutes, spent[1] + entries
    group_rows = [_time_row(group, group or NONE_LABEL, minutes, entries,
                            _with(base, worked_by_group=group))
                  for group, (minutes, entries) in by_group.items()]
    tickets = [_time_row(row["number"], f"{row['number']} {row['summary']}",
                         row["minutes"], row["entries"], _with(_ANY_TICKET, ids=(row["id"],)))
               for row in top_tickets_by_time(*span)]
    largest = lambda r: (-r.counts["minutes"], r.label)  # noqa: E731
    return {"technician": sorted(technicians, key=largest),
            "group": sorted(group_rows, key=largest), "ticket": tickets}
