"""The claim that lets one desk of a team send a scheduled report (the team database's
``desk.report_claim``, through ``desk.claim_report``). The first desk to claim a
report's key holds it for good: it sends the report, now or after a crash; every other
desk that queued the same report leaves it to that one."""

from dataclasses import dataclass
from datetime import datetime

import psycopg


@dataclass(frozen=True)
class Claim:
    """Who holds a report's claim, and since when."""

    key: str
    held: bool  # by the asking desk
    holder: str  # the device id
    holder_login: str
    claimed_at: datetime


def claim_report(conn: psycopg.Connection, key: str, device: str) -> Claim:
    """Claim the report ``key`` for ``device``; when another desk claimed it first, the
    result says which (``held`` False)."""
    holder, login, claimed_at = conn.execute(
        "SELECT * FROM desk.claim_report(%s, %s)", (key, device)).fetchone()
    return Claim(key, holder == device, holder, login, claimed_at)
