"""Policy sections stored as JSON rows; defaults come from resources/ TOML."""

import json
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from desk_app.core.policy import SECTIONS, Policy
from desk_app.storage.database import database
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
            PolicySection.insert(key=key, value=stored_section(sections[key]),
                                 updated_at=at, updated_by=by).on_conflict_replace().execute()
            changed.append(key)
    if changed:
        note_policy_changed()
    return changed


def note_policy_changed() -> None:
    """Move the policy revision on, so cached policies are read again (call after any
    write to policy_section)."""
    database.execute_sql(
        "INSERT INTO meta (key, value) VALUES ('policy_revision', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")


def stored_section(value: Any) -> str:
    """A policy section as the policy_section table stores it (sorted JSON)."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def policy_version() -> str:
    """A revision that changes whenever the stored policy changes (for caching); it is
    a counter, so a change stamped with an older time is noticed too."""
    row = database.execute_sql(
        "SELECT value FROM meta WHERE key = 'policy_revision'").fetchone()
    return row[0] if row else "0"


def refused_sections() -> dict[str, str]:
    """Policy sections pulled from the team that did not validate and were not applied
    (the last valid one is kept): section -> why."""
    row = database.execute_sql(
        "SELECT value FROM meta WHERE key = 'policy_refused'").fetchone()
    return json.loads(row[0]) if row else {}


def note_refused_section(key: str, reason: str | None) -> None:
    """Record why a pulled section was kept out (``reason``), or that the section's
    latest pulled value was applied (None)."""
    refused = refused_sections()
    if reason is None and key not in refused:
        return
    if reason is None:
        del refused[key]
    else:
        refused[key] = reason
    database.execute_sql(
        "INSERT INTO meta (key, value) VALUES ('policy_refused', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (json.dumps(refused, sort_keys=True),))
