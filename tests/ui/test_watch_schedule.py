"""The window's watcher: passes run on the database thread, never the GUI's; the
single-shot timer is re-armed at the next due moment; a pass that changed something
is announced (the window then redraws its queues)."""

import threading
from datetime import timedelta

from desk_app.services import watch
from desk_app.services.intake import log_ticket
from desk_app.ui.watch_schedule import DUE_SLACK_MS, WatchSchedule

from ..conftest import new_ticket
from .conftest import settle

P1 = {"impact": "high", "urgency": "high"}


def test_a_pass_runs_off_the_gui_thread_and_rearms_at_the_next_due_moment(
        qtbot, worker, session, clock, monkeypatch):
    threads = []
    real_pass = watch.watch_pass

    def recording_pass(running_session, **options):
        threads.append(threading.current_thread())
        return real_pass(running_session, **options)

    monkeypatch.setattr(watch, "watch_pass", recording_pass)
    ticket = log_ticket(session, new_ticket(**P1))
    schedule = WatchSchedule(worker, session)
    with qtbot.waitSignal(schedule.passed, timeout=10_000) as first:
        schedule.start(first_pass_ms=0)
    assert threads and threads[0] is not threading.main_thread()
    warning = ticket.logged_at + timedelta(minutes=11, seconds=15)  # 75 % of 15 min
    assert first.args[0].next_due == warning
    assert schedule.at_due.isActive() and schedule.at_due.isSingleShot()
    expected = (warning - clock()).total_seconds() * 1000 + DUE_SLACK_MS
    assert abs(schedule.at_due.remainingTime() - expected) < 1_000
    assert schedule.interval.isActive()
    clock.current = warning  # the single-shot fires: the warning is due
    with qtbot.waitSignal(schedule.changed, timeout=10_000) as changed:
        schedule.at_due.start(0)
    assert [e.rule for e in changed.args[0].done] == ["warning"]
    # a P1 is a major incident: its first update is due 15 min after logging, a
    # millisecond before the response target is missed
    assert changed.args[0].next_due == ticket.response_due
    schedule.stop()
    settle(qtbot, worker)
    assert not schedule.at_due.isActive() and not schedule.interval.isActive()


def test_a_timer_firing_during_a_pass_runs_one_more_after_it(qtbot, worker, session):
    schedule = WatchSchedule(worker, session)
    results = []
    schedule.passed.connect(results.append)
    schedule.run_now()
    schedule.run_now()  # while the first is queued: one more after it, not two at once
    qtbot.waitUntil(lambda: len(results) == 2 and not schedule.running, timeout=10_000)
    schedule.stop()


def test_the_window_redraws_after_a_pass_that_changed_something(qtbot, window, session,
                                                                 clock):
    log_ticket(session, new_ticket(**P1))
    clock.advance(hours=5)
    refreshed = []
    window.refresh = lambda: refreshed.append(True)
    with qtbot.waitSignal(window.watch_schedule.changed, timeout=10_000):
        window.watch_schedule.run_now()
    assert refreshed


def test_a_desk_back_after_days_applies_its_rules_a_few_per_pass(qtbot, worker, session,
                                                                  clock, monkeypatch):
    monkeypatch.setattr("desk_app.ui.watch_schedule.PASS_LIMIT", 2)
    log_ticket(session, new_ticket(**P1))
    clock.advance(days=3)  # seven rules due: two breaches, three management levels,
    # and (a P1 is a major incident) its update due and missed
    schedule = WatchSchedule(worker, session)
    results = []
    schedule.passed.connect(results.append)
    schedule.run_now()
    qtbot.waitUntil(lambda: bool(results) and not results[-1].more, timeout=10_000)
    schedule.stop()
    assert [len(r.done) for r in results] == [2, 2, 2, 1]
    assert [r.more for r in results] == [True, True, True, False]


def test_passes_that_follow_one_another_redraw_once_at_the_end(qtbot, worker, session,
                                                               clock, monkeypatch):
    monkeypatch.setattr("desk_app.ui.watch_schedule.PASS_LIMIT", 2)
    log_ticket(session, new_ticket(**P1))
    clock.advance(days=3)
    schedule = WatchSchedule(worker, session)
    results, redraws = [], []
    schedule.passed.connect(results.append)
    schedule.changed.connect(redraws.append)
    schedule.run_now()
    qtbot.waitUntil(lambda: bool(results) and not results[-1].more, timeout=10_000)
    schedule.stop()
    assert len(results) == 4 and redraws == [results[-1]]  # seven rules, two a pass
