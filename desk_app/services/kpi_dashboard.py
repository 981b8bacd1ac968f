"""Everything the KPI dashboard shows for a period, in one read.

The period is [since, until): the incidents LOGGED in it (the cohort the existing report
uses). Tiles, trends and breakdowns are sums of :class:`~desk_app.core.kpi_totals.KpiTotals`
(so every breakdown adds up to the tiles' totals); the backlog and the open tickets past
their target are read live at the session's instant.

Every row carries a :class:`~desk_app.storage.ticket_queries.TicketFilter` selecting
"the tickets behind it", which the dashboard opens as a queue.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from desk_app.core.kpi_figures import Figure
from desk_app.services.session import Session, reads
from desk_app.storage.ticket_queries import TicketFilter

BREAKDOWNS = ("priority", "category", "service", "group", "technician", "channel")
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
    (:data:`desk_app.core.kpi_totals.VALUE_KEYS`; empty for backlog and time-spent rows).
    ``tickets`` selects the tickets behind the row (a queue).
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
    - ``trends``: "week" and "month" -> rows in time order (buckets in the team's zone,
      weeks start on Monday), each with its counts and KPI values.
    - ``breakdowns``: each of :data:`BREAKDOWNS` -> rows, largest first.
    - ``backlog``: open incidents by age at ``computed_at`` (core age buckets).
    - ``time_spent``: "technician", "group" -> rows of worklog minutes on the period's
      incidents; "ticket" -> the 20 incidents with the most time spent.
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
    raise NotImplementedError
