"""KPI summary triggers for updates that 0017 did not cover, so the summary tables stay
what a rebuild makes after any statement (sync applies pulled rows with plain UPDATEs):

- a worklog row updated in place (sync replaces an appended row that two desks made
  with other content; repair rewrites rows as the server has them): its old share is
  taken out and its new one put in;
- a ticket whose day of logging changes: its worklog time per author moves to the new
  day in ``kpi_time`` (``kpi_summary`` already follows it);
- a knowledge-use row updated in place (its ticket or kind changed): "resolved by
  knowledge" is taken from the old ticket and given to the new one, as a delete and an
  insert would.

The statements are 0017's (loaded from its file, as the migration runner loads it), so
there is one definition of each share.
"""

import importlib.util
from pathlib import Path


def _summary_schema():
    path = Path(__file__).with_name("0017_kpi_summary.py")
    spec = importlib.util.spec_from_file_location("desk_app_kpi_summary_0017", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_S = _summary_schema()
DAY_MS = _S.DAY_MS
_KNOWN = "IN ('article', 'known_error')"


def _time_of_ticket(day: str, sign: str) -> str:
    """Add (sign "+") or take out ("-") the worklog time per author of the updated ticket
    in ``kpi_time`` on UTC day ``day``."""
    return f"""INSERT INTO kpi_time (day, login, minutes, entries)
        SELECT {day}, w.by, {sign}SUM(w.minutes), {sign}COUNT(*) FROM worklog w
        WHERE w.ticket_id = new.id AND w.minutes != 0 GROUP BY w.by
        ON CONFLICT (day, login) DO UPDATE SET minutes = minutes + excluded.minutes,
            entries = entries + excluded.entries;"""


TRIGGERS = [
    f"""CREATE TRIGGER kpi_worklog_update AFTER UPDATE OF ticket_id, by, minutes ON worklog
        WHEN old.ticket_id IS NOT new.ticket_id OR old.by IS NOT new.by
            OR old.minutes IS NOT new.minutes BEGIN
        UPDATE kpi_ticket_time SET minutes = minutes - old.minutes,
            entries = entries - (old.minutes != 0) WHERE ticket_id = old.ticket_id;
        UPDATE kpi_time SET minutes = minutes - old.minutes,
            entries = entries - (old.minutes != 0)
        WHERE login = old.by AND day = (SELECT t.logged_at / {DAY_MS} FROM ticket t
                                        WHERE t.id = old.ticket_id);
        {_S._incident_share('old.minutes', 'minutes', '-', 'old')}
        INSERT INTO kpi_ticket_time (ticket_id, minutes, entries)
        VALUES (new.ticket_id, new.minutes, new.minutes != 0)
        ON CONFLICT (ticket_id) DO UPDATE SET minutes = minutes + excluded.minutes,
            entries = entries + excluded.entries;
        INSERT INTO kpi_time (day, login, minutes, entries)
        SELECT t.logged_at / {DAY_MS}, new.by, new.minutes, new.minutes != 0
        FROM ticket t WHERE t.id = new.ticket_id AND new.minutes != 0
        ON CONFLICT (day, login) DO UPDATE SET minutes = minutes + excluded.minutes,
            entries = entries + excluded.entries;
        {_S._incident_share('new.minutes', 'minutes', '+')}
    END""",
    f"""CREATE TRIGGER kpi_ticket_logged_day AFTER UPDATE OF logged_at ON ticket
        WHEN old.logged_at / {DAY_MS} IS NOT new.logged_at / {DAY_MS} BEGIN
        {_time_of_ticket(f'old.logged_at / {DAY_MS}', '-')}
        {_time_of_ticket(f'new.logged_at / {DAY_MS}', '+')}
    END""",
    # as a delete of the old row (the old ticket loses it when no other use is left)...
    f"""CREATE TRIGGER kpi_knowledge_update_out AFTER UPDATE OF ticket_id, kind
        ON knowledge_use
        WHEN (old.ticket_id IS NOT new.ticket_id OR (old.kind {_KNOWN}) IS NOT
              (new.kind {_KNOWN})) AND old.kind {_KNOWN} AND NOT EXISTS (
            SELECT 1 FROM knowledge_use u WHERE u.ticket_id = old.ticket_id
            AND u.kind {_KNOWN}) BEGIN
        {_S._incident_share('t.resolved_at IS NOT NULL', 'by_knowledge', '-', 'old')}
    END""",
    # ... and an insert of the new one (the new ticket gains it when it is the first)
    f"""CREATE TRIGGER kpi_knowledge_update_in AFTER UPDATE OF ticket_id, kind
        ON knowledge_use
        WHEN (old.ticket_id IS NOT new.ticket_id OR (old.kind {_KNOWN}) IS NOT
              (new.kind {_KNOWN})) AND new.kind {_KNOWN} AND NOT EXISTS (
            SELECT 1 FROM knowledge_use u WHERE u.ticket_id = new.ticket_id
            AND u.kind {_KNOWN} AND u.id != new.id) BEGIN
        {_S._incident_share('t.resolved_at IS NOT NULL', 'by_knowledge', '+')}
    END""",
]


def up(migrator, db):
    for statement in TRIGGERS:
        db.execute_sql(statement)
    _S.rebuild(db)  # a desk whose rows changed before these triggers existed
