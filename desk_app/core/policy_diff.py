"""What changes between two policies, in words an administrator reads before saving:
``Calendar office: Mon 08:00-18:00 -> 07:30-18:00``, ``SLA P2 resolution: 8h -> 6h``.

Both policies are plain sections (as stored). Equal values give no line; every
differing leaf gives one, so the summary lists exactly what a save would change.
"""

from collections.abc import Callable, Mapping
from typing import Any

from desk_app.core.calendar import WEEKDAYS
from desk_app.core.labels import human_label
from desk_app.core.policy import SECTIONS

_KEY_LABELS = {
    "time_zone": "time zone", "warning_percent": "warning at (% of target)",
    "pause_reasons": "clock paused while", "reopen_window_days": "Reopen window (days)",
    "auto_close_grace_days": "Auto-close grace period (days)",
    "critical_services": "critical services", "categorisation_default":
    "default categorisation checklist", "at_percent": "at % of resolution target",
}


def describe_policy(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """One line per changed value from ``before`` to ``after`` (sections as stored)."""
    lines: list[str] = []
    names = [*SECTIONS, *(n for n in {**before, **after} if n not in SECTIONS)]
    for name in names:
        old, new = before.get(name), after.get(name)
        if _same(old, new):
            continue
        describe = _SECTION_DESCRIBERS.get(name)
        if describe is not None and isinstance(old, Mapping | list) \
                and isinstance(new, Mapping | list):
            describe(old, new, lines)
        else:
            _walk(human_label(name), old, new, lines)
    return lines


def _same(old: Any, new: Any) -> bool:
    return (type(old) is type(new) and old == new) or (
        _is_number(old) and _is_number(new) and old == new)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _show(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "(none)"
    if _is_number(value):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {_show(v)}" for k, v in value.items())
    text = str(value)
    return human_label(text) if "_" in text else text  # awaiting_user: "Awaiting user"


def _key(key: str) -> str:
    return _KEY_LABELS.get(key, key.replace("_", " "))


def _walk(label: str, old: Any, new: Any, lines: list[str]) -> None:
    """Every differing leaf under ``label``."""
    if _same(old, new):
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in [*old, *(k for k in new if k not in old)]:
            where = f"{label} {_key(str(key))}"
            if key not in new:
                lines.append(f"{where}: removed (was {_show(old[key])})")
            elif key not in old:
                lines.append(f"{where}: {_show(new[key])} (new)")
            else:
                _walk(where, old[key], new[key], lines)
        return
    if isinstance(old, list) and isinstance(new, list) and not any(
            isinstance(v, Mapping | list) for v in (*old, *new)):
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        parts = ([f"added {_show(added)}"] if added else []) + (
            [f"removed {_show(removed)}"] if removed else [])
        lines.append(f"{label}: {'; '.join(parts) if parts else 'new order ' + _show(new)}")
        return
    lines.append(f"{label}: {_show(old)} -> {_show(new)}")


def _by_name(entries: list[Any], value: Callable[[Mapping[str, Any]], Any]) -> dict[str, Any]:
    return {str(e.get("name", "")): value(e) for e in entries if isinstance(e, Mapping)}


def _named(label: str, what: str, old: Mapping[str, Any], new: Mapping[str, Any],
           lines: list[str], inner: Callable[[str, Any, Any, list[str]], None]) -> None:
    """Entries keyed by name: added, removed, or changed within."""
    for name in [*old, *(n for n in new if n not in old)]:
        if name not in new:
            lines.append(f"{what} {name} removed")
        elif name not in old:
            lines.append(f"New {what.lower()} {name}")
        else:
            inner(f"{label} {name}", old[name], new[name], lines)


def _matrix(old: Any, new: Any, lines: list[str]) -> None:
    for impact in [*old, *(i for i in new if i not in old)]:
        row_old, row_new = old.get(impact, {}), new.get(impact, {})
        for urgency in [*row_old, *(u for u in row_new if u not in row_old)]:
            before, after = row_old.get(urgency), row_new.get(urgency)
            if before != after:
                lines.append(f"Priority for impact {impact} x urgency {urgency}: "
                             f"{_show(before)} -> {_show(after)}")


def _hours(value: Any) -> str:
    return ", ".join(value) if value else "closed"


def _calendar(label: str, old: Any, new: Any, lines: list[str]) -> None:
    if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
        _walk(label, old, new, lines)
        return
    hours_old, hours_new = old.get("hours", {}), new.get("hours", {})
    for day in WEEKDAYS:
        if list(hours_old.get(day, [])) != list(hours_new.get(day, [])):
            lines.append(f"{label}: {day.title()} {_hours(hours_old.get(day))} -> "
                         f"{_hours(hours_new.get(day))}")
    rest_old = {k: v for k, v in old.items() if k != "hours"}
    rest_new = {k: v for k, v in new.items() if k != "hours"}
    for key in ("holidays",):  # an absent list and an empty one mean the same
        rest_old.setdefault(key, [])
        rest_new.setdefault(key, [])
    _walk(label, rest_old, rest_new, lines)


def _calendars(old: Any, new: Any, lines: list[str]) -> None:
    _named("Calendar", "Calendar", old, new, lines, _calendar)


def _sla(old: Any, new: Any, lines: list[str]) -> None:
    targets_old, targets_new = old.get("targets", {}), new.get("targets", {})
    _walk("SLA", {k: v for k, v in old.items() if k != "targets"},
          {k: v for k, v in new.items() if k != "targets"}, lines)
    for priority in [*targets_old, *(p for p in targets_new if p not in targets_old)]:
        _walk(f"SLA {priority}", targets_old.get(priority), targets_new.get(priority), lines)


def _categories(old: Any, new: Any, lines: list[str]) -> None:
    def fields(entry: Mapping[str, Any]) -> dict[str, Any]:
        return {"subcategories": list(entry.get("subcategories", [])),
                "checklist": list(entry.get("checklist", [])) or "(default)"}

    _named("Category", "Category", _by_name(old, fields), _by_name(new, fields), lines, _walk)


def _escalation(old: Any, new: Any, lines: list[str]) -> None:
    _walk("Functional escalation", old.get("functional", {}), new.get("functional", {}),
          lines)

    def percent(entry: Mapping[str, Any]) -> Any:
        return entry.get("at_percent")

    levels_old = _by_name(old.get("hierarchic", []), percent)
    levels_new = _by_name(new.get("hierarchic", []), percent)
    _named("Hierarchic escalation", "Hierarchic level", levels_old, levels_new, lines,
           lambda label, a, b, out: out.append(f"{label}: at {_show(a)}% -> {_show(b)}%")
           if not _same(a, b) else None)
    if list(levels_old) != list(levels_new) and set(levels_old) == set(levels_new):
        lines.append(f"Hierarchic escalation: new order {_show(list(levels_new))}")
    for key, words in (("technician", "technician told"), ("groups", "people per group")):
        told_old = _by_name(old.get("hierarchic", []), lambda e, k=key: e.get(k))
        told_new = _by_name(new.get("hierarchic", []), lambda e, k=key: e.get(k))
        for name in (n for n in told_new if n in told_old):
            if told_old[name] != told_new[name]:
                lines.append(f"Hierarchic level {name}: {words} {_show(told_old[name])} -> "
                             f"{_show(told_new[name])}")
    rest = ("functional", "hierarchic")
    _walk("Escalation", {k: v for k, v in old.items() if k not in rest},
          {k: v for k, v in new.items() if k not in rest}, lines)


def _plain(label: str) -> Callable[[Any, Any, list[str]], None]:
    return lambda old, new, lines: _walk(label, old, new, lines)


def _lifecycle(old: Any, new: Any, lines: list[str]) -> None:
    for key in [*old, *(k for k in new if k not in old)]:
        _walk(_key(key), old.get(key), new.get(key), lines)


_SECTION_DESCRIBERS: dict[str, Callable[[Any, Any, list[str]], None]] = {
    "team": _plain("Team"),
    "priority_matrix": _matrix,
    "calendars": _calendars,
    "sla": _sla,
    "lifecycle": _lifecycle,
    "major_incident": _plain("Major incidents"),
    "checklists": _plain("Checklists"),
    "categories": _categories,
    "escalation": _escalation,
    "groups": lambda old, new, lines: _walk("Groups", _by_name(old, lambda e: e.get("level")),
                                            _by_name(new, lambda e: e.get("level")), lines),
}
