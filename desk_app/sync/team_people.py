"""Who a desk is once it joins a team: the login it syncs with acts on it, and only a
team administrator keeps administrator rights (roles, groups and active flags of
technicians are the team's from then on)."""

from desk_app.core.enums import Role, SupportLevel
from desk_app.storage.meta import load_clock, save_clock
from desk_app.storage.models import SupportGroup, Technician
from desk_app.storage.outbox import outbox_entry, queue

TEAM_MEMBER_ROLE = Role.SERVICE_DESK  # a joining desk's administrators become this
# The roles a technician login may give a person the team does not know yet (the
# server refuses the others from it: desk_app.sync.server_schema).
MEMBER_ROLES = (Role.SERVICE_DESK.value, Role.SUPPORT.value)


def take_team_roles(login: str, team_admin: bool) -> None:
    """At a desk's first sync (inside the caller's transaction): unless ``login`` is an
    administrator of the team database, the desk's administrators and incident
    managers become service-desk technicians; ``login`` gets a technician row if the
    desk has none."""
    if not team_admin:
        Technician.update(role=TEAM_MEMBER_ROLE.value).where(
            Technician.role.not_in(MEMBER_ROLES)).execute()
    found = Technician.get_or_none(Technician.login == login)
    role = Role.ADMINISTRATOR if team_admin else TEAM_MEMBER_ROLE
    if found is None:
        _new_person(login, role)
    elif team_admin and found.role != role.value:
        found.role = role.value
        found.save()


def ensure_member(login: str) -> None:
    """A team desk about to work as ``login`` (its remote was switched to that login):
    give it a service-desk technician row when the desk has none, queued for the team
    (inside the caller's transaction; the team's own row, once pulled, is the one
    that counts)."""
    if Technician.get_or_none(Technician.login == login) is not None:
        return
    person = _new_person(login, TEAM_MEMBER_ROLE)
    clock = load_clock()
    queue([outbox_entry(clock, "technician", person.id)])
    save_clock(clock)


def _new_person(login: str, role: Role) -> Technician:
    """A technician row for ``login``, in the service desk's (first-line) group."""
    desk = SupportGroup.get_or_none(SupportGroup.level == SupportLevel.L1.value)
    return Technician.create(login=login, name=login, role=role.value, group=desk)


def follow_team_admin(login: str, team_admin: bool) -> None:
    """At each sync of a joined desk (inside the caller's transaction): the sync login's
    own role follows its membership of the team's administrator role. A team
    administrator whose row says otherwise (the desk was switched to that login) is
    made administrator, and the team told; a login the team no longer administers
    loses the rights here (the server refuses its changes to people and policy)."""
    person = Technician.get_or_none(Technician.login == login)
    if person is None:
        return
    if team_admin and person.role != Role.ADMINISTRATOR.value:
        person.role = Role.ADMINISTRATOR.value
        person.save()
        clock = load_clock()
        queue([outbox_entry(clock, "technician", person.id, "role", person.role)])
        save_clock(clock)
    elif not team_admin and person.role == Role.ADMINISTRATOR.value:
        person.role = TEAM_MEMBER_ROLE.value
        person.save()
