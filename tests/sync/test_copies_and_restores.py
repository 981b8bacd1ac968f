"""A desk file copied to a second computer, or restored from an older backup: the
next sync recognises it (the team database holds more of its device's changes than
it pushed), gives it a new device identity and takes everything again; every change
of every copy arrives once, everywhere."""

import shutil
from collections import Counter

from desk_app.services.backups import backup_desk, restore_desk
from desk_app.services.details import update_details
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.worklog import add_worklog
from desk_app.storage.database import database
from desk_app.storage.meta import device_id
from desk_app.storage.models import History, Ticket, Worklog
from tests.conftest import new_ticket
from tests.sync.conftest import same_as_server, server_copy, synced_copy


def _notes() -> Counter:
    return Counter(w.note for w in Worklog.select())


def _conflicts() -> int:
    return History.select().where(History.field.startswith("conflict")).count()


def _copy(clients, source, name: str):
    source.close()
    copy = clients(name)  # a folder of its own ...
    copy.login = source.login  # ... and the same technician and login
    shutil.copytree(source.folder, copy.folder)
    return copy


def _converged(team_db, *desks) -> None:
    for desk in desks:  # a second round: conflicts found in the first go out
        desk.sync()
    server = server_copy(team_db)
    for desk in desks:
        desk.sync()
        assert same_as_server(synced_copy(), server), desk.folder
        notes = _notes()
        assert all(count == 1 for count in notes.values()), (desk.folder, notes)
        numbers = [t.number for t in Ticket.select()]
        assert len(numbers) == len(set(numbers))


def test_a_copied_desk_and_its_original_both_work_and_see_each_other(clients, team_db):
    amy = clients("amy")
    amy.open()
    shared = log_ticket(amy.session, new_ticket(summary="Printer jams")).number
    amy.sync()
    amy.open()
    original_device = device_id()
    laptop = _copy(clients, amy, "amy_laptop")

    amy.open()
    mine = log_ticket(amy.session, new_ticket(summary="Logged on the desktop")).number
    add_worklog(amy.session, shared, "Desktop: replaced the drum", minutes=5)
    update_details(amy.session, shared, {"description": "Jams on every print"})
    amy.later()
    update_details(amy.session, shared, {"description": "Jams on tray 2 only"})
    laptop.open()
    assert device_id() == original_device  # the copy does not know it is one yet
    theirs = log_ticket(laptop.session, new_ticket(summary="Logged on the laptop")).number
    add_worklog(laptop.session, shared, "Laptop: cleaned the rollers", minutes=5)
    update_details(laptop.session, shared, {"summary": "Printer jams on tray 2"})

    amy.open()
    assert not amy.sync().new_identity  # the first to sync keeps the identity
    laptop.open()
    report = laptop.sync()
    assert report.new_identity and device_id() != original_device
    assert any("copied or restored" in w for w in report.warnings)
    assert ticket_by_number(shared).summary == "Printer jams on tray 2"
    assert ticket_by_number(shared).description == "Jams on tray 2 only"
    assert _conflicts() == 0  # amy's overwritten edit is not a conflict
    assert mine == theirs  # both copies spent the same block ...
    renamed = dict(report.renumbered)[theirs]  # ... so the copy's ticket is renumbered
    assert ticket_by_number(renamed).summary == "Logged on the laptop"
    assert ticket_by_number(mine).summary == "Logged on the desktop"

    amy.open()
    assert not amy.sync().new_identity  # the original goes on as it was
    assert _notes() == Counter({"Desktop: replaced the drum": 1,
                                "Laptop: cleaned the rollers": 1})
    add_worklog(amy.session, shared, "Desktop: works again", minutes=1)
    laptop.open()
    add_worklog(laptop.session, shared, "Laptop: confirmed", minutes=1)
    ben = clients("ben")
    ben.open()
    _converged(team_db, amy, laptop, ben, amy)
    assert len(_notes()) == 4 and Ticket.select().count() == 3
    assert _conflicts() == 0


