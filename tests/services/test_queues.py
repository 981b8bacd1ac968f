"""Work queues: which tickets each one holds, exactly, and how a filter bar narrows them."""

from desk_app.core.enums import PRIORITIES
from desk_app.services.admin import add_technician
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import technician_by_login
from desk_app.services.queues import (
    TicketFilter,
    listing_count,
    narrowed,
    queue_counts,
    queue_filter,
)
from desk_app.services.session import Session
from desk_app.services.workflow import hold

from ..conftest import new_ticket


def _numbers(session, flt):
    from desk_app.services.queues import first_page

    return [row.number for row in first_page(session, flt, "number", False)]


def test_breaching_soon_starts_exactly_at_the_warning_share(session, clock):
    p1 = log_ticket(session, new_ticket(impact="high", urgency="high"))  # 4 h, 24x7
    clock.advance(hours=2, minutes=59)  # 74.6 % used
    assert _numbers(session, queue_filter(session, "breaching")) == []
    clock.advance(minutes=1)  # 75 %: the warning threshold
    assert _numbers(session, queue_filter(session, "breaching")) == [p1.number]
    hold(session, p1.number, "awaiting_user")  # a paused clock is not breaching
    assert _numbers(session, queue_filter(session, "breaching")) == []


def test_breaching_soon_counts_business_time_not_wall_time(session, clock):
    p3 = log_ticket(session, new_ticket())  # P3: 3 business days, Monday 09:00
    clock.advance(days=4)  # Friday 09:00: 4 x 10 h = 40 h used of 30 h -> breached
    assert _numbers(session, queue_filter(session, "breaching")) == [p3.number]
    assert set(queue_filter(session, "breaching").breaching.horizons) == set(PRIORITIES)


def test_my_group_without_a_group_is_empty_not_everything(session):
    log_ticket(session, new_ticket())
    add_technician(session, "nogroup", "No Group", "support", None)
    nogroup = Session(technician_by_login("nogroup"), session.now_fn)
    assert queue_filter(nogroup, "my_group").nothing
    assert queue_counts(nogroup)["my_group"] == 0
    assert queue_counts(nogroup)["all_open"] == 1


def test_a_narrowing_that_contradicts_the_queue_matches_nothing(session):
    log_ticket(session, new_ticket())
    on_hold = queue_filter(session, "on_hold")
    assert narrowed(on_hold, TicketFilter(statuses=("closed",))).nothing
    mine = TicketFilter(open_only=True, assignee="alice")
    assert narrowed(mine, TicketFilter(assignee="bob")).nothing
    all_open = queue_filter(session, "all_open")
    kept = narrowed(all_open, TicketFilter(priorities=("P3",), search="vpn"))
    assert not kept.nothing and listing_count(session, kept) == 1
    assert listing_count(session, narrowed(all_open, TicketFilter(priorities=("P1",)))) == 0


def test_a_satisfaction_narrowing_keeps_its_scores_and_rows_carry_the_answer(session):
    from desk_app.core.satisfaction_filter import score_range
    from desk_app.services.queues import first_page
    from desk_app.services.satisfaction import record_satisfaction
    from desk_app.services.workflow import resolve

    numbers = []
    for score in (1, 4, None):
        number = log_ticket(session, new_ticket()).number
        resolve(session, number, "permanent", "config", "Fixed", knowledge="not_needed",
                problem_decision="not_needed")
        if score:
            record_satisfaction(session, number, score, f"said {score}", source="mail")
        numbers.append(number)
    awaiting = queue_filter(session, "awaiting_confirmation")
    low = narrowed(awaiting, TicketFilter(satisfaction=score_range("<=2")))
    assert _numbers(session, low) == [numbers[0]]
    assert _numbers(session, narrowed(awaiting, TicketFilter(
        satisfaction=score_range("none")))) == [numbers[2]]
    rows = first_page(session, awaiting, "satisfaction", True)
    answers = [(r.number, r.satisfaction and (r.satisfaction.score, r.satisfaction.comment,
                                              r.satisfaction.source)) for r in rows]
    assert answers == [(numbers[1], (4, "said 4", "mail")), (numbers[0], (1, "said 1", "mail")),
                       (numbers[2], None)]
    assert rows[0].satisfaction.at == session.now()
