"""The service catalogue and configuration items: administrators add, change and retire
them; every technician reads them, sees a CI's or service's incident history, and logs
tickets against them (:func:`catalogue_values` applies the catalogue to a ticket)."""

from collections.abc import Callable
from typing import Any

from desk_app.core.catalogue import (
    ServiceTerms,
    UnknownValues,
    catalogue_key,
    checked_ci,
    checked_service,
    service_sla,
)
from desk_app.core.errors import InvalidValue, NotFound, Refused
from desk_app.core.permissions import Permission
from desk_app.core.sla import SlaPolicy
from desk_app.services.recording import queue_change
from desk_app.services.session import Session, activity, reads
from desk_app.storage.catalogue_queries import (
    MODELS,
    catalogue_row,
    catalogue_rows,
    cis_of_service,
    completion_names,
    in_use,
    ticket_counts,
    tickets_on,
)
from desk_app.storage.database import database
from desk_app.storage.fields import from_millis
from desk_app.storage.models import SupportGroup

KINDS = ("service", "ci")
KIND_LABEL = {"service": "service", "ci": "configuration item"}


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidValue("kind", f"{kind!r} is not service or ci")
    return kind


def _groups() -> dict[str, str]:
    return {catalogue_key(name): name
            for (name,) in SupportGroup.select(SupportGroup.name).tuples()}


def _services() -> dict[str, str]:
    return {catalogue_key(row["name"]): row["name"]
            for row in catalogue_rows("service", include_retired=True)}


