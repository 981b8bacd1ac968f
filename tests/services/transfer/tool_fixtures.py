"""Helpers of the GLPI, osTicket, Zammad and Jira mapping tests."""

import shutil
from pathlib import Path

from desk_app.storage.models import History, Ticket, Worklog

DATA = Path(__file__).parents[2] / "data"


def copied(name: str, tmp_path: Path) -> Path:
    """The fixture ``name`` of tests/data copied into ``tmp_path``."""
    target = tmp_path / name
    shutil.copy(DATA / name, target)
    return target


def statuses(ticket: Ticket) -> list[str]:
    """The status history of ``ticket``, oldest first."""
    return [h.new for h in History.select().where(
        (History.ticket == ticket.id) & (History.field == "status")).order_by(History.at)]


def notes(ticket: Ticket) -> list[tuple[str, str, str]]:
    """(kind, by, note) of the worklog of ``ticket``, oldest first."""
    return [(w.kind, w.by, w.note) for w in
            Worklog.select().where(Worklog.ticket == ticket.id).order_by(Worklog.at)]
