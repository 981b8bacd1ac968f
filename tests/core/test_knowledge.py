import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.errors import InvalidValue, TransitionRefused
from desk_app.core.ids import uuid7
from desk_app.core.knowledge import (
    ALLOWED_TRANSITIONS,
    ArticleStatus,
    article_number,
    check_article_transition,
    checked_fields,
    is_article_number,
    normalised_article_number,
    publishable,
)


def test_numbers_have_the_documented_shape_and_come_from_the_id():
    key = uuid7()
    number = article_number(key)
    assert is_article_number(number) and number == article_number(key)
    assert len(number) == len("KB-7Q2MC-X0F4A")


@given(st.uuids())
def test_every_key_gives_a_well_formed_number(key):
    assert is_article_number(article_number(str(key)))


def test_keys_that_differ_in_their_last_50_bits_get_different_numbers():
    base = uuid.UUID(uuid7()).int
    numbers = {article_number(str(uuid.UUID(int=base ^ (1 << bit)))) for bit in range(50)}
    assert len(numbers) == 50


def test_typed_numbers_are_read_with_look_alike_letters():
    number = article_number(uuid7())
    typed = number.lower().replace("1", "l").replace("0", "o")
    assert normalised_article_number(f"  {typed} ") == number


@pytest.mark.parametrize(("current", "target"), [
    (current, target) for current in ArticleStatus for target in ArticleStatus])
def test_transitions_follow_the_table_and_refusals_name_the_rule(current, target):
    if target in ALLOWED_TRANSITIONS[current]:
        check_article_transition(current, target)
    else:
        with pytest.raises(TransitionRefused) as err:
            check_article_transition(current, target)
        assert err.value.field == "article_status"
        assert "article lifecycle" in err.value.message


def test_lifecycle_is_draft_published_retired_and_back_to_draft():
    assert ALLOWED_TRANSITIONS[ArticleStatus.DRAFT] == {ArticleStatus.PUBLISHED}
    assert ArticleStatus.DRAFT in ALLOWED_TRANSITIONS[ArticleStatus.PUBLISHED]
    assert ALLOWED_TRANSITIONS[ArticleStatus.RETIRED] == {ArticleStatus.DRAFT}


@pytest.mark.parametrize("title", [None, "", "   "])
def test_an_article_without_a_title_is_refused(title):
    with pytest.raises(InvalidValue) as err:
        checked_fields({"title": title, "solution": "Restart"}, creating=True)
    assert err.value.field == "title"


def test_fields_are_tidied_and_unknown_ones_refused():
    checked = checked_fields({"title": " VPN ", "category": " ", "symptoms": " drops\n"},
                             creating=True)
    assert checked == {"title": "VPN", "category": None, "symptoms": "drops"}
    with pytest.raises(InvalidValue) as err:
        checked_fields({"status": "published"}, creating=False)
    assert err.value.field == "status"
    with pytest.raises(InvalidValue) as err:
        checked_fields({"title": "x" * 201}, creating=False)
    assert err.value.field == "title"


def test_publishing_needs_a_solution():
    with pytest.raises(InvalidValue) as err:
        publishable({"title": "VPN", "solution": " "})
    assert err.value.field == "solution"
    publishable({"title": "VPN", "solution": "Restart the client"})