def test_two_copies_that_sync_without_a_word_in_between_both_settle(clients, team_db):
    """Both copies push as one device before either notices; the next syncs of both
    recognise it and nothing is lost."""
    amy = clients("amy")
    amy.open()
    number = log_ticket(amy.session, new_ticket(summary="Shared")).number
    amy.sync()
    twin = _copy(clients, amy, "twin")
    amy.open()
    add_worklog(amy.session, number, "from amy", minutes=1)
    twin.open()
    add_worklog(twin.session, number, "from twin", minutes=1)
    with database.atomic():  # as if the twin had counted amy's push as its own
        from desk_app.sync.identity import add_pushed

        add_pushed(device_id(), 2)
    amy.open()
    amy.sync()
    twin.open()
    assert not twin.sync().new_identity  # the counts agree: not noticed yet
    amy.open()
    assert amy.sync().new_identity  # the twin's push is more than amy's count
    _converged(team_db, amy, twin, amy)
    assert _notes() == Counter({"from amy": 1, "from twin": 1})


def test_a_desk_restored_from_an_older_backup_gets_back_what_it_had_pushed(
        clients, team_db, tmp_path):
    amy = clients("amy")
    amy.open()
    number = log_ticket(amy.session, new_ticket(summary="Server room too warm")).number
    amy.sync()
    amy.open()
    saved = backup_desk(tmp_path / "amy-backup.sqlite3")
    add_worklog(amy.session, number, "Pushed after the backup", minutes=5)
    update_details(amy.session, number, {"description": "Fan failed"})
    amy.later()
    update_details(amy.session, number, {"description": "Fan replaced, temperature ok"})
    later = log_ticket(amy.session, new_ticket(summary="Logged after the backup")).number
    amy.sync()
    amy.close()

    restored = restore_desk(saved, str(amy.folder))
    assert restored.kept_aside and restored.kept_aside.exists()
    amy.open()
    assert "Pushed after the backup" not in _notes()
    add_worklog(amy.session, number, "Written after the restore", minutes=1)
    offline = log_ticket(amy.session, new_ticket(summary="Logged after the restore")).number
    report = amy.sync()  # a plain sync, no --verify
    assert report.new_identity
    assert _notes() == Counter({"Pushed after the backup": 1,
                                "Written after the restore": 1})
    assert ticket_by_number(later).summary == "Logged after the backup"
    assert ticket_by_number(number).description == "Fan replaced, temperature ok"
    assert _conflicts() == 0
    # the restored desk re-used a number it had already given out: renumbered
    assert offline == later and dict(report.renumbered).get(offline)
    assert ticket_by_number(dict(report.renumbered)[offline]).summary == \
        "Logged after the restore"
    ben = clients("ben")
    ben.open()
    _converged(team_db, amy, ben)
    assert Ticket.select().count() == 3


def test_a_restored_desk_replaying_its_own_overwritten_edit_keeps_no_false_conflict(
        clients, team_db, tmp_path):
    amy = clients("amy")
    amy.open()
    number = log_ticket(amy.session, new_ticket(summary="Disk almost full")).number
    amy.sync()
    amy.open()
    update_details(amy.session, number, {"description": "Cleared the temp folder"})
    amy.later()
    update_details(amy.session, number, {"description": "Moved the logs to another disk"})
    amy.sync()  # both edits pushed after this sync's pull
    amy.open()
    saved = backup_desk(tmp_path / "amy.sqlite3")
    add_worklog(amy.session, number, "After the backup", minutes=1)
    amy.sync()
    amy.close()
    restore_desk(saved, str(amy.folder))
    amy.open()
    assert amy.sync().new_identity
    assert ticket_by_number(number).description == "Moved the logs to another disk"
    assert _notes() == Counter({"After the backup": 1})
    assert _conflicts() == 0
    _converged(team_db, amy)
