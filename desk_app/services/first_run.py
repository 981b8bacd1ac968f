"""The first run of a new desk, as the wizard collects it: who is working here, whether
the desk syncs with a team database, and demo tickets to try the app with."""

from collections.abc import Callable
from dataclasses import dataclass

from desk_app.core.errors import Refused
from desk_app.core.permissions import Permission
from desk_app.services.demo import write_demo_tickets
from desk_app.services.profile import update_profile
from desk_app.services.session import Session, activity
from desk_app.services.team_sync import remote_from_form, remote_settings, save_remote
from desk_app.sync.remote import RemoteSettings

DEMO_TICKETS = 200


@dataclass(frozen=True)
class TeamDatabaseForm:
    """The team database as typed (the password goes to the keyring, never a file)."""

    host: str
    port: str
    database: str
    user: str
    sslmode: str = "prefer"
    password: str = ""


@dataclass(frozen=True)
class FirstRunChoices:
    """Everything the wizard asks."""

    name: str
    email: str = ""
    group: str | None = None
    team: TeamDatabaseForm | None = None
    demo: bool = False


@activity(Permission.EDIT_PROFILE)
def complete_first_run(session: Session, choices: FirstRunChoices) -> RemoteSettings | None:
    """Save the profile and the team database as one activity: a refusal (naming the
    field) writes nothing, the keyring included (the password is stored last). Demo
    tickets are not written here (see :func:`add_demo_tickets`); they are refused for a
    team desk, where they would reach every colleague."""
    form, settings = choices.team, None
    if form is not None:
        settings = remote_from_form(form.host, form.port, form.database, form.user,
                                    form.sslmode)
        if choices.demo:
            raise Refused("demo", "demo tickets are only for a desk that works locally: "
                                  "on a team database every colleague would get them")
    update_profile(session, choices.name, choices.email, choices.group)
    if form is not None and settings is not None:
        save_remote(settings, form.password or None, session)
    return settings


def add_demo_tickets(session: Session, progress: Callable[[int], None] | None = None) -> int:
    """The demo tickets a person asked for to try the app (a local desk only)."""
    if remote_settings() is not None:
        raise Refused("demo", "this desk syncs with a team database; demo tickets would "
                              "reach every colleague")
    return write_demo_tickets(session, DEMO_TICKETS, progress=progress)
