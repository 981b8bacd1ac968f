"""Policy sections pulled from the team database, applied only when they validate.

A section that does not validate (written by a newer or broken client, or edited on the
server by hand) must not break the desk: the last valid section is kept, and why is
logged and recorded (:func:`desk_app.storage.policy_store.refused_sections`).
"""

import json
import logging
from typing import Any

from desk_app.core.errors import InvalidValue
from desk_app.storage.database import database
from desk_app.storage.policy_store import (
    load_policy_file,
    note_policy_changed,
    note_refused_section,
    read_sections,
    stored_section,
)

log = logging.getLogger(__name__)


def apply_policy_sections(pulled: dict[str, Any]) -> set[str]:
    """Write the pulled sections (section -> value, JSON text or decoded) that validate
    with the rest of the policy; returns the sections written.

    All of them together first (sections that change together, such as a renamed
    calendar and the SLA targets using it, only validate together); then one by one,
    while one more validates."""
    waiting, reasons = {}, {}
    for key, value in pulled.items():
        try:
            waiting[key] = json.loads(value) if isinstance(value, str) else value
        except (ValueError, RecursionError) as err:
            reasons[key] = f"policy {key}: not valid JSON ({err})"
    written: set[str] = set()
    while waiting:
        batch = waiting if _problem(waiting) is None else next(
            ({k: v} for k, v in waiting.items() if _problem({k: v}) is None), None)
        if batch is None:
            break
        checked = _checked(batch)
        for key in batch:
            _write(key, checked[key])
            note_refused_section(key, None)
            written.add(key)
        waiting = {k: v for k, v in waiting.items() if k not in batch}
    reasons |= {key: _problem({key: value}) or "" for key, value in waiting.items()}
    for key, reason in reasons.items():
        log.warning("kept the last valid policy section %s; the team's does not validate: %s",
                    key, reason)
        note_refused_section(str(key), reason)
    if written:
        note_policy_changed()
    return written


def packaged_policy() -> dict[str, Any]:
    """The default policy every desk starts from (resources/, in this machine's time
    zone, as a new desk here is set up)."""
    from desk_app import paths
    from desk_app.system_time_zone import system_time_zone

    return load_policy_file(paths.default_policy_file(), system_time_zone())


def restore_defaults(keys: list[str], defaults: dict[str, Any]) -> set[str]:
    """Put sections the team never changed back to the defaults every desk starts
    from (a refused local edit of them); returns the sections written."""
    return apply_policy_sections({key: defaults[key] for key in keys if key in defaults})


def _checked(sections: dict[str, Any]) -> dict[str, Any]:
    from desk_app.core.policy_schema import checked_policy  # only when policy arrives

    return checked_policy(read_sections() | sections)[0]


def _problem(sections: dict[str, Any]) -> str | None:
    """Why the stored policy with ``sections`` in it does not validate (None: it does)."""
    try:
        _checked(sections)
    except InvalidValue as refused:
        return str(refused)
    return None


def _write(key: str, value: Any) -> None:
    database.execute_sql(
        "INSERT INTO policy_section (key, value, updated_at, updated_by) "
        "VALUES (?, ?, 0, 'sync') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, stored_section(value)))
