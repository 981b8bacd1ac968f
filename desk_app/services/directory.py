"""Read-only views of the desk's people and groups."""

from typing import Any

from peewee import JOIN, fn

from desk_app.services.session import Session
from desk_app.storage.models import SupportGroup, Technician


def list_groups(session: Session) -> list[dict[str, Any]]:
    """Support groups with their level and number of technicians."""
    del session  # every technician may see the groups
    query = (SupportGroup.select(SupportGroup.name, SupportGroup.level,
                                 fn.COUNT(Technician.id).alias("members"))
             .join(Technician, JOIN.LEFT_OUTER, on=(Technician.group == SupportGroup.id))
             .group_by(SupportGroup.id).order_by(SupportGroup.level, SupportGroup.name))
    return list(query.dicts())


def list_technicians(session: Session) -> list[dict[str, Any]]:
    """Technicians with role, group and whether they are active."""
    del session
    query = (Technician.select(Technician.login, Technician.name, Technician.email,
                               Technician.role, SupportGroup.name.alias("group"),
                               Technician.active)
             .join(SupportGroup, JOIN.LEFT_OUTER, on=(Technician.group == SupportGroup.id))
             .order_by(Technician.login))
    return list(query.dicts())
