"""Who is acting, at what time, under which policy: what every activity needs.

A :class:`Session` is long-lived (one per open desk) and may be used from several
threads. It holds only who is working (the technician's id and login) and the clock.
Everything that can change while the desk is open (the technician's role and active
flag, the policy) is read at the start of each activity into a frozen
:class:`ActivityContext`, which the activity and everything it calls use; reads take
one too (:func:`reads`). So a role change, a deactivation or a policy pulled by sync
applies from the next activity, and never in the middle of one.
"""

import functools
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from peewee import PeeweeException as PeeweeError

from desk_app.core.enums import Role
from desk_app.core.errors import NotFound
from desk_app.core.hlc import HybridClock
from desk_app.core.permissions import Permission, check_actor
from desk_app.core.policy import Policy
from desk_app.storage.database import database
from desk_app.storage.failures import environment_problem
from desk_app.storage.fields import to_millis
from desk_app.storage.meta import load_clock, save_clock
from desk_app.storage.models import Technician
from desk_app.storage.policy_store import policy_version, read_policy

P = ParamSpec("P")
R = TypeVar("R")


@functools.cache
def _actor_sql() -> str:
    """The select of one technician by id, compiled once: every activity and read runs
    it, and peewee takes twenty times longer to compile it than SQLite to run it."""
    sql, params = Technician.select().where(Technician.id == "").sql()
    assert params == [""]
    return sql


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ActivityContext:
    """One consistent view of who acts, when, and under which policy: read once at the
    start of an activity (or a read) and never changed. It has the attribute names of
    :class:`Session`, so service functions take either."""

    session: "Session" = field(repr=False)
    actor: Technician = field(repr=False)  # this context's own copy of the row
    login: str
    role: Role
    active: bool
    policy: Policy = field(repr=False)
    at: datetime
    hlc: HybridClock | None = field(default=None, repr=False)  # None: a read

    @property
    def in_activity(self) -> bool:
        """True for an activity's context (it may write), False for a read's."""
        return self.hlc is not None

    @property
    def now_fn(self) -> Callable[[], datetime]:
        return self.session.now_fn

    def now(self) -> datetime:
        """The instant of the activity or read (one instant for all its rows)."""
        return self.at

    def device_millis(self) -> int:
        """The device clock in Unix milliseconds."""
        return self.session.device_millis()

    def snapshot(self) -> "ActivityContext":
        """Already a snapshot: itself."""
        return self

    def require(self, permission: Permission) -> None:
        """Refuse unless the technician is active and their role holds ``permission``."""
        check_actor(self.login, self.role, self.active, permission)


class Session:
    """The acting technician plus the clock; built once by the composition root."""

    def __init__(self, actor: Technician, now_fn: Callable[[], datetime] = utc_now) -> None:
        self.technician_id: str = actor.id
        self.login: str = actor.login
        self.now_fn = now_fn
        # (revision, policy): replaced whole, never changed, so threads may share it
        self._policy_memo: tuple[str, Policy] | None = None
        self._running = threading.local()  # the activity this thread is running, if any

    def __repr__(self) -> str:
        return f"Session(login={self.login!r})"

    def act_as(self, actor: Technician) -> None:
        """Act as ``actor`` from the next activity on (a desk that joined a team works
        as the login it syncs with)."""
        self.technician_id, self.login = actor.id, actor.login

    def device_millis(self) -> int:
        """The device clock in Unix milliseconds (what the hybrid clock starts from)."""
        return to_millis(self.now_fn())

    def now(self) -> datetime:
        """The current time (an activity or a read uses its context's instant instead)."""
        running = self.running()
        return running.at if running else self.now_fn()

    def running(self) -> ActivityContext | None:
        """The context of the activity this thread is running on this session, if any."""
        return getattr(self._running, "context", None)

    @property
    def policy(self) -> Policy:
        """The stored policy, re-read only when its revision changed."""
        running = self.running()
        if running is not None:
            return running.policy
        revision = policy_version()
        memo = self._policy_memo
        if memo is not None and memo[0] == revision:
            return memo[1]
        policy = read_policy()  # read after the revision: never older than it claims
        self._policy_memo = (revision, policy)
        return policy

    @property
    def actor(self) -> Technician:
        """The acting technician as stored now."""
        running = self.running()
        return running.actor if running else self._read_actor()

    @property
    def role(self) -> Role:
        """The acting technician's role as stored now."""
        return Role(self.actor.role)

    def _read_actor(self) -> Technician:
        actor = next(iter(Technician.raw(_actor_sql(), self.technician_id)), None)
        if actor is None:
            raise NotFound("technician", f"technician {self.login} is not on this desk")
        return actor

    def snapshot(self, hlc: HybridClock | None = None) -> ActivityContext:
        """Read the acting technician and the policy into a frozen context (the running
        activity's context when this thread is inside one)."""
        running = self.running()
        if running is not None and hlc is None:
            return running
        at = self.now_fn()
        actor = self._read_actor()
        return ActivityContext(self, actor, actor.login, Role(actor.role), bool(actor.active),
                               self.policy, at, hlc)

    def require(self, permission: Permission) -> None:
        """Refuse unless the technician, as stored now, is active and holds ``permission``."""
        self.snapshot().require(permission)

    def _run(self, permission: Permission, fn: Callable[..., R], args: tuple,
             kwargs: dict[str, Any]) -> R:
        # IMMEDIATE: the write lock is taken before the snapshot is read, so no other
        # connection commits between what the activity read and what it writes
        try:
            with database.atomic(lock_type="IMMEDIATE"):
                context = self.snapshot(load_clock(self.device_millis))
                context.require(permission)
                self._running.context = context
                try:
                    result = fn(context, *args, **kwargs)
                    save_clock(context.hlc)
                finally:
                    self._running.context = None
        except (OSError, PeeweeError, sqlite3.Error) as error:
            # a full disk, a read-only or damaged file: say so (nothing was written)
            problem = environment_problem(error, database.database)
            if problem is None:
                raise
            raise problem from error
        return result


def activity(permission: Permission
             ) -> Callable[[Callable[Concatenate[Any, P], R]], Callable[Concatenate[Any, P], R]]:
    """Run the decorated service function as one transaction, after checking that the
    acting technician is active and holds ``permission``. Its first argument is the
    session; the function receives the activity's :class:`ActivityContext` in its
    place. Called with a running activity's context, it joins that activity."""
    if not isinstance(permission, Permission):
        raise TypeError(f"@activity needs a Permission, not {permission!r}")

    def decorate(fn: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
        @functools.wraps(fn)
        def run(first: Any, *args: P.args, **kwargs: P.kwargs) -> R:
            if isinstance(first, ActivityContext) and first.in_activity:
                first.require(permission)  # nested: join the running activity
                return fn(first, *args, **kwargs)
            session: Session = first.session if isinstance(first, ActivityContext) else first
            running = session.running()
            if running is not None:  # the session of the activity this thread runs
                running.require(permission)
                return fn(running, *args, **kwargs)
            return session._run(permission, fn, args, kwargs)

        run.permission = permission  # type: ignore[attr-defined]
        return run

    return decorate


def reads(fn: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """Give a read-only service function one consistent snapshot (technician, policy,
    instant) in place of the session it is called with."""

    @functools.wraps(fn)
    def run(first: Any, *args: P.args, **kwargs: P.kwargs) -> R:
        return fn(first.snapshot(), *args, **kwargs)

    return run
