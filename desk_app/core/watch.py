"""The watcher's rules: what is due on a ticket at a moment, and when it became due.

Pure functions over a ticket's stored clock facts and the policy. Every rule says when
it happened (a breach at the due time, an escalation when its share of the target was
used), so a desk that was off for days records each at its own moment, and the next
moment something becomes due, so a scheduler can sleep until then.

A threshold of p % of a target is reached when p % of the target's business time is
used: the moment when (100 - p) % of it is left before the due time. The warning uses
the rule the queues use (:meth:`desk_app.core.sla.SlaPolicy.warning_rest`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from desk_app.core.calendar import BusinessCalendar
from desk_app.core.enums import PRIORITIES, Status, SupportLevel
from desk_app.core.errors import InvalidValue
from desk_app.core.sla_clock import is_breached

if TYPE_CHECKING:  # the policy holds WatchRules: only the type is needed here
    from desk_app.core.policy import Policy

_SEARCH_LIMIT_DAYS = 3 * 366
ONE_MS = timedelta(milliseconds=1)
NOT_STARTED = (Status.NEW.value, Status.ASSIGNED.value)  # nobody took the ticket up
OPEN = tuple(s.value for s in (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS,
                               Status.ON_HOLD))


@dataclass(frozen=True)
class WatchRules:
    """The policy's automatic rules beyond the hierarchic thresholds (``escalation``)."""

    functional_at_percent: Mapping[str, float] = field(default_factory=dict)
    l3_priorities: frozenset[str] = frozenset()
    raise_priority: bool = False

    @classmethod
    def from_section(cls, escalation: Mapping) -> "WatchRules":
        """Read from the policy's ``escalation`` section (every key optional)."""
        percents = dict(escalation.get("functional_at_percent", {}))
        for priority, value in percents.items():
            if priority not in PRIORITIES:
                raise InvalidValue(f"escalation.functional_at_percent.{priority}",
                                   "must be one of P1..P4")
            check_percent(f"escalation.functional_at_percent.{priority}", value)
        l3 = frozenset(escalation.get("l3_priorities", ()))
        if not l3 <= set(PRIORITIES):
            raise InvalidValue("escalation.l3_priorities", "must be among P1..P4")
        return cls({p: float(v) for p, v in percents.items()}, l3,
                   bool(escalation.get("raise_priority_on_response_breach", False)))


