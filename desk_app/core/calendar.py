"""Business calendars: working hours per weekday in a time zone, minus holidays.

Every working interval is built from local wall-clock times for one local date and
converted to UTC, so arithmetic is right across nights, weekends, holidays and DST
changes (a 23- or 25-hour day simply has a shorter or longer 24x7 interval).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desk_app.core.errors import InvalidValue

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
_SEARCH_LIMIT_DAYS = 3 * 366

Span = tuple[int, int]  # minutes from local midnight, end exclusive; 1440 means 24:00


def parse_span(text: str) -> Span:
    """``"08:00-18:00"`` as ``(480, 1080)``; ``"00:00-24:00"`` is the whole day."""
    try:
        start_text, end_text = text.split("-")
        start, end = _minutes(start_text), _minutes(end_text)
    except ValueError:
        raise InvalidValue("calendar.hours", f"{text!r} is not HH:MM-HH:MM") from None
    if not 0 <= start < end <= MINUTES_PER_DAY:
        raise InvalidValue("calendar.hours", f"{text!r}: start must be before end, within 24:00")
    return start, end


def _minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    if not (hours.isdigit() and minutes.isdigit() and int(minutes) < 60):
        raise ValueError(text)
    return int(hours) * 60 + int(minutes)


def format_span(span: Span) -> str:
    """The inverse of :func:`parse_span`."""
    return "{:02d}:{:02d}-{:02d}:{:02d}".format(*divmod(span[0], 60), *divmod(span[1], 60))


@dataclass(frozen=True, eq=False)
class BusinessCalendar:
    """Working hours per weekday (0 = Monday) in ``time_zone``, minus holidays.

    ``holidays`` are explicit dates; ``country`` (and ``subdivision``) add that
    country's public holidays from the ``holidays`` package.
    """

    name: str
    time_zone: str
    hours: Mapping[int, tuple[Span, ...]]
    holidays: frozenset[date] = frozenset()
    country: str | None = None
    subdivision: str | None = None
    _day_cache: dict[date, tuple[tuple[datetime, datetime], ...]] = field(
        default_factory=dict, repr=False
    )
    _country_cache: dict[int, frozenset[date]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise InvalidValue(
                f"calendars.{self.name}.time_zone", f"unknown time zone {self.time_zone!r}"
            ) from None
        for weekday, spans in self.hours.items():
            ordered = sorted(spans)
            for (_, end), (start, _) in pairwise(ordered):
                if start < end:
                    raise InvalidValue(
                        f"calendars.{self.name}.hours",
                        f"{WEEKDAYS[weekday]} has overlapping working hours",
                    )
        if not any(self.hours.values()):
            raise InvalidValue(f"calendars.{self.name}.hours", "no working hours on any day")
        if self.country:
            self._public_holidays(2000)  # refuse an unknown country now, not mid-calculation

    @classmethod
    def always_open(cls, name: str = "24x7", time_zone: str = "UTC") -> "BusinessCalendar":
        """A calendar that never closes."""
        return cls(name, time_zone, {d: ((0, MINUTES_PER_DAY),) for d in range(7)})

    @classmethod
    def from_dict(cls, name: str, data: Mapping) -> "BusinessCalendar":
        """Build from the policy form: ``{time_zone, hours: {mon: ["08:00-18:00"]}, ...}``."""
        hours: dict[int, tuple[Span, ...]] = {}
        for key, spans in dict(data.get("hours", {})).items():
            if key not in WEEKDAYS:
                raise InvalidValue(f"calendars.{name}.hours", f"unknown weekday {key!r}")
            hours[WEEKDAYS.index(key)] = tuple(sorted(parse_span(s) for s in spans))
        holidays = frozenset(_parse_date(f"calendars.{name}.holidays", d)
                             for d in data.get("holidays", []))
        return cls(
            name=name,
            time_zone=str(data.get("time_zone", "UTC")),
            hours=hours,
            holidays=holidays,
            country=data.get("country") or None,
            subdivision=data.get("subdivision") or None,
        )

    def to_dict(self) -> dict:
        """The stored form, the inverse of :meth:`from_dict`."""
        data: dict = {
            "time_zone": self.time_zone,
            "hours": {WEEKDAYS[d]: [format_span(s) for s in spans]
                      for d, spans in sorted(self.hours.items()) if spans},
            "holidays": sorted(d.isoformat() for d in self.holidays),
        }
        if self.country:
            data["country"] = self.country
        if self.subdivision:
            data["subdivision"] = self.subdivision
        return data

    @cached_property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.time_zone)

    @cached_property
    def nominal_day(self) -> timedelta:
        """The length of the longest working day: the business time of a fraction of a
        business day (``0.5bd``) and of the SLA warning share of a business-day target.
        Whole business days are counted on the calendar (:meth:`add_working_days`)."""
        return timedelta(minutes=max(sum(e - s for s, e in spans)
                                     for spans in self.hours.values()))

    def is_holiday(self, day: date) -> bool:
        """True on an explicit holiday or a public holiday of the calendar's country."""
        return day in self.holidays or (
            self.country is not None and day in self._public_holidays(day.year)
        )

    def _public_holidays(self, year: int) -> frozenset[date]:
        cached = self._country_cache.get(year)
        if cached is None:
            import holidays as holiday_data  # imported late: it is slow to import

            try:
                found = holiday_data.country_holidays(
                    self.country, subdiv=self.subdivision, years=year
                )
            except NotImplementedError:
                raise InvalidValue(
                    f"calendars.{self.name}.country",
                    f"no public holidays known for {self.country!r}/{self.subdivision!r}",
                ) from None
            cached = self._country_cache[year] = frozenset(found)
        return cached

    def intervals_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The working intervals of local date ``day``, as aware UTC datetimes."""
        cached = self._day_cache.get(day)
        if cached is not None:
            return cached
        intervals: list[tuple[datetime, datetime]] = []
        if not self.is_holiday(day):
            midnight = datetime(day.year, day.month, day.day)
            previous_end: datetime | None = None
            for start, end in self.hours.get(day.weekday(), ()):
                a = self._to_utc(midnight + timedelta(minutes=start))
                b = self._to_utc(midnight + timedelta(minutes=end))
                if previous_end is not None and a < previous_end:
                    a = previous_end  # only on a fall-back night: keep intervals disjoint
                if a < b:
                    intervals.append((a, b))
                    previous_end = b
        result = tuple(intervals)
        if len(self._day_cache) > 20_000:
            self._day_cache.clear()
        self._day_cache[day] = result
        return result

    def _to_utc(self, local_wall_time: datetime) -> datetime:
        return local_wall_time.replace(tzinfo=self.zone).astimezone(UTC)

    def _local_date(self, moment: datetime) -> date:
        return _aware(moment).astimezone(self.zone).date()

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of working time after ``start``."""
        start = _aware(start).astimezone(UTC)
        if duration <= timedelta(0):
            return start
        remaining = duration
        day = self._local_date(start)
        for _ in range(_SEARCH_LIMIT_DAYS):
            for a, b in self.intervals_on(day):
                if b <= start:
                    continue
                begin = max(a, start)
                available = b - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += timedelta(days=1)
        raise InvalidValue(
            f"calendars.{self.name}", f"no working time within {_SEARCH_LIMIT_DAYS} days"
        )

    def next_working_moment(self, moment: datetime) -> datetime:
        """``moment`` when it is inside working hours, else the start of the next working
        interval."""
        moment = _aware(moment).astimezone(UTC)
        day = self._local_date(moment)
        for _ in range(_SEARCH_LIMIT_DAYS):
            for a, b in self.intervals_on(day):
                if b > moment:
                    return max(a, moment)
            day += timedelta(days=1)
        raise InvalidValue(
            f"calendars.{self.name}", f"no working time within {_SEARCH_LIMIT_DAYS} days"
        )

    def is_working_day(self, day: date) -> bool:
        """True when local date ``day`` has working hours (holidays have none)."""
        return bool(self.intervals_on(day))

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same local time of day, ``days`` working days after ``start``.

        ``start`` outside working hours counts from the next working moment (logged
        Saturday, one business day is Tuesday's opening time). Days without working hours
        (weekends, holidays) are skipped, whatever length the working days have. When the
        landing day's hours do not cover that time of day, the due moment is the last
        working moment before it that day (a short Friday closes at 13:00: due 13:00), or
        the day's opening time when the day opens later.
        """
        begin = self.next_working_moment(start)
        if days <= 0:
            return begin
        local = begin.astimezone(self.zone)
        time_of_day = local.replace(tzinfo=None) - datetime.combine(local.date(), time())
        day, counted = local.date(), 0
        for _ in range(_SEARCH_LIMIT_DAYS):
            day += timedelta(days=1)
            counted += self.is_working_day(day)
            if counted == days:
                break
        else:
            raise InvalidValue(
                f"calendars.{self.name}", f"no {days} working days within "
                f"{_SEARCH_LIMIT_DAYS} days")
        wanted = self._to_utc(datetime.combine(day, time()) + time_of_day)
        intervals = self.intervals_on(day)
        due = intervals[0][0]
        for a, b in intervals:
            if a <= wanted:
                due = min(b, wanted)
        return due

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Working time between ``start`` and ``end`` (zero when ``end`` is not later)."""
        start = _aware(start).astimezone(UTC)
        end = _aware(end).astimezone(UTC)
        total = timedelta(0)
        if end <= start:
            return total
        day, last_day = self._local_date(start), self._local_date(end)
        while day <= last_day:
            for a, b in self.intervals_on(day):
                overlap = min(b, end) - max(a, start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def is_working(self, moment: datetime) -> bool:
        """True when ``moment`` falls inside working hours."""
        moment = _aware(moment).astimezone(UTC)
        return any(a <= moment < b for a, b in self.intervals_on(self._local_date(moment)))


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise InvalidValue("time", f"{moment.isoformat()} has no time zone")
    return moment


def _parse_date(field_name: str, value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidValue(field_name, f"{value!r} is not a date (YYYY-MM-DD)") from None

