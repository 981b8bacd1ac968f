"""--next-update of desk-app major update: +30m, +1h or a time; never a crash."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desk_app.cli.major_commands import next_update_time
from desk_app.core.errors import InvalidValue

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_a_relative_time_is_from_now():
    assert next_update_time("+30m", NOW, ZoneInfo("UTC")) == NOW + timedelta(minutes=30)
    assert next_update_time("+ 2h", NOW, ZoneInfo("UTC")) == NOW + timedelta(hours=2)


@pytest.mark.parametrize("text", ["+" + "9" * 5000 + "m", "+99999999999999h"])
def test_an_amount_too_large_is_refused_naming_the_field(text):
    with pytest.raises(InvalidValue) as refused:
        next_update_time(text, NOW, ZoneInfo("UTC"))
    assert refused.value.field == "next_update_at" and "too far ahead" in refused.value.message
