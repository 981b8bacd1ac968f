"""What a technician wants to be told: which events, and the quiet hours in which the
desk shows no desktop pop-ups (the notification list still holds everything shown)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time

from desk_app.core.errors import InvalidValue

EVENTS = ("assigned", "group_unassigned", "warning", "breach", "escalated",
          "auto_close_skipped", "major_incident", "user_reply", "major_update_due",
          "major_update_missed")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def check_events(names: Iterable[str], field: str = "events") -> frozenset[str]:
    """The event names, refusing one the desk does not know (named in the refusal)."""
    chosen = frozenset(str(n).strip() for n in names if str(n).strip())
    unknown = sorted(chosen - set(EVENTS))
    if unknown:
        raise InvalidValue(field, f"unknown event {unknown[0]!r}; events: {', '.join(EVENTS)}")
    return chosen


def parse_quiet_hours(text: str | None) -> tuple[time, time] | None:
    """``"22:00-07:00"`` as (start, end) local times; empty means no quiet hours. The
    span may wrap past midnight; a span that starts where it ends is refused."""
    text = (text or "").strip()
    if not text:
        return None
    parts = [p.strip() for p in text.split("-")]
    matches = [_CLOCK.match(p) for p in parts] if len(parts) == 2 else []
    if len(matches) != 2 or not all(matches):
        raise InvalidValue("quiet_hours", f"{text[:40]!r} is not a span like 22:00-07:00")
    start, end = (time(int(m.group(1)), int(m.group(2))) for m in matches)
    if start == end:
        raise InvalidValue("quiet_hours", "starts where it ends; leave it empty for none")
    return start, end


def quiet_text(span: tuple[time, time] | None) -> str:
    """Quiet hours as they are stored and shown (empty: none)."""
    return "" if span is None else f"{span[0]:%H:%M}-{span[1]:%H:%M}"


@dataclass(frozen=True)
class NoticePreferences:
    """Events turned off and quiet hours of one technician."""

    muted: frozenset[str] = frozenset()
    quiet: tuple[time, time] | None = None

    def shows(self, event: str) -> bool:
        """Whether notifications of ``event`` are shown at all."""
        return event not in self.muted

    def is_quiet(self, local: time) -> bool:
        """Whether ``local`` (the desk's wall-clock time) falls in the quiet hours."""
        if self.quiet is None:
            return False
        start, end = self.quiet
        local = local.replace(second=0, microsecond=0, tzinfo=None)
        return start <= local < end if start < end else local >= start or local < end

    def pops_up(self, event: str, local: time) -> bool:
        """Whether a new notification of ``event`` becomes a desktop pop-up now."""
        return self.shows(event) and not self.is_quiet(local)
