"""What a technician may do: one :class:`Permission` per thing, and the roles that hold
it. Deny by default: a role not listed for a permission is refused, and so is an
inactive technician, whatever the role."""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from desk_app.core.enums import Role
from desk_app.core.errors import PermissionDenied


class Permission(StrEnum):
    """Everything a technician can do on a desk (each activity needs exactly one)."""

    LOG = "log"
    CATEGORISE = "categorise"  # category, subcategory and the categorisation checklist
    PRIORITISE = "prioritise"
    ASSIGN = "assign"
    START_WORK = "start_work"
    WORKLOG = "worklog"
    EDIT_DETAILS = "edit_details"
    HOLD = "hold"  # put on hold and resume
    ESCALATE_FUNCTIONAL = "escalate_functional"
    ESCALATE_HIERARCHIC = "escalate_hierarchic"
    RESOLVE = "resolve"
    CONFIRM = "confirm"  # record the user's confirmation or rejection
    CLOSE = "close"
    REOPEN = "reopen"
    CANCEL = "cancel"
    CONVERT = "convert"
    DECLARE_MAJOR = "declare_major"
    LINK = "link"  # problems, RFCs, parents, related tickets
    HOUSEKEEPING = "housekeeping"
    IMPORT = "import"  # import files and demo tickets
    EXPORT = "export"
    EDIT_PROFILE = "edit_profile"
    MANAGE_PEOPLE = "manage_people"
    CHANGE_POLICY = "change_policy"
    WRITE_KNOWLEDGE = "write_knowledge"  # write and revise draft articles
    PUBLISH_KNOWLEDGE = "publish_knowledge"  # publish and retire articles
    MANAGE_PROBLEMS = "manage_problems"  # root cause, workaround, problem status

    @property
    def label(self) -> str:
        """The permission as a person reads it."""
        return self.value.replace("_", " ")


EVERY_TECHNICIAN = frozenset(Role)
MANAGERS = frozenset({Role.INCIDENT_MANAGER, Role.ADMINISTRATOR})
DESK = frozenset({Role.SERVICE_DESK, Role.INCIDENT_MANAGER, Role.ADMINISTRATOR})
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
TECHNICIANS_AND_MANAGERS = frozenset({Role.SUPPORT, Role.INCIDENT_MANAGER,
                                      Role.ADMINISTRATOR})

_EVERYONE = (Permission.LOG, Permission.CATEGORISE, Permission.PRIORITISE, Permission.ASSIGN,
             Permission.START_WORK, Permission.WORKLOG, Permission.EDIT_DETAILS,
             Permission.HOLD, Permission.ESCALATE_FUNCTIONAL, Permission.ESCALATE_HIERARCHIC,
             Permission.RESOLVE, Permission.CONFIRM, Permission.CLOSE, Permission.REOPEN,
             Permission.LINK, Permission.HOUSEKEEPING, Permission.EXPORT,
             Permission.EDIT_PROFILE)

ROLES: Mapping[Permission, frozenset[Role]] = MappingProxyType({
    **dict.fromkeys(_EVERYONE, EVERY_TECHNICIAN),
    Permission.CANCEL: DESK,
    Permission.CONVERT: DESK,
    Permission.DECLARE_MAJOR: MANAGERS,
    Permission.IMPORT: ADMINISTRATORS,
    Permission.MANAGE_PEOPLE: ADMINISTRATORS,
    Permission.CHANGE_POLICY: ADMINISTRATORS,
    Permission.WRITE_KNOWLEDGE: EVERY_TECHNICIAN,
    Permission.PUBLISH_KNOWLEDGE: TECHNICIANS_AND_MANAGERS,
    Permission.MANAGE_PROBLEMS: TECHNICIANS_AND_MANAGERS,
})


def allowed(role: Role, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission`` (False for a permission without a row, and
    for a plain string, even one spelled like a permission)."""
    return isinstance(permission, Permission) and role in ROLES.get(permission, frozenset())


def check_permission(role: Role, permission: Permission) -> None:
    """Refuse ``permission`` for ``role`` unless the table grants it."""
    if not isinstance(permission, Permission):
        raise TypeError(f"not a Permission: {permission!r}")
    if not allowed(role, permission):
        holders = ", ".join(sorted(r.value for r in ROLES.get(permission, ()))) or "nobody"
        raise PermissionDenied("role", f"{permission.label} needs one of: {holders} "
                                       f"(you are {role.value})")


def check_active(login: str, active: bool) -> None:
    """Refuse every activity of a deactivated technician."""
    if not active:
        raise PermissionDenied("technician", f"technician {login} is deactivated")


def check_actor(login: str, role: Role, active: bool, permission: Permission) -> None:
    """Refuse unless the technician is active and their role holds ``permission``."""
    check_active(login, active)
    check_permission(role, permission)
