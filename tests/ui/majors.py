"""A running major incident for the major-incident screens' tests: declared with a
manager, a team of two, a bridge and a stakeholder, one child incident and one
timeline entry."""

from dataclasses import dataclass

from desk_app.services.admin import add_technician
from desk_app.services.intake import log_ticket
from desk_app.services.major_children import attach_children
from desk_app.services.major_incidents import declare, log_entry
from tests.conftest import new_ticket

BRIDGE = "https://meet.example.com/inc-email"


@dataclass(frozen=True)
class RunningMajor:
    number: str
    id: str
    child: str


def team_people(session) -> None:
    """Two technicians besides the test desk's own (alice, an administrator)."""
    add_technician(session, "ben", "Ben Carter", "support", "Infrastructure",
                   "ben@example.com")
    add_technician(session, "cleo", "Cleo Diaz", "support", "Network Support",
                   "cleo@example.com")


def running_major(session) -> RunningMajor:
    """Declare "Email down" a major incident on service Email, CI EXCH-01."""
    team_people(session)
    major = log_ticket(session, new_ticket(
        summary="Email is down for every office, every site, since the 08:40 patch run",
        service="Email", ci="EXCH-01",
        reporter="Ravi Patel", contact="ravi.patel@example.com", category="Email",
        subcategory="Mailbox"))
    declare(session, major.number, "alice", "Every office lost mail",
            team={"ben": "commander", "cleo": "communications"}, bridge_link=BRIDGE,
            bridge_phone="+44 20 7946 0000", bridge_room="Ops room 2",
            stakeholders=["cio@example.com"])
    child = log_ticket(session, new_ticket(
        summary="Outlook cannot send", service="Email", ci="LAPTOP-17",
        reporter="Dana Whitfield", contact="dana@example.com", category="Email",
        subcategory="Mailbox"))
    attach_children(session, major.number, [child.number])
    log_entry(session, major.number, "action", "Restarted the transport service")
    return RunningMajor(major.number, major.id, child.number)
