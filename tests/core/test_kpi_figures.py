"""A figure rates green, amber or red against its target, in the right direction."""

from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.kpi_figures import Direction, Figure, Rating


def _figure(value, target, direction=Direction.HIGHER, margin=0.1):
    return Figure("k", "K", value, "percent", direction, target, 10, margin)


def test_higher_is_better_rates_green_amber_red():
    assert _figure(91, 90).rating() is Rating.GREEN
    assert _figure(90, 90).rating() is Rating.GREEN
    assert _figure(85, 90).rating() is Rating.AMBER      # 5 short, 9 allowed
    assert _figure(80, 90).rating() is Rating.RED


def test_lower_is_better_rates_the_other_way():
    assert _figure(7, 8, Direction.LOWER).rating() is Rating.GREEN
    assert _figure(8.5, 8, Direction.LOWER).rating() is Rating.AMBER
    assert _figure(12, 8, Direction.LOWER).rating() is Rating.RED


def test_no_target_or_no_value_is_unrated():
    assert _figure(None, 90).rating() is Rating.NONE
    assert _figure(50, None).rating() is Rating.NONE


@given(st.floats(0, 1000), st.floats(0.01, 1000), st.sampled_from(list(Direction)))
def test_meeting_the_target_is_always_green(value, target, direction):
    met = value >= target if direction is Direction.HIGHER else value <= target
    assert (_figure(value, target, direction).rating() is Rating.GREEN) == met