def check_percent(key: str, value: object) -> float:
    """A threshold: a number above 0 and at most 100 (% of a target)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        raise InvalidValue(key, f"{value!r} is not a share of the target above 0 and at "
                           "most 100 %")
    return float(value)


def raised(priority: str) -> str:
    """One step more urgent (P1 stays P1)."""
    return PRIORITIES[max(PRIORITIES.index(priority) - 1, 0)]


def moment_before(calendar: BusinessCalendar, due: datetime, rest: timedelta) -> datetime:
    """The moment when ``rest`` business time is left before ``due`` on ``calendar``."""
    due = due.astimezone(UTC)
    if rest <= timedelta(0):
        return due
    remaining = rest
    day = due.astimezone(calendar.zone).date()
    for _ in range(_SEARCH_LIMIT_DAYS):
        for start, end in reversed(calendar.intervals_on(day)):
            if start >= due:
                continue
            end = min(end, due)
            if remaining <= end - start:
                return end - remaining
            remaining -= end - start
        day -= timedelta(days=1)
    return datetime.min.replace(tzinfo=UTC)  # longer ago than any calendar goes back


def threshold_moment(calendar: BusinessCalendar, due: datetime, length: timedelta,
                     percent: float) -> datetime:
    """When ``percent`` % of a target of business time ``length`` due at ``due`` is used."""
    if percent >= 100:
        return due.astimezone(UTC)
    return moment_before(calendar, due, length * (1 - percent / 100))


@dataclass(frozen=True)
class Due:
    """A rule that applies to a ticket: ``rule`` (breach, warning, hierarchic,
    functional), ``key`` (the clock or the level), ``at`` when it became due."""

    rule: str
    key: str
    at: datetime


@dataclass(frozen=True)
class ClockFacts:
    """What the rules read of a ticket (times aware)."""

    priority: str
    status: str
    support_level: str
    hierarchic_level: int
    logged_at: datetime
    response_due: datetime
    resolution_due: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    stopped_since: datetime | None
    response_breached: bool
    resolution_breached: bool


@dataclass
class Verdict:
    """What is due on one ticket now, and the next moment something will be."""

    due: list[Due] = field(default_factory=list)
    next_at: datetime | None = None

    def later(self, moment: datetime, now: datetime) -> None:
        """Note a moment something becomes due (only future ones count)."""
        if moment > now and (self.next_at is None or moment < self.next_at):
            self.next_at = moment


def due_rules(facts: ClockFacts, policy: "Policy", now: datetime) -> Verdict:
    """Every rule due on an open ticket at ``now`` (a warning only before its breach),
    each with the moment it became due; and the next moment one will."""
    verdict = Verdict()
    if facts.status not in OPEN:
        return verdict
    sla = policy.sla
    target = sla.targets[facts.priority]
    calendar = target.calendar
    if facts.responded_at is None:
        _response_rules(facts, policy, calendar, now, verdict)
    if facts.resolved_at is None:
        length = target.resolution.length(calendar, facts.logged_at)
        due = facts.resolution_due
        end = facts.stopped_since or now
        running = facts.stopped_since is None
        if running and not is_breached(due, now):
            _warning(verdict, "resolution", moment_before(
                calendar, due, sla.warning_rest(facts.priority, "resolution")), now)
        for number, level in enumerate(policy.hierarchic.levels, start=1):
            moment = threshold_moment(calendar, due, length, level.at_percent)
            if number <= facts.hierarchic_level:
                continue
            if moment <= end:
                verdict.due.append(Due("hierarchic", str(number), moment))
            elif running:
                verdict.later(moment, now)
        if is_breached(due, end):
            if not facts.resolution_breached:
                verdict.due.append(Due("breach", "resolution", due.astimezone(UTC)))
        elif running:
            verdict.later(due.astimezone(UTC) + ONE_MS, now)
    return verdict


def _response_rules(facts: ClockFacts, policy: "Policy", calendar: BusinessCalendar, now: datetime,
                    verdict: Verdict) -> None:
    due = facts.response_due
    if not is_breached(due, now):
        _warning(verdict, "response", moment_before(
            calendar, due, policy.sla.warning_rest(facts.priority, "response")), now)
    percent = policy.watch.functional_at_percent.get(facts.priority)
    if percent is not None and facts.support_level == SupportLevel.L1.value \
            and facts.status in NOT_STARTED:
        length = policy.sla.target(facts.priority, "response").length(calendar,
                                                                      facts.logged_at)
        moment = threshold_moment(calendar, due, length, percent)
        if moment <= now:
            verdict.due.append(Due("functional", SupportLevel.L2.value, moment))
        else:
            verdict.later(moment, now)
    if is_breached(due, now):
        if not facts.response_breached:
            verdict.due.append(Due("breach", "response", due.astimezone(UTC)))
    else:
        verdict.later(due.astimezone(UTC) + ONE_MS, now)


def _warning(verdict: Verdict, clock: str, moment: datetime, now: datetime) -> None:
    if moment <= now:
        verdict.due.append(Due("warning", clock, moment))
    else:
        verdict.later(moment, now)


def rule_rest(policy: "Policy", priority: str, clock: str, percent: float) -> timedelta:
    """The most business time left before its due time when a rule at ``percent`` of
    ``clock``'s target can be due on a ticket of ``priority`` (the target's nominal
    length, never shorter than its length on any day): a ticket due later than
    ``calendar.add(now, this)`` has nothing due for that rule (what the watcher's queries
    narrow by)."""
    target = policy.sla.targets[priority]
    return getattr(target, clock).nominal(target.calendar) * (1 - percent / 100)


def earliest(moments: Sequence[datetime | None]) -> datetime | None:
    """The earliest of the given moments (None when there is none)."""
    known = [m for m in moments if m is not None]
    return min(known) if known else None


RHYTHM_RULES = ("update_due", "update_missed")


def rhythm_rules(due_at: datetime | None, missed_after: timedelta, now: datetime) -> Verdict:
    """The communications rhythm of a running major incident whose next update is due
    at ``due_at`` (None: no update is due, e.g. after the final one): "update_due" at
    that moment, "update_missed" ``missed_after`` later; each keyed by the due moment
    (epoch millis), so each due moment is told once. The next moment one of them comes
    due is the verdict's ``next_at``."""
    verdict = Verdict()
    if due_at is None:
        return verdict
    due_at = due_at.astimezone(UTC)
    key = str(int(due_at.timestamp() * 1000))
    for rule, moment in (("update_due", due_at), ("update_missed", due_at + missed_after)):
        if moment <= now:
            verdict.due.append(Due(rule, key, moment))
        else:
            verdict.later(moment, now)
    return verdict
