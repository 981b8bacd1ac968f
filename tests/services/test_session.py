"""Each activity (and each read) runs on a frozen snapshot of the acting technician and
the policy, taken at its start: changes apply from the next one, never in the middle,
and threads never see each other's snapshot."""

import threading
from datetime import timedelta

import pytest

from desk_app.app import open_desk
from desk_app.core.enums import Role
from desk_app.core.errors import PermissionDenied, Refused
from desk_app.core.permissions import Permission
from desk_app.services import admin, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import technician_by_login, ticket_by_number
from desk_app.services.session import ActivityContext, Session, activity, reads
from desk_app.services.ticket_actions import available_actions
from desk_app.storage.models import Technician

from ..conftest import new_ticket

WAIT = 10  # seconds: only reached when the code under test is broken


def _lifecycle(days: int) -> dict:
    return {"lifecycle": {"reopen_window_days": days, "auto_close_grace_days": 3}}


@activity(Permission.WORKLOG)
def _paused_activity(context: ActivityContext, started: threading.Event,
                     go: threading.Event, seen: dict) -> None:
    """An activity that records its snapshot, waits to be let go, and records it again."""
    seen["first"] = (context.login, context.role, context.policy)
    started.set()
    assert go.wait(WAIT)
    seen["last"] = (context.login, context.role, context.policy)
    seen["session_policy"] = context.session.policy  # inside: the activity's own


@reads
def _paused_read(context: ActivityContext, started: threading.Event, go: threading.Event,
                 seen: dict) -> None:
    seen["first"] = context.policy
    started.set()
    assert go.wait(WAIT)
    seen["last"] = context.policy


@activity(Permission.WORKLOG)
def _probe(context: ActivityContext) -> ActivityContext:
    return context


