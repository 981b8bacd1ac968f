"""The checks of the watcher's escalation rules that need the desk's people and groups:
every technician and group a hierarchic level names exists, and no functional row sends
a ticket back down to an L1 group (escalating it would loop)."""

from typing import Any

from desk_app.storage.models import SupportGroup, Technician


def check_escalation_people(escalation: dict[str, Any]) -> None:
    """Refuse (naming the key) a level naming an unknown technician or group, and a
    functional row whose L2 or L3 group is an L1 group."""
    from desk_app.core.policy_schema import PolicyRefused  # pydantic: off the start path

    logins = {login for (login,) in Technician.select(Technician.login).tuples()}
    levels = dict(SupportGroup.select(SupportGroup.name, SupportGroup.level).tuples())
    problems: list[tuple[str, str]] = []
    for index, level in enumerate(escalation.get("hierarchic", ())):
        where = f"escalation.hierarchic[{index}]"
        named = [("technician", level.get("technician"))] + [
            (f"groups.{group}", login) for group, login in level.get("groups", {}).items()]
        for key, login in named:
            if login and login not in logins:
                problems.append((f"{where}.{key}", f"no technician {login!r} on this desk"))
        for group in level.get("groups", {}):
            if group not in levels:
                problems.append((f"{where}.groups.{group}", f"no support group {group!r}"))
    for row, row_levels in escalation.get("functional", {}).items():
        for level in ("L2", "L3"):
            group = row_levels.get(level)
            if group in levels and levels[group] == "L1":
                problems.append((f"escalation.functional.{row}.{level}",
                                 f"{group} is an L1 group: escalating to {level} would loop "
                                 "back to L1"))
    if problems:
        raise PolicyRefused(problems)
