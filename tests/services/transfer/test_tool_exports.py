"""What the GLPI, osTicket, Zammad and Jira readers share: times, JSON lines, history."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.errors import InvalidValue
from desk_app.services.transfer.tool_exports import BadRow, json_items, lifecycle, moment

UTC = ZoneInfo("UTC")
TIMES = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))


@given(TIMES.map(lambda t: t.replace(second=0, microsecond=0)))
def test_jiras_month_named_times_read_back(when):
    text = f"{when.day}/{when.strftime('%b')}/{when.strftime('%y')} " \
           f"{when.hour % 12 or 12}:{when.minute:02d} {'PM' if when.hour >= 12 else 'AM'}"
    assert moment(text, "Created", ("%d/%b/%y %I:%M %p",), UTC) == \
        when.replace(tzinfo=UTC).isoformat()


@given(TIMES)
def test_iso_times_read_back_in_the_zone_given(when):
    paris = ZoneInfo("Europe/Paris")
    assert moment(when.isoformat(), "x", (), paris) == when.replace(tzinfo=paris).isoformat()


@pytest.mark.parametrize("text", ["30/Feb/24 9:00 AM", "12/Feb/24 13:00 PM", "2024-02-30 10:00",
                                  "yesterday", "x" * 100])
def test_impossible_times_are_refused_naming_the_column(text):
    with pytest.raises(BadRow, match=r"^Created: .* is not a time like"):
        moment(text, "Created", ("%d/%b/%y %I:%M %p",), UTC)


@given(st.lists(st.dictionaries(st.text(max_size=5), st.text(max_size=12), max_size=3),
                max_size=6), st.sampled_from([None, 1, 2]))
def test_json_items_come_with_the_line_they_start_on(tickets, indent):
    text = json.dumps(tickets, indent=indent)
    found = list(json_items(text, "Zammad"))
    assert [value for _, value in found] == tickets
    lines = text.split("\n")
    for line, value in found:
        assert lines[line - 1].lstrip().lstrip("[").lstrip().startswith("{")
        del value


@pytest.mark.parametrize(("text", "line"), [("{}", 1), ("[\n{},\n{]", 3), ("[{}] x", 1),
                                            ("[\n{}\n{}]", 3)])
def test_a_broken_json_list_is_refused_at_its_line(text, line):
    with pytest.raises(InvalidValue, match=f"line {line}: not a Zammad JSON export"):
        list(json_items(text, "Zammad"))


def test_lifecycle_follows_the_dates_and_ends_on_the_final_status():
    rows = lifecycle("2024-01-01T09:00:00+00:00", "ann",
                     [("2024-01-03T09:00:00+00:00", "closed"),
                      ("2024-01-02T09:00:00+00:00", "resolved"), (None, "x")],
                     "closed", "bob")
    assert [(r["old"], r["new"], r["by"]) for r in rows] == [
        (None, "new", "ann"), ("new", "resolved", "bob"), ("resolved", "closed", "bob")]
    pending = lifecycle("2024-01-01T09:00:00+00:00", "ann", [], "on_hold", "bob")
    assert [r["new"] for r in pending] == ["new", "on_hold"]