def _thread(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def sam(session, clock) -> Session:
    """A second technician's session, opened now and kept open (as a window would)."""
    admin.add_technician(session, "sam", "Sam", Role.SERVICE_DESK.value, "Service Desk")
    return Session(technician_by_login("sam"), clock)


def test_a_role_change_applies_to_the_next_activity_of_an_open_session(session, sam):
    first, second = (log_ticket(sam, new_ticket()).number for _ in range(2))
    admin.update_technician(session, "sam", role=Role.SUPPORT.value)
    with pytest.raises(PermissionDenied, match="cancel needs one of"):
        workflow.cancel(sam, first, "mislogged")
    assert "cancel needs" in available_actions(sam, ticket_by_number(first))["cancel"]
    admin.update_technician(session, "sam", role=Role.SERVICE_DESK.value)
    assert available_actions(sam, ticket_by_number(first))["cancel"] is None
    assert workflow.cancel(sam, first, "mislogged").status == "cancelled"
    assert ticket_by_number(second).status == "new"


def test_a_deactivation_applies_to_the_next_activity_and_changes_nothing(session, sam):
    number = log_ticket(sam, new_ticket()).number
    admin.update_technician(session, "sam", active=False)
    for attempt in (lambda: log_ticket(sam, new_ticket()),
                    lambda: workflow.start_work(sam, number),
                    lambda: workflow.hold(sam, number, "awaiting_user")):
        with pytest.raises(PermissionDenied, match="technician sam is deactivated"):
            attempt()
    assert ticket_by_number(number).status == "new"
    reasons = available_actions(sam, ticket_by_number(number))
    assert set(reasons.values()) == {"technician sam is deactivated"}
    admin.update_technician(session, "sam", active=True)
    assert workflow.start_work(sam, number).status == "in_progress"


def test_a_policy_committed_by_another_connection_applies_from_the_next_activity(session,
                                                                                  clock):
    before = session.policy.reopen_window
    started, go, reset, seen = threading.Event(), threading.Event(), threading.Event(), {}

    def elsewhere() -> None:  # a sync thread: its own connection, the same session
        assert session.policy.reopen_window == before  # nothing new yet
        reset.set()
        admin.change_policy(Session(technician_by_login("alice"), clock), _lifecycle(1))

    running = _thread(_paused_activity, session, started, go, seen)
    assert started.wait(WAIT)
    other = _thread(elsewhere)
    assert reset.wait(WAIT)
    go.set()
    running.join(WAIT)
    other.join(WAIT)
    assert not running.is_alive() and not other.is_alive()
    assert seen["first"][2] is seen["last"][2] is seen["session_policy"]  # the very same
    assert seen["last"][2].reopen_window == before
    assert _probe(session).policy.reopen_window == timedelta(days=1)
    assert session.policy.reopen_window == timedelta(days=1)


def test_a_read_keeps_its_policy_while_another_connection_commits_a_new_one(session, clock):
    before = session.policy.reopen_window
    started, go, seen = threading.Event(), threading.Event(), {}
    reading = _thread(_paused_read, session, started, go, seen)
    assert started.wait(WAIT)
    committer = _thread(admin.change_policy, Session(technician_by_login("alice"), clock),
                        _lifecycle(2))
    committer.join(WAIT)  # a read holds no lock: the commit lands while it runs
    assert not committer.is_alive()
    go.set()
    reading.join(WAIT)
    assert seen["first"] is seen["last"] and seen["last"].reopen_window == before
    assert _probe(session).policy.reopen_window == timedelta(days=2)


def test_activities_on_two_threads_each_see_their_own_snapshot(session, sam):
    started, go, seen_sam = threading.Event(), threading.Event(), {}
    alice_started, alice_go, seen_alice = threading.Event(), threading.Event(), {}
    first = _thread(_paused_activity, sam, started, go, seen_sam)
    assert started.wait(WAIT)
    second = _thread(_paused_activity, session, alice_started, alice_go, seen_alice)
    # sam's Session on a third thread: a snapshot of its own, not the running activity's
    on_other_thread = {}
    peek = _thread(lambda: on_other_thread.update(running=sam.running(),
                                                  snapshot=sam.snapshot()))
    peek.join(WAIT)
    go.set()
    first.join(WAIT)
    assert alice_started.wait(WAIT)  # waited for the write lock, then ran
    alice_go.set()
    second.join(WAIT)
    assert not first.is_alive() and not second.is_alive()
    assert seen_sam["first"][:2] == seen_sam["last"][:2] == ("sam", Role.SERVICE_DESK)
    assert seen_alice["first"][:2] == seen_alice["last"][:2] == ("alice", Role.ADMINISTRATOR)
    assert on_other_thread["running"] is None
    assert on_other_thread["snapshot"].login == "sam"
    assert not on_other_thread["snapshot"].in_activity


def test_a_context_is_frozen():
    context = ActivityContext.__dataclass_params__
    assert context.frozen


def test_the_decorator_needs_a_permission_not_a_name():
    with pytest.raises(TypeError):
        activity("log")
    with pytest.raises(TypeError):
        activity()  # type: ignore[call-arg]


def test_every_activity_of_the_services_names_a_permission():
    import importlib
    import pkgutil

    import desk_app.services as services

    found = {}
    for module in pkgutil.walk_packages(services.__path__, "desk_app.services."):
        for name, value in vars(importlib.import_module(module.name)).items():
            if callable(value) and hasattr(value, "permission"):
                found[f"{value.__module__}.{name}"] = value.permission
    assert len(found) >= 30
    assert all(isinstance(p, Permission) for p in found.values())
    unguarded = set(Permission) - set(found.values()) - {Permission.EXPORT}
    assert not unguarded, f"permissions no activity checks: {unguarded}"


def test_opening_the_desk_as_a_deactivated_login_neither_reactivates_nor_creates(
        session, sam, tmp_path, clock):
    admin.update_technician(session, "sam", active=False)
    count = Technician.select().count()
    reopened = open_desk(tmp_path / "data", login="sam", now_fn=clock)
    assert reopened.session.login == "sam"
    assert technician_by_login("sam").active is False
    assert Technician.select().count() == count
    with pytest.raises(PermissionDenied, match="technician sam is deactivated"):
        log_ticket(reopened.session, new_ticket())
    with pytest.raises(Refused, match="not a technician of this desk"):
        open_desk(tmp_path / "data", login="nobody", now_fn=clock)
    assert Technician.select().count() == count


def test_a_full_disk_during_an_activity_is_an_environment_problem_and_writes_nothing(
        session, monkeypatch):
    import sqlite3

    from desk_app.core.errors import DiskFull
    from desk_app.services import recording
    from desk_app.services.intake import log_ticket
    from desk_app.storage.models import History, Ticket
    from tests.conftest import new_ticket

    def full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(recording, "insert_rows", full)
    with pytest.raises(DiskFull) as error:
        log_ticket(session, new_ticket())
    assert "free some space" in error.value.advice
    assert Ticket.select().count() == 0 and History.select().count() == 0
