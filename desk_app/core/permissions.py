"""Which roles may carry out which activities. The services enforce this table."""

from desk_app.core.enums import Role
from desk_app.core.errors import PermissionDenied

EVERY_TECHNICIAN = frozenset(Role)
MANAGERS = frozenset({Role.INCIDENT_MANAGER, Role.ADMINISTRATOR})
DESK = frozenset({Role.SERVICE_DESK, Role.INCIDENT_MANAGER, Role.ADMINISTRATOR})

ACTIVITY_ROLES: dict[str, frozenset[Role]] = {
    "change_policy": frozenset({Role.ADMINISTRATOR}),
    "manage_people": frozenset({Role.ADMINISTRATOR}),
    "import_tickets": frozenset({Role.ADMINISTRATOR}),
    "declare_major": MANAGERS,
    "cancel": DESK,
    "convert": DESK,
}


def check_permission(role: Role, activity: str) -> None:
    """Refuse ``activity`` for ``role`` unless the table allows it (default: everyone)."""
    allowed = ACTIVITY_ROLES.get(activity, EVERY_TECHNICIAN)
    if role not in allowed:
        names = ", ".join(sorted(r.value for r in allowed))
        raise PermissionDenied("role", f"{activity.replace('_', ' ')} needs one of: {names} "
                               f"(you are {role.value})")
