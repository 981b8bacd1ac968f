"""The major-incident KPIs on hand-built facts with known answers."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.kpi_figures import Rating
from desk_app.core.major_measures import (
    DEFAULT_RHYTHMS,
    major_facts,
    major_figures,
    policy_rhythms,
    rhythm_of,
    updates_on_time,
)
from desk_app.core.major_review import HistoryFact

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
P1 = DEFAULT_RHYTHMS["P1"]  # first within 15 minutes, then every 30


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_an_update_is_due_first_after_the_declaration_then_every_after_the_last():
    # due 15 (sent 15: on time), due 45 (sent 50: late), due 80 (sent 80: on time)
    assert updates_on_time(at(0), [at(15), at(50), at(80)], P1) == 2
    assert updates_on_time(at(0), [at(16)], P1) == 0
    assert updates_on_time(at(0), [], P1) == 0


@given(st.lists(st.integers(min_value=0, max_value=600), max_size=12))
def test_never_more_on_time_than_sent_and_a_strict_rhythm_is_all_on_time(offsets):
    updates = [at(m) for m in offsets]
    assert 0 <= updates_on_time(at(0), updates, P1) <= len(updates)
    strict = [at(15 + 30 * i) for i in range(len(offsets))]
    assert updates_on_time(at(0), strict, P1) == len(strict)


def test_the_policy_rhythm_is_read_defensively():
    rhythms = policy_rhythms({"major_procedure": {"updates": {
        "P1": {"first": "10m", "every": "1h"}, "P3": {"first": "soon", "every": "30m"},
        "P9": {"first": "5m", "every": "5m"}}}})
    assert rhythms["P1"] == (timedelta(minutes=10), timedelta(hours=1))
    assert rhythms["P2"] == DEFAULT_RHYTHMS["P2"] and "P3" not in rhythms and "P9" not in rhythms
    assert policy_rhythms({}) == dict(DEFAULT_RHYTHMS)
    assert policy_rhythms({"major_procedure": "nonsense"}) == dict(DEFAULT_RHYTHMS)
    assert rhythm_of(DEFAULT_RHYTHMS, "P4") == DEFAULT_RHYTHMS["P2"]  # nearest more urgent
    assert rhythm_of({"P3": P1}, "P1") == P1  # none more urgent: the least urgent given


def _facts(*rows, detected=None, logged=T0, status="in_progress", reviewed=False,
           priority="P1"):
    return major_facts(priority, status, detected, logged, None,
                       [HistoryFact(a, f, n) for a, f, n in rows], reviewed)


def test_figures_over_hand_built_major_incidents():
    first = _facts((at(10), "major", "yes"), (at(20), "major_update", "#1"),
                   (at(60), "major_update", "#2"), (at(95), "major_update", "#3"),
                   (at(120), "resolution_type", "workaround"), (at(120), "status", "resolved"),
                   detected=at(-20), status="resolved", reviewed=True)
    # declared at logging, detection unknown: 0 minutes from logging
    second = _facts((at(0), "major", "true"), (at(30), "major_update", "#1"),
                    status="closed")
    running = _facts((at(5), "major", "yes"))  # no update yet, not finished
    stood_down = _facts()  # never declared: only the review share counts it (not finished)
    figures = {f.key: f for f in major_figures([first, second, running, stood_down],
                                               DEFAULT_RHYTHMS)}
    # declare: 30 (detected -20 -> 10), 0, 5 -> mean 11.7 over 3
    assert (figures["time_to_declare"].value, figures["time_to_declare"].count) == (11.7, 3)
    # first update: 10 and 30 -> 20 over 2
    assert (figures["time_to_first_update"].value,
            figures["time_to_first_update"].count) == (20.0, 2)
    # first: due 25 (20 ok), due 50 (60 late), due 90 (95 late); second: due 15 (30 late)
    on_time = figures["updates_on_time"]
    assert (on_time.value, on_time.count, on_time.rating()) == (25.0, 4, Rating.RED)
    # workaround: 140 minutes after detection
    assert (figures["time_to_workaround"].value, figures["time_to_workaround"].count) \
        == (140.0, 1)
    reviewed = figures["reviews_completed"]
    assert (reviewed.value, reviewed.count, reviewed.unit) == (50.0, 2, "percent")


def test_no_major_incidents_give_empty_figures():
    figures = major_figures([], DEFAULT_RHYTHMS)
    assert [f.value for f in figures] == [None] * 5
    assert all(f.count == 0 and f.rating() is Rating.NONE for f in figures)


def test_updates_before_the_declaration_do_not_count():
    facts = _facts((at(-5), "major_update", "#0"), (at(10), "major", "yes"),
                   (at(20), "major_update", "#1"))
    assert facts.updates == (at(20),)


def test_an_update_promised_sooner_than_the_rhythm_is_due_when_promised():
    # sent 15 promising the next at 25 (sooner than 45): sent 40 is late, as the
    # watcher and the board had it due at 25
    assert updates_on_time(at(0), [at(15), at(40)], P1, {at(15): at(25)}) == 1
    assert updates_on_time(at(0), [at(15), at(25)], P1, {at(15): at(25)}) == 2
    # a promise later than the rhythm does not move the due time
    assert updates_on_time(at(0), [at(15), at(50)], P1, {at(15): at(60)}) == 1
