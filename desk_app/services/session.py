"""Who is acting, at what time, under which policy: what every activity needs."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ParamSpec, TypeVar

from desk_app.core.enums import Role
from desk_app.core.hlc import HybridClock
from desk_app.core.permissions import check_permission
from desk_app.core.policy import Policy
from desk_app.storage.database import database
from desk_app.storage.meta import load_clock, save_clock
from desk_app.storage.models import Technician
from desk_app.storage.policy_store import policy_version, read_policy

P = ParamSpec("P")
R = TypeVar("R")


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


@dataclass
class Session:
    """The acting technician plus the clock; built once by the composition root."""

    actor: Technician
    now_fn: Callable[[], datetime] = utc_now
    _policy: Policy | None = field(default=None, repr=False)
    _policy_version: str | None = field(default=None, repr=False)
    _policy_checked_in: int = field(default=-1, repr=False)
    activity_count: int = field(default=0, repr=False)
    hlc: HybridClock | None = field(default=None, repr=False)
    at: datetime | None = field(default=None, repr=False)

    @property
    def login(self) -> str:
        return self.actor.login

    @property
    def role(self) -> Role:
        return Role(self.actor.role)

    def forget_policy(self) -> None:
        """Drop the cached policy (after this session changed it)."""
        self._policy = self._policy_version = None

    def device_millis(self) -> int:
        """The device clock in Unix milliseconds (what the hybrid clock starts from)."""
        return int(self.now_fn().timestamp() * 1000)

    def now(self) -> datetime:
        """The time of the running activity (one instant for all its rows)."""
        return self.at or self.now_fn()

    @property
    def policy(self) -> Policy:
        """The stored policy, re-read only when it changed (checked once per activity)."""
        running = self.activity_count if self.at is not None else -1
        if running >= 0 and self._policy_checked_in == running and self._policy is not None:
            return self._policy
        self._policy_checked_in = running
        version = policy_version()
        if self._policy is None or version != self._policy_version:
            self._policy = read_policy()
            self._policy_version = version
        return self._policy


def activity(permission: str | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run the decorated service function as one transaction, after the permission
    check. The session is its first argument."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            session: Session = args[0]  # type: ignore[assignment]
            check_permission(session.role, permission or fn.__name__)
            if session.at is not None:  # nested activity: join the running one
                return fn(*args, **kwargs)
            with database.atomic():
                session.activity_count += 1
                session.at = session.now_fn()
                session.hlc = load_clock(session.device_millis)
                try:
                    result = fn(*args, **kwargs)
                    save_clock(session.hlc)
                finally:
                    session.at = None
            return result

        return run

    return decorate
