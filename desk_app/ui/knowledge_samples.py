"""The sample problem and article the screenshots show (written on the database
thread, inside the screenshot run's rehearsal, so they are rolled back)."""

from typing import Any

from desk_app.services import knowledge, links, problems
from desk_app.services.intake import NewTicket, log_ticket

SOLUTION = """Until the certificate is renewed, connect through the **web VPN**:

1. Open `https://vpn.example.com` in the browser.
2. Sign in with your usual account and approve the prompt on your phone.
3. Choose *Full tunnel* and keep the tab open.

| Client version | Affected |
|---|---|
| 5.2 and older | yes |
| 5.3 | no |

If the web VPN also fails, log an incident with the time it dropped."""


def _incident(session: Any, summary: str) -> str:
    now = session.now_fn()
    return log_ticket(session, NewTicket(
        summary=summary, description="The VPN client disconnects every few minutes and "
        "asks for the password again.", reporter="Dana Whitfield",
        contact="dana.whitfield@example.com", channel="phone", service="Remote access",
        impact="medium", urgency="medium", detected_at=now, category="Network",
        subcategory="VPN")).number


def write_samples(session: Any) -> None:
    """A known error with three incidents, and a published article about it."""
    first = _incident(session, "VPN drops every few minutes")
    problem = links.raise_problem(session, first, "VPN sessions drop after 5 minutes").number
    for summary in ("VPN disconnects during calls", "Remote desktop over VPN freezes"):
        links.link_problem(session, _incident(session, summary), problem)
    problems.investigate(session, problem)
    problems.mark_known_error(
        session, problem, root_cause="The gateway's intermediate certificate expired; "
        "clients older than 5.3 renegotiate every 5 minutes and fail.",
        workaround="Connect through the **web VPN** (`https://vpn.example.com`) until "
        "the certificate is renewed.")
    article = knowledge.new_article(
        session, "VPN drops every few minutes", service="Remote access",
        category="Network", ci_type="VPN gateway",
        symptoms="- The VPN client disconnects after about **5 minutes**\n"
                 "- It asks for the password again\n- Calls and remote desktops freeze",
        cause="The gateway's intermediate certificate expired (known error "
              f"{problem}).", solution=SOLUTION)
    knowledge.publish_article(session, article.number)
