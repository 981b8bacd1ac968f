from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.durations import spoken_duration


def test_a_length_grows_coarser_as_it_grows():
    assert spoken_duration(timedelta(minutes=12)) == "12m"
    assert spoken_duration(timedelta(hours=3, minutes=5)) == "3h 05m"
    assert spoken_duration(timedelta(days=1)) == "1d"
    assert spoken_duration(timedelta(days=1, hours=4, minutes=59)) == "1d 4h"
    assert spoken_duration(timedelta(days=5, hours=17)) == "5d"


def test_narrow_places_drop_the_minutes_from_a_threshold():
    assert spoken_duration(timedelta(hours=7, minutes=59), whole_hours_from=3) == "7h"
    assert spoken_duration(timedelta(hours=2, minutes=30), whole_hours_from=3) == "2h 30m"


@given(st.integers(min_value=-10**7, max_value=10**7))
def test_the_sign_is_left_to_the_caller(minutes):
    assert spoken_duration(timedelta(minutes=minutes)) == \
        spoken_duration(timedelta(minutes=-minutes))
