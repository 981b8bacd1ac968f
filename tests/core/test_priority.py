import pytest

from desk_app.core.enums import Level
from desk_app.core.errors import InvalidValue
from desk_app.core.priority import PriorityMatrix, parse_priority

H, M, L = Level.HIGH, Level.MEDIUM, Level.LOW


def test_default_matrix(policy):
    expected = {(H, H): "P1", (H, M): "P2", (M, H): "P2", (H, L): "P3", (M, M): "P3",
                (L, H): "P3", (M, L): "P4", (L, M): "P4", (L, L): "P4"}
    for (impact, urgency), priority in expected.items():
        assert policy.matrix.priority(impact, urgency) == priority


def test_matrix_must_cover_every_cell():
    with pytest.raises(InvalidValue) as err:
        PriorityMatrix.from_dict({"high": {"high": "P1"}})
    assert err.value.field == "priority_matrix"


def test_matrix_rejects_unknown_priority():
    data = {i.value: {u.value: "P9" for u in Level} for i in Level}
    with pytest.raises(InvalidValue):
        PriorityMatrix.from_dict(data)


def test_round_trip(policy):
    assert PriorityMatrix.from_dict(policy.matrix.to_dict()) == policy.matrix


@pytest.mark.parametrize(("text", "expected"), [("P2", "P2"), ("p3", "P3"), ("1 - Critical", "P1"),
                                                ("4", "P4")])
def test_parse_priority(text, expected):
    assert parse_priority(text) == expected


def test_parse_priority_refuses():
    with pytest.raises(InvalidValue):
        parse_priority("urgent")
