"""Column types shared by the models."""

from datetime import UTC, datetime, timedelta

from peewee import BigIntegerField


class MillisField(BigIntegerField):
    """An aware datetime stored as UTC epoch milliseconds: compact, sortable, and
    cheap to subtract in SQL for the KPIs."""

    def db_value(self, value: datetime | int | None) -> int | None:
        if value is None or isinstance(value, int):
            return value
        return to_millis(value)

    def python_value(self, value: int | None) -> datetime | None:
        return None if value is None else from_millis(value)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


def to_millis(moment: datetime) -> int:
    """An aware datetime as UTC epoch milliseconds."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment.isoformat()} has no time zone")
    # whole-number arithmetic: timestamp() * 1000 is a float and lost a millisecond on
    # about one exact value in 170, so a stored time could move when written back
    return (moment - _EPOCH) // _MILLISECOND


def from_millis(millis: int) -> datetime:
    """UTC epoch milliseconds as an aware UTC datetime."""
    return datetime.fromtimestamp(millis / 1000, tz=UTC)
