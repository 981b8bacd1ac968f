"""The acting technician's own profile: name, email, support group and role."""

from desk_app.core.enums import Role, parse_enum
from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.permissions import Permission
from desk_app.core.validation import LABEL_MAX, check_length, label_text
from desk_app.services.lookup import group_by_name
from desk_app.services.recording import queue_change
from desk_app.services.session import Session, activity
from desk_app.storage.models import Technician


@activity(Permission.EDIT_PROFILE)
def update_profile(session: Session, name: str, email: str, group: str | None,
                   role: str | None = None) -> Technician:
    """Change the acting technician's name, email and group; the role only when an
    administrator sets it, and never so that the desk is left without one."""
    name, email = label_text("name", name or ""), (email or "").strip()
    check_length("email", email, LABEL_MAX)
    if email and ("@" not in email or " " in email):
        raise InvalidValue("email", f"{email!r} is not an email address")
    person = Technician.get_by_id(session.actor.id)
    changes: dict[str, object] = {}
    if role is not None and role != person.role:
        new_role = parse_enum(Role, "role", role)
        session.require(Permission.MANAGE_PEOPLE)
        others = (Technician.select().where(
            (Technician.role == Role.ADMINISTRATOR.value) & Technician.active
            & (Technician.id != person.id)).count())
        if person.role == Role.ADMINISTRATOR and others == 0:
            raise Refused("role", "you are the desk's only administrator; make someone "
                          "else administrator first")
        changes["role"] = new_role.value
    team = group_by_name(group) if group else None
    changes |= {"name": name, "email": email, "group_id": team.id if team else None}
    for column, value in changes.items():
        if getattr(person, column) != value:
            setattr(person, column, value)
            queue_change(session, "technician", person.id, column, value)
    person.save()
    return person

