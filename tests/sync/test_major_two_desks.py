"""A major incident worked from two desks through a real PostgreSQL: both end with the
same team, timeline and updates (board and synced rows), the rhythm's notifications
are made once, and each update's mail is sent once although both desks run their
outbox sender."""

from collections import Counter
from datetime import timedelta

from desk_app.services.admin import change_policy
from desk_app.services.intake import log_ticket
from desk_app.services.mail_sender import send_queued
from desk_app.services.major_board import major_board
from desk_app.services.major_children import attach_children
from desk_app.services.major_incidents import declare, log_entry, set_team
from desk_app.services.major_updates import send_update
from desk_app.services.watch import watch_pass
from desk_app.storage.database import database
from tests.conftest import new_ticket
from tests.mail_server import smtp_server  # noqa: F401
from tests.sync.conftest import each_desk, sync_all
from tests.sync.test_mail_once import _mail_policy

LOW = dict(impact="low", urgency="low")


def _board(desk, number: str) -> dict:
    board = major_board(desk.session, number).as_dict()
    board.pop("next_update_due")  # read against each desk's own clock: compared apart
    return board



def _two_admin_desks(clients):
    """Amy's and Ben's desks, administrators, each synced once the other joined."""
    amy, ben = clients("amy", role="admin"), clients("ben", role="admin")
    for desk in (amy, ben, amy):
        desk.open()
        desk.sync()
    return amy, ben


def test_two_desks_converge_and_send_each_update_once(clients, team_db,
                                                      smtp_server):  # noqa: F811
    boss = clients("boss", login="admin_ada")
    boss.open()
    change_policy(boss.session, {"mail": _mail_policy(smtp_server)})
    boss.sync()
    amy, ben = _two_admin_desks(clients)

    amy.open()
    number = log_ticket(amy.session, new_ticket(service="Email", **LOW)).number
    child = log_ticket(amy.session, new_ticket(contact="carl@example.com", **LOW)).number
    declare(amy.session, number, manager="amy", reason="Mail down",
            team={"ben": "communications"}, bridge_room="Ops room",
            stakeholders=["cio@example.com"])
    attach_children(amy.session, number, [child])
    amy.sync()
    ben.open()
    ben.sync()

    # both work it offline at once: team changes, timeline entries, an update each
    amy.open()
    set_team(amy.session, number, {"amy": "commander"})
    log_entry(amy.session, number, "decision", "Fail over to the second relay")
    first = send_update(amy.session, number, "Investigating", "No mail", "Failing over",
                        "Webmail", amy.now() + timedelta(minutes=30))
    amy.later()
    ben.open()
    set_team(ben.session, number, {"ben": "resolver"})
    log_entry(ben.session, number, "action", "Restarted the relay")
    second = send_update(ben.session, number, "Recovering", "Some mail late", "Draining",
                         "Webmail", ben.now() + timedelta(minutes=30))
    assert (first.sequence, second.sequence) == (1, 1)  # each desk counted its own

    sync_all(amy, ben)
    boards = []
    for desk in each_desk(team_db, amy, ben):
        boards.append(_board(desk, number))
        board = boards[-1]
        assert sorted((m["login"], m["role"]) for m in board["team"]) == [
            ("amy", "commander"), ("ben", "resolver")]  # ben's later change wins for ben
        assert sorted(e["text"] for e in board["timeline"]) == [
            "Fail over to the second relay", "Restarted the relay"]
        assert [(u["sequence"], u["status"]) for u in board["updates"]] == [
            (1, "Investigating"), (2, "Recovering")]  # numbered in the merged order
    assert boards[0] == boards[1]

    # both desks run their outbox sender, before and after syncing: each mail once
    for _round in range(2):
        for desk in (amy, ben):
            desk.open()
            send_queued(desk.session, retry_now=True)
            desk.sync()
    updates = [m for m in smtp_server.inbox.messages
               if "Major incident update" in m["Subject"]]
    told = Counter(m["To"] for m in updates)
    assert told == {"cio@example.com": 2, "bob@example.com": 2, "carl@example.com": 2}
    ids = [m["Message-ID"] for m in smtp_server.inbox.messages]
    assert len(ids) == len(set(ids))  # the logging mails too: each once
    assert len(updates) == 6


def test_the_rhythm_is_told_once_when_both_desks_watch(clients, team_db):
    amy, ben = _two_admin_desks(clients)
    amy.open()
    number = log_ticket(amy.session, new_ticket(**LOW)).number
    declare(amy.session, number, manager="amy", reason="Mail down",
            team={"ben": "communications"})
    amy.sync()
    ben.open()
    ben.sync()
    for desk in (amy, ben):  # 40 minutes on: due (30) and missed (35), on each desk
        desk.skew = timedelta(minutes=40)
        desk.open()
        rules = sorted(e.rule for e in watch_pass(desk.session).done)
        assert rules == ["update_due", "update_missed"], desk.name
        desk.later()
    sync_all(amy, ben)
    for _desk in each_desk(team_db, amy, ben):
        told = Counter(database.execute_sql(
            "SELECT event FROM notification WHERE event LIKE 'major_update%'").fetchall())
        assert told == {("major_update_due",): 1, ("major_update_missed",): 1}
        markers = database.execute_sql(
            "SELECT COUNT(*) FROM history WHERE field LIKE 'major_update_%'").fetchone()[0]
        assert markers == 2


def test_two_desks_that_both_sent_update_2_show_1_2_3_once_synced(clients, team_db):
    from zoneinfo import ZoneInfo

    from desk_app.cli.major_commands import board_lines

    amy, ben = _two_admin_desks(clients)
    amy.open()
    number = log_ticket(amy.session, new_ticket(**LOW)).number
    declare(amy.session, number, manager="amy", reason="Mail down")
    parts = dict(impact="No mail", actions="Failing over", workaround="Webmail")
    send_update(amy.session, number, "Investigating", next_update_at=amy.now()
                + timedelta(minutes=30), **parts)
    amy.sync()
    ben.open()
    ben.sync()

    sent = []  # both offline: each desk numbers its update #2
    for desk, status in ((ben, "Ben's view"), (amy, "Amy's view")):
        desk.open()
        sent.append(send_update(desk.session, number, status,
                                next_update_at=desk.now() + timedelta(minutes=30), **parts))
        desk.later()
    assert [u.sequence for u in sent] == [2, 2]

    sync_all(amy, ben)
    for desk in each_desk(team_db, amy, ben):
        board = major_board(desk.session, number)
        assert [(u.sequence, u.status) for u in board.updates] == [
            (1, "Investigating"), (2, "Ben's view"), (3, "Amy's view")], desk.name
        shown = [line.split()[0] for line in board_lines(board, ZoneInfo("Europe/London"),
                                                          desk.now())
                 if line.startswith("  #")]
        assert shown == ["#1", "#2", "#3"], desk.name
    amy.open()
    send_update(amy.session, number, "Recovering", next_update_at=amy.now()
                + timedelta(minutes=30), **parts)
    assert [u.sequence for u in major_board(amy.session, number).updates] == [1, 2, 3, 4]
