"""Fixtures shared by every layer's tests: a fresh desk on a temporary database with a
clock the test controls."""

import os
import tempfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desk_app.app import Desk, open_desk
from desk_app.services.intake import NewTicket

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display in CI
# the suite never writes into the user's log folder
os.environ.setdefault("DESK_APP_LOG_DIR", tempfile.mkdtemp(prefix="desk-test-logs-"))

pytest_plugins = ["tests.team_database", "tests.imap_server"]


@pytest.fixture(autouse=True)
def private_config_folder(tmp_path, monkeypatch):
    """Window layouts and drafts of one test stay in that test (never the user's)."""
    monkeypatch.setenv("DESK_APP_CONFIG_DIR", str(tmp_path / "config"))

LONDON = ZoneInfo("Europe/London")


class FakeClock:
    """A clock that stands still until the test moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> datetime:
        self.current += timedelta(**kwargs)
        return self.current


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=LONDON))  # a Monday


@pytest.fixture
def desk(tmp_path, clock, monkeypatch) -> Desk:
    monkeypatch.setenv("TZ", "Europe/London")
    opened = open_desk(tmp_path / "data", login="alice", now_fn=clock)
    yield opened
    opened.close()


@pytest.fixture
def session(desk):
    return desk.session


def new_ticket(**overrides) -> NewTicket:
    """A complete logging form; override what the test is about."""
    values = dict(summary="VPN drops every few minutes", description="Since this morning",
                  reporter="Bob Smith", contact="bob@example.com", channel="phone",
                  service="Remote access", impact="medium", urgency="medium",
                  detected_at=datetime(2026, 11, 23, 8, 30, tzinfo=LONDON),
                  category="Network", subcategory="VPN")
    values.update(overrides)
    return NewTicket(**values)


def stored_tickets() -> list[dict]:
    """Every ticket of the open desk as stored (times as epoch millis)."""
    from desk_app.storage.database import database

    cursor = database.execute_sql("SELECT * FROM ticket ORDER BY id")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


@pytest.fixture(scope="session")
def qapp():
    """The application as the real one makes it (Fusion, the type scale's body size), so
    every UI test measures what a user sees, whichever test made it first."""
    from desk_app.ui.application import qt_application

    return qt_application()
