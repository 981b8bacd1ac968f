"""Satisfaction conditions of a listing: how they read, what they keep, their spelling."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.errors import InvalidValue
from desk_app.core.satisfaction_filter import ScoreRange, score_range

SCORES_OR_NONE = [None, 1, 2, 3, 4, 5]
OPERATORS = {"<=": lambda s, n: s <= n, ">=": lambda s, n: s >= n,
             "<": lambda s, n: s < n, ">": lambda s, n: s > n, "": lambda s, n: s == n}


@given(st.sampled_from(sorted(OPERATORS)), st.integers(min_value=0, max_value=8))
def test_a_comparison_keeps_the_scores_it_says_and_never_the_unrated(operator, number):
    kept = [s for s in range(1, 6) if OPERATORS[operator](s, number)]
    text = f"{operator}{number}"
    if not kept or (operator == "" and number not in range(1, 6)):
        with pytest.raises(InvalidValue) as err:
            score_range(text)
        assert err.value.field == "satisfaction"
        return
    found = score_range(f" {operator} {number} ")
    assert [s for s in range(1, 6) if found.keeps(s)] == kept
    assert not found.keeps(None)


@given(st.integers(min_value=1, max_value=5), st.integers(min_value=1, max_value=5))
def test_a_span_keeps_its_ends_and_refuses_backwards(low, high):
    if low > high:
        with pytest.raises(InvalidValue, match="low to high"):
            score_range(f"{low}-{high}")
        return
    found = score_range(f"{low}-{high}")
    assert [s for s in SCORES_OR_NONE if found.keeps(s)] == list(range(low, high + 1))


@given(st.integers(min_value=1, max_value=5), st.integers(min_value=1, max_value=5),
       st.booleans())
def test_the_spelling_reads_back_as_the_same_condition(low, high, unrated):
    wanted = ScoreRange(min(low, high), max(low, high), unrated)
    if unrated:
        wanted = ScoreRange(unrated=True)
    again = score_range(wanted.spelling())
    assert again == wanted
    assert [again.keeps(s) for s in SCORES_OR_NONE] == [wanted.keeps(s) for s in SCORES_OR_NONE]


def test_words_and_labels():
    assert score_range("NONE").keeps(None) and not score_range("none").keeps(3)
    assert all(score_range("rated").keeps(s) for s in range(1, 6))
    assert not score_range("rated").keeps(None)
    assert [score_range(t).label() for t in ("none", "rated", "<=2", ">=4", "3", "2-4")] == [
        "Not rated", "Rated", "2 or less", "4 or more", "3 of 5", "2 to 4"]


@pytest.mark.parametrize("text", ["", "bad", "2.5", "<=", "=>3", "1-9", "three", "<<2", ">-1"])
def test_what_is_not_a_condition_is_refused_naming_the_field_and_the_grammar(text):
    with pytest.raises(InvalidValue) as err:
        score_range(text)
    assert err.value.field == "satisfaction"
    assert "<=2" in err.value.message


@pytest.mark.parametrize("text", ["9" * 5000, "<=" + "9" * 5000, "1-" + "9" * 5000,
                                  ">" + "9" * 5000])
def test_a_number_of_thousands_of_digits_is_read_not_a_crash(text):
    if text.startswith("<="):
        assert score_range(text) == ScoreRange()  # at most a huge score: any score
        return
    with pytest.raises(InvalidValue) as err:
        score_range(text)
    assert err.value.field == "satisfaction"


def test_leading_zeros_and_a_clamped_bound_still_read():
    assert score_range("003") == ScoreRange(3, 3)
    assert score_range("<=0000009") == ScoreRange()
