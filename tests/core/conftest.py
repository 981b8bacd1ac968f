import tomllib
from pathlib import Path

import pytest

from desk_app.core.policy import Policy

DEFAULT_POLICY = Path(__file__).parents[2] / "resources" / "policy" / "default.toml"


def default_sections(time_zone: str = "Europe/London") -> dict:
    """The shipped default policy with "system" time zones pinned for repeatable tests."""
    sections = tomllib.loads(DEFAULT_POLICY.read_text())
    sections["team"]["time_zone"] = time_zone
    for calendar in sections["calendars"].values():
        calendar["time_zone"] = time_zone
    return sections


@pytest.fixture
def policy() -> Policy:
    return Policy.from_sections(default_sections())
