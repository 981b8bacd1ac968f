"""What a satisfaction answer may be, and how it reads."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.satisfaction import (
    COMMENT_MAX,
    Answer,
    check_rateable,
    checked_comment,
    checked_score,
    mail_comment,
)


@given(st.integers())
def test_only_whole_numbers_one_to_five_are_scores(value):
    if 1 <= value <= 5:
        assert checked_score(value) == value
        assert checked_score(f" {value} ") == value
    else:
        with pytest.raises(InvalidValue) as err:
            checked_score(value)
        assert err.value.field == "score"


def _a_score_as_text(text: str) -> bool:
    """"4", " 04 ": ASCII digits that read as a score (leading zeros allowed)."""
    digits = text.strip()
    return digits.isascii() and digits.isdigit() and digits.lstrip("0") in set("12345")


@given(st.one_of(st.floats(), st.booleans(), st.none(),
                 st.text().filter(lambda t: not _a_score_as_text(t))))
def test_anything_else_is_refused_naming_the_score(value):
    with pytest.raises(InvalidValue) as err:
        checked_score(value)
    assert err.value.field == "score"


def test_comments_are_stripped_and_limited():
    assert checked_comment("  ok  ") == "ok"
    assert checked_comment("   ") is None and checked_comment(None) is None
    assert checked_comment("x" * COMMENT_MAX) == "x" * COMMENT_MAX
    with pytest.raises(InvalidValue) as err:
        checked_comment("x" * (COMMENT_MAX + 1))
    assert err.value.field == "comment"


@pytest.mark.parametrize(("kind", "status", "field"), [
    ("incident", "in_progress", "status"), ("incident", "new", "status"),
    ("request", "closed", "type"), ("problem", "resolved", "type")])
def test_only_resolved_or_closed_incidents_are_rated(kind, status, field):
    with pytest.raises(Refused) as err:
        check_rateable("INC-000001", kind, status)
    assert err.value.field == field
    check_rateable("INC-000001", "incident", "resolved")
    check_rateable("INC-000001", "incident", "closed")


def test_an_answer_reads_as_stars_and_text():
    answer = Answer(4, "Quick", None, "mail")
    assert answer.stars() == "★★★★☆" and answer.text() == "4/5 — Quick"
    assert Answer(2, None, None, "technician").text() == "2/5"
    assert answer.satisfied and not Answer(3, None, None, None).satisfied


@pytest.mark.parametrize(("text", "comment"), [
    ("5", None), ("4 - quick, thanks", "quick, thanks"), ("4/5 great\nreally", "great\nreally"),
    ("3 out of 5: ok", "ok")])
def test_the_mailed_comment_is_the_reply_without_its_score(text, comment):
    assert mail_comment(text) == comment


def test_the_status_refusal_reads_the_status_as_a_person_would():
    with pytest.raises(Refused) as err:
        check_rateable("INC-000001", "incident", "in_progress")
    assert "INC-000001 is in progress;" in str(err.value)
    assert "in_progress" not in str(err.value)


@pytest.mark.parametrize("value", ["9" * 5000, "0" * 5000, " 0004 "])
def test_a_score_of_thousands_of_digits_is_refused_not_a_crash(value):
    if value.strip() == "0004":
        assert checked_score(value) == 4
        return
    with pytest.raises(InvalidValue) as err:
        checked_score(value)
    assert err.value.field == "score" and len(err.value.message) <= 120
