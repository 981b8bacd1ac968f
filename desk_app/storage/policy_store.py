"""Policy sections stored as JSON rows; defaults come from resources/ TOML."""

import json
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from peewee import fn

from desk_app.core.policy import SECTIONS, Policy
from desk_app.storage.models import PolicySection


def load_policy_file(path: Path, system_time_zone: str) -> dict[str, Any]:
    """Read a policy TOML file, replacing the time zone ``"system"`` by the machine's."""
    sections = tomllib.loads(path.read_text(encoding="utf-8"))
    if sections.get("team", {}).get("time_zone") == "system":
        sections["team"]["time_zone"] = system_time_zone
    for calendar in sections.get("calendars", {}).values():
        if calendar.get("time_zone") == "system":
            calendar["time_zone"] = system_time_zone
    return sections


def read_sections() -> dict[str, Any]:
    """Every stored policy section."""
    return {row.key: json.loads(row.value) for row in PolicySection.select()}


def read_policy() -> Policy:
    """The stored policy, validated."""
    return Policy.from_sections(read_sections())


def write_sections(sections: dict[str, Any], by: str, at: datetime) -> list[str]:
    """Store the given sections (the caller validated them); returns the changed keys."""
    changed = []
    stored = read_sections()
    for key in SECTIONS:
        if key in sections and sections[key] != stored.get(key):
            PolicySection.insert(key=key, value=json.dumps(sections[key], sort_keys=True),
                                 updated_at=at, updated_by=by).on_conflict_replace().execute()
            changed.append(key)
    return changed


def policy_version() -> str:
    """A value that changes whenever the stored policy changes (for caching)."""
    latest, count = PolicySection.select(
        fn.MAX(PolicySection.updated_at), fn.COUNT(PolicySection.key)).tuples().get()
    return f"{latest}:{count}"