def checked_values(session: Session, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """A service's or CI's fields checked against the policy and the catalogue."""
    return row_checker(session, kind)(values)


def row_checker(session: Session, kind: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function checking many rows of ``kind`` against the policy and the catalogue
    as they are now (read once)."""
    if _kind(kind) == "service":
        calendars, groups = session.policy.calendars, _groups()
        return lambda values: checked_service(values, calendars, groups)
    services = _services()
    return lambda values: checked_ci(values, services)


def _write(session: Session, kind: str, clean: dict[str, Any]) -> dict[str, Any]:
    """Insert a new row, queued for sync as a new row and as a change of each field:
    desks that add the same name offline make one row (its id comes from the name),
    and its fields merge one by one, the latest add or edit of each winning."""
    model = MODELS[kind]
    row = model(**clean)
    row.save(force_insert=True)
    table = model._meta.table_name
    queue_change(session, table, row.id, None, None)
    stored = catalogue_row(kind, row.name) or {}
    for field, value in stored.items():
        if field != "id":
            queue_change(session, table, row.id, field, value)
    return stored


def add_entries(session: Session, kind: str, rows: list[dict[str, Any]]) -> int:
    """Insert checked rows inside the running activity; returns how many."""
    for clean in rows:
        _write(session, kind, clean)
    return len(rows)


@activity(Permission.CHANGE_POLICY)
def add_entry(session: Session, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Add a service or CI (administrators); a name the catalogue has is refused."""
    clean = checked_values(session, kind, values)
    if catalogue_row(kind, clean["name"]) is not None:
        raise Refused("name", f"the catalogue has a {KIND_LABEL[kind]} named "
                      f"{clean['name']!r}")
    return _write(session, kind, clean)


def catalogue_row_exists(kind: str, name: str) -> bool:
    """Whether the catalogue has a service or CI of that name (retired too)."""
    return catalogue_row(_kind(kind), name) is not None


def _existing(kind: str, name: str) -> dict[str, Any]:
    row = catalogue_row(_kind(kind), name or "")
    if row is None:
        raise NotFound("name", f"no {KIND_LABEL[kind]} named {name!r} in the catalogue")
    return row


@activity(Permission.CHANGE_POLICY)
def edit_entry(session: Session, kind: str, name: str,
               changes: dict[str, Any]) -> dict[str, Any]:
    """Change fields of a service or CI (not its name: the name is its key); "retired"
    takes it out of use or back. Refuses when nothing changes."""
    row = _existing(kind, name)
    changes = dict(changes)
    retired = changes.pop("retired", None)
    if "name" in changes and catalogue_key(str(changes["name"])) != catalogue_key(row["name"]):
        raise InvalidValue("name", "a name cannot be changed (it is the key other desks "
                           "know it by); add a new one and retire this one")
    changes.pop("name", None)
    current = {f: row[f] for f in row if f not in ("id", "retired")}
    clean = checked_values(session, kind, current | changes)
    updates = {f: v for f, v in clean.items() if f != "name" and v != row[f]}
    if retired is not None and bool(retired) != bool(row["retired"]):
        updates["retired"] = bool(retired)
    if not updates:
        raise Refused("changes", f"{row['name']} already has these values")
    _update(session, kind, row["id"], updates)
    return catalogue_row(kind, row["name"]) or {}


def _update(session: Session, kind: str, row_id: str, updates: dict[str, Any]) -> None:
    table = MODELS[kind]._meta.table_name
    database.execute_sql(
        f"UPDATE {table} SET {', '.join(f'{f} = ?' for f in updates)} WHERE id = ?",
        [*updates.values(), row_id])
    for field, value in updates.items():
        queue_change(session, table, row_id, field, value)


@activity(Permission.CHANGE_POLICY)
def remove_entry(session: Session, kind: str, name: str) -> str:
    """Remove a service or CI. One that tickets (or, for a service, CIs) name, or that
    the team already has, is retired instead: its history stays readable. Returns
    "removed" or "retired"."""
    row = _existing(kind, name)
    table = MODELS[kind]._meta.table_name
    shared = database.execute_sql(
        "SELECT 1 FROM sync_stamp WHERE entity = ? AND row_id = ? UNION ALL "
        "SELECT 1 FROM meta WHERE key = 'server_id' LIMIT 1", (table, row["id"])).fetchone()
    if shared or in_use(kind, row["name"]):
        if row["retired"]:
            raise Refused("name", f"{row['name']} is retired already")
        _update(session, kind, row["id"], {"retired": True})
        return "retired"
    database.execute_sql(f"DELETE FROM {table} WHERE id = ?", (row["id"],))
    database.execute_sql("DELETE FROM outbox WHERE entity = ? AND row_id = ?",
                         (table, row["id"]))
    return "removed"


@reads
def list_entries(session: Session, kind: str, include_retired: bool = False
                 ) -> list[dict[str, Any]]:
    """Every service or CI, by name."""
    del session
    return catalogue_rows(_kind(kind), include_retired)


@reads
def entry_page(session: Session, kind: str, name: str) -> dict[str, Any]:
    """A CI's or service's page: its fields, its service (for a CI), its CIs (for a
    service), counts, and its incident history (every ticket on it, newest first,
    open ones marked)."""
    del session
    row = _existing(kind, name)
    total, open_count = ticket_counts(kind, row["name"])
    history = [ticket | {"open": bool(ticket["open"]),
                         "logged_at": from_millis(ticket["logged_at"]),
                         "resolved_at": from_millis(ticket["resolved_at"])
                         if ticket["resolved_at"] is not None else None}
               for ticket in tickets_on(kind, row["name"])]
    page = {"kind": kind, "entry": {k: v for k, v in row.items() if k != "id"},
            "counts": {"tickets": total, "open": open_count}, "history": history}
    if kind == "ci":
        page["service"] = catalogue_row("service", row["service"]) if row["service"] else None
    else:
        page["cis"] = cis_of_service(row["name"])
    return page


@reads
def completion_data(session: Session) -> tuple[list[str], list[tuple[str, str | None]]]:
    """Names the logging form and ticket details complete: services, and CIs with
    their service."""
    del session
    return completion_names()


def catalogue_values(session: Session, service: str | None, ci: str | None,
                     changing: tuple[str, ...] = ("service", "ci")) -> dict[str, str | None]:
    """A ticket's service and CI as the catalogue spells them. A CI implies its service
    when the service is empty. A name the catalogue lacks (or has retired) is kept as
    typed when the policy allows unknown values, and refused naming the field when it
    says refuse; only the fields in ``changing`` are judged (a ticket logged before
    the catalogue keeps its old text)."""
    refuse = session.policy.catalogue_unknown_values == UnknownValues.REFUSE
    service = (service or "").strip() or None
    ci = (ci or "").strip() or None
    ci_row = catalogue_row("ci", ci) if ci else None
    if ci:
        if ci_row is not None:
            ci = ci_row["name"]
        if refuse and "ci" in changing and (ci_row is None or ci_row["retired"]):
            raise InvalidValue("ci", f"{ci!r} is not a configuration item in the catalogue"
                               + (" (it is retired)" if ci_row else "")
                               + "; pick one from the list or ask an administrator to add it")
    if not service and ci_row is not None and ci_row["service"]:
        service = ci_row["service"]
    if service:
        service_row = catalogue_row("service", service)
        if service_row is not None:
            service = service_row["name"]
        if refuse and "service" in changing and (service_row is None
                                                 or service_row["retired"]):
            raise InvalidValue("service", f"{service!r} is not a service in the catalogue"
                               + (" (it is retired)" if service_row else "")
                               + "; pick one from the list or ask an administrator to add it")
    return {"service": service, "ci": ci}


def implied_service(ci: str) -> str:
    """The service of the catalogue's CI named ``ci``, or "" (no such CI, or none)."""
    row = catalogue_row("ci", ci) if ci else None
    return (row or {}).get("service") or ""


def service_terms(service: str | None) -> ServiceTerms | None:
    """What the catalogue's service named ``service`` changes for its tickets, or None."""
    row = catalogue_row("service", service) if service else None
    return ServiceTerms.from_row(row) if row is not None else None


def sla_for(session: Session, service: str | None) -> SlaPolicy:
    """The SLA targets a ticket on ``service`` is measured by: the policy's, with the
    service's own targets in their place where it has them."""
    policy = session.policy
    return service_sla(policy.sla, service_terms(service), policy.calendars)

