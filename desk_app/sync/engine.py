"""One sync with the team database: check the server, line the clock up, keep number
blocks topped up, pull everyone else's changes, push ours, verify, repair if needed."""

import json
import logging
import random
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import psycopg

from desk_app.core.hlc import Stamp
from desk_app.core.merge import Change
from desk_app.storage.database import database
from desk_app.storage.meta import (
    device_id,
    get_meta,
    load_clock,
    save_clock,
    set_meta,
    system_millis,
)
from desk_app.storage.models import Technician
from desk_app.storage.numbering import TEMPORARY
from desk_app.storage.outbox import outbox_entry, queue
from desk_app.sync import identity, numbers, outgoing
from desk_app.sync.attachment_sync import share_contents
from desk_app.sync.authorship import record_pulled, record_pushed
from desk_app.sync.entities import ENTITIES, MUTABLE, owner
from desk_app.sync.errors import SyncError
from desk_app.sync.incoming import apply_changes, known_changes, now_known, unknown_name
from desk_app.sync.leaving import queue_everything_again
from desk_app.sync.local import LocalRunner, run_here
from desk_app.sync.policy_apply import packaged_policy, restore_defaults
from desk_app.sync.remote import RemoteSettings, clock_offset, connect, describe_error
from desk_app.sync.repair import repair
from desk_app.sync.server_schema import (
    CATALOGUE_ENTITIES,
    CATALOGUE_REFUSED,
    MAX_CLOCK_AHEAD_MS,
    PEOPLE_REFUSED,
    POLICY_REFUSED,
    check_schema,
)
from desk_app.sync.team_people import follow_team_admin, take_team_roles
from desk_app.sync.verify import verify

log = logging.getLogger(__name__)
T = TypeVar("T")

PUSH_CHUNK = 2000
VERIFY_SAMPLE = 2000  # rows checked after a sync that touched more (sync --verify: all)
PULL_PAGE = 5000
RESTAMP_THRESHOLD_MS = 60_000


@dataclass
class SyncReport:
    """What one sync did."""

    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    clock_offset_ms: int = 0
    blocks_reserved: int = 0
    verified_rows: int = 0
    repaired: bool = False
    new_identity: bool = False
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"pushed {self.pushed}", f"pulled {self.pulled}"]
        if self.conflicts:
            parts.append(f"{self.conflicts} conflict(s) kept in timelines")
        if self.renumbered:
            parts.append("renumbered " + ", ".join(f"{a} -> {b}" for a, b in self.renumbered))
        if self.repaired:
            parts.append("the local copy differed from the team database and was repaired "
                         "by a full resync")
        return "; ".join(parts)


@dataclass(frozen=True)
class SyncStatus:
    pending: int
    last_sync: str | None
    last_error: str | None
    remote: str | None


def sync_status() -> SyncStatus:
    """Pending changes, the last successful sync and the last error."""
    remote = get_meta("remote")
    return SyncStatus(outgoing.pending_count(), get_meta("last_sync"),
                      get_meta("last_error"),
                      RemoteSettings.from_json(remote).display() if remote else None)


def _cursor() -> tuple[str, int]:
    text = get_meta("sync_cursor") or "0:0"
    txid, seq = text.split(":")
    return txid, int(seq)


class Sync:
    """One sync run over one connection (see :func:`run_sync`). Network I/O happens on
    the calling thread; every local step goes through ``local``."""

    def __init__(self, conn: psycopg.Connection, login: str,
                 device_millis: Callable[[], int], local: LocalRunner = run_here,
                 policy_defaults: Callable[[], dict[str, Any]] = packaged_policy) -> None:
        self.conn = conn
        self.policy_defaults = policy_defaults
        self.login = login
        self.user = conn.info.user  # the sync login: the author the server records
        self.device_millis = device_millis
        self.local = local
        self.device = local(device_id)
        self.report = SyncReport()
        self.touched: set[tuple[str, str]] = set()
        self.skipped: Counter[str] = Counter()  # pulled changes naming unknown tables

    # -- connect ---------------------------------------------------------------------
    def check_server(self) -> None:
        _, server_id = check_schema(self.conn)
        known = self.local(lambda: get_meta("server_id"))
        if known and known != server_id:
            raise SyncError("this desk synced with a different team database before; "
                            "it will not mix two teams' tickets")
        team_admin = bool(self.conn.execute("SELECT desk.is_team_admin()").fetchone()[0])
        if not known:
            self.local(lambda: self.join(server_id, self.user, team_admin))
        else:
            self.local(lambda: _atomically(
                lambda: follow_team_admin(self.user, team_admin)))
        self.recognise_copy()

    def recognise_copy(self) -> None:
        """Take a new device identity when the team database holds more changes of this
        device than this desk pushed: its file was copied (another copy pushed as this
        device) or restored from an older backup. The sync then checks every row
        against the server and repairs what differs (see :mod:`desk_app.sync.identity`)."""
        identity.hold_device(self.conn, self.device)
        stored = identity.server_count(self.conn, self.device)
        pushed = self.local(lambda: identity.pushed_count(self.device))
        if pushed is None:  # a desk that joined before desks counted their pushes
            self.local(lambda: _atomically(
                lambda: identity.set_pushed_count(self.device, stored)))
            return
        if stored <= pushed:
            return
        unacknowledged = identity.stored_unacknowledged(
            self.conn, self.device, self.local(identity.outbox_ops))
        if stored <= pushed + unacknowledged:
            # Our own pushes, stored before the desk counted them (sending again skips
            # them): all the server holds of this device is ours. (Adding them instead
            # counted twice what a second cut push of the same entries stored.)
            self.local(lambda: _atomically(
                lambda: identity.set_pushed_count(self.device, stored)))
            return
        old = self.device
        self.device = self.local(lambda: _atomically(identity.take_new_identity))
        identity.hold_device(self.conn, self.device)
        log.warning("device %s: the team database holds %d of its changes, this desk "
                    "pushed %d; now device %s", old, stored, pushed, self.device)
        self.report.new_identity = True
        self.report.warnings.append(
            "this desk's file was copied or restored from a backup (the team database "
            "has more of this device's changes than the desk pushed); it now syncs as a "
            "new device, checked every row against the team database and took back what "
            "it lacked")

    def join(self, server_id: str, user: str, team_admin: bool) -> None:
        """First contact: the sync login becomes the desk's technician (administrator
        only if the team says so); queue the people and groups we know (they are keyed
        by natural keys, so others' copies merge) and leave standalone numbering."""
        with database.atomic():
            take_team_roles(user, team_admin)
            clock = load_clock(self.device_millis)
            for table in ("support_group", "technician"):
                queue(outbox_entry(clock, table, row[0])
                      for row in database.execute_sql(f"SELECT id FROM {table}"))
            save_clock(clock)
            queue_everything_again(self.device_millis)
            numbers.leave_standalone()
            identity.set_pushed_count(device_id(), 0)
            set_meta("server_id", server_id)

    def line_up_clock(self) -> None:
        """Measure the device clock against the server's; re-stamp pending changes
        when the offset moved (a device clock days off still orders correctly)."""
        offset = clock_offset(self.conn, self.device_millis)
        self.report.clock_offset_ms = offset
        if abs(offset) > MAX_CLOCK_AHEAD_MS:
            self.report.warnings.append(
                f"this device's clock is {_duration(offset)} "
                f"{'ahead of' if offset > 0 else 'behind'} the server; changes are ordered "
                "by the server's time")
        self.local(lambda: self._restamp(offset))

    def _restamp(self, offset: int) -> None:
        previous = int(get_meta("clock_offset_ms") or 0)
        delta = offset - previous
        if abs(delta) < RESTAMP_THRESHOLD_MS:
            return
        with database.atomic():
            set_meta("clock_offset_ms", str(offset))
            rows = database.execute_sql("SELECT op_id, hlc FROM outbox").fetchall()
            database.cursor().executemany(
                "UPDATE outbox SET hlc = ? WHERE op_id = ?",
                [(_shift(hlc, -delta), op) for op, hlc in rows])
            clock = load_clock(self.device_millis)
            last = clock.last
            shifted = Stamp(max(0, last.millis - delta), last.counter, last.device)
            newest = database.execute_sql("SELECT MAX(hlc) FROM outbox").fetchone()[0]
            received = get_meta("hlc_received")
            floor = max(filter(None, (newest, received)), default=None)
            clock.last = max(shifted, Stamp.decode(floor)) if floor else shifted
            save_clock(clock)

    # -- push ------------------------------------------------------------------------
    def push(self) -> None:
        entries = self.local(outgoing.read_pending)
        policy = [e for e in entries if e.entity == "policy_section"]
        groups = [e for e in entries if e.entity == "support_group"]
        people = [e for e in entries if e.entity == "technician"]
        catalogue = [e for e in entries if e.entity in CATALOGUE_ENTITIES]
        others = [e for e in entries
                  if e.entity not in ("policy_section", "support_group", "technician",
                                      *CATALOGUE_ENTITIES)]
        if policy:
            try:
                self._push_entries(policy)
            except psycopg.Error as error:
                if getattr(error, "sqlstate", None) != POLICY_REFUSED:
                    raise
                self._policy_refused(policy, error)
        self._push_entries(groups)  # technicians refer to them
        if people:
            self._push_people(people)
        if catalogue:
            self._push_catalogue(catalogue)
        self._push_entries(others)

    def _push_catalogue(self, entries: list[outgoing.Pending]) -> None:
        """The catalogue is the administrators': a technician login's changes to it are
        refused by the server, dropped here, and the team's rows taken back."""
        try:
            self._push_entries(entries)
            return
        except psycopg.Error as error:
            if getattr(error, "sqlstate", None) != CATALOGUE_REFUSED:
                raise
            reason = error.diag.message_primary or str(error)
        self.report.warnings.append(f"{reason}; your catalogue changes were not shared "
                                    "and the team's catalogue was restored")
        for name in CATALOGUE_ENTITIES:
            refused = [e for e in entries if e.entity == name]
            if refused:
                self._take_team_rows_back(name, refused)

    def _push_people(self, people: list[outgoing.Pending]) -> None:
        """Technicians are the team's: a technician login's changes to them are refused
        by the server; those are dropped here and the team's rows taken back (each
        entry is tried on its own, so a new person this desk brings still goes)."""
        try:
            self._push_entries(people)
            return
        except psycopg.Error as error:
            if getattr(error, "sqlstate", None) != PEOPLE_REFUSED:
                raise
        refused: list[outgoing.Pending] = []
        reason = ""
        for entry in people:
            try:
                self._push_entries([entry])
            except psycopg.Error as error:
                if getattr(error, "sqlstate", None) != PEOPLE_REFUSED:
                    raise
                refused.append(entry)
                reason = error.diag.message_primary or str(error)
        if not refused:
            return
        ids = sorted({e.row_id for e in refused})
        ours = self.local(lambda: _people(ids))
        known = self._team_changed("technician", ids)
        self._take_team_rows_back("technician", refused)
        # A joining desk re-announces people the team has already; say so only when the
        # team's rows differ from what the desk had, or the team has no such person.
        if self.local(lambda: _people(ids)) != ours or known != set(ids):
            self.report.warnings.append(f"{reason}; your changes to technicians were not "
                                        "shared and the team's were restored")

    def _push_entries(self, entries: list[outgoing.Pending]) -> None:
        """Send the entries chunk by chunk, each in its own server transaction and
        acknowledged here once it committed. While the server stores one chunk, the
        next one is read and the one before acknowledged (only one send is ever in
        flight on the connection, so chunks commit in order)."""
        chunks = [entries[start:start + PUSH_CHUNK]
                  for start in range(0, len(entries), PUSH_CHUNK)]
        if not chunks:
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="push") as network:

            def start_sending(batch: outgoing.PushBatch) -> Future | None:
                return network.submit(outgoing.send_batch, self.conn, self.device,
                                      batch.copy_text) \
                    if batch.records else None

            batch = self.local(lambda: outgoing.change_records(chunks[0]))
            sending = start_sending(batch)
            for index, chunk in enumerate(chunks):
                following = self.local(lambda i=index: outgoing.change_records(chunks[i + 1])) \
                    if index + 1 < len(chunks) else outgoing.change_records([])
                stored = sending.result() if sending is not None else 0
                sending = start_sending(following)
                self.local(lambda c=chunk, n=stored: self._acknowledge(c, n))
                self.report.pushed += batch.records
                self.touched |= batch.rows
                batch = following

    def _acknowledge(self, entries: list[outgoing.Pending], stored: int) -> None:
        """The server stored ``entries`` (``stored`` of them new): trim them, count them
        as this device's, and record our login as their author, as the server did."""
        with database.atomic():
            outgoing.acknowledge(entries)
            identity.add_pushed(self.device, stored)
            record_pushed(entries, self.user)

    def _policy_refused(self, policy: list[outgoing.Pending], error: psycopg.Error) -> None:
        """A non-admin's policy edits are not the team's: drop them and take the team's
        policy back (the default every desk starts from, for a section the team never
        changed)."""
        reason = error.diag.message_primary or str(error)
        self.report.warnings.append(f"{reason}; your policy changes were not shared and "
                                    "the team's policy was restored")
        keys = sorted({e.row_id for e in policy})
        changed = self._team_changed("policy_section", keys)
        self._take_team_rows_back("policy_section", policy)
        untouched = [key for key in keys if key not in changed]
        if untouched:
            defaults = self.policy_defaults()
            self.local(lambda: _atomically(lambda: restore_defaults(untouched, defaults)))

    def _team_changed(self, entity: str, ids: list[str]) -> set[str]:
        """Which of these rows the team database holds any change of."""
        return {row[0] for row in self.conn.execute(
            "SELECT DISTINCT row_id FROM desk.change WHERE entity = %s "
            "AND row_id = ANY(%s)", (entity, ids))}

    def _take_team_rows_back(self, entity: str, refused: list[outgoing.Pending]) -> None:
        """Drop the refused entries from the outbox and repair their rows from the
        team's (:func:`desk_app.sync.repair.repair`)."""
        rows = {(entity, e.row_id) for e in refused}
        self.local(lambda: _in_transaction(outgoing.forget, [e.op_id for e in refused]))
        self.touched |= rows
        repair(self.conn, rows, self.device, self.local(_cursor), force=True,
               device_millis=self.device_millis, local=self.local)

    # -- numbers ---------------------------------------------------------------------
    def settle_numbers(self, block_size: int) -> None:
        """Claim the numbers of our new tickets first (the server's counter moves past
        them, so the blocks reserved next never hold one), then reserve blocks and
        renumber the temporary numbers and those another desk holds."""
        for _ in range(10):
            temporary, numbered = [], []
            for ticket in self.local(numbers.unpushed_tickets):
                (temporary if TEMPORARY.match(ticket[1]) else numbered).append(ticket)
            to_renumber = temporary + numbers.claim(self.conn, self.device, numbered)
            needed = Counter(number[:3] for _, number in to_renumber)
            self.report.blocks_reserved += numbers.top_up(self.conn, self.device,
                                                          block_size, self.local, needed)
            if not to_renumber:
                return
            self.local(lambda r=to_renumber: self._renumber(r))
        raise SyncError("numbers: could not find free ticket numbers after 10 rounds")

    def _renumber(self, tickets: list[tuple[str, str]]) -> None:
        with database.atomic():
            at = self.device_millis() - int(get_meta("clock_offset_ms") or 0)
            for ticket_id, old in sorted(tickets):  # ids are UUIDv7: in logging order
                new = numbers.renumber(ticket_id, old, self.login, at)
                if new is None:  # blocks spent: the next round reserves more
                    break
                self.report.renumbered.append((old, new))

    # -- verify ----------------------------------------------------------------------
    def check(self, verify_all: bool) -> None:
        """Compare what this sync touched (or everything) with the server; on a
        mismatch repair with a full resync, push what that queued, and check again.
        Everything is checked after a copy, and once this desk-app knows a table or
        column whose changes an earlier pull skipped (the repair brings them)."""
        known_again = self.local(_skipped_now_known)
        self._check(verify_all or self.report.new_identity or bool(known_again))
        if known_again:
            self.local(lambda: _atomically(lambda: _forget_skipped(known_again)))

    def _check(self, verify_all: bool) -> None:
        rows = self.all_rows() if verify_all else self.touched
        if not verify_all and len(rows) > VERIFY_SAMPLE:  # a first push: check a sample
            rows = set(random.sample(sorted(rows), VERIFY_SAMPLE))
        result = verify(self.conn, rows, self.device, self.local(_cursor), self.local)
        self.report.verified_rows = sum(t.local_count for t in result.tables.values())
        if result.matches:
            return
        differing = ", ".join(f"{name} ({len(ids)})"
                              for name, ids in result.mismatched().items())
        log.warning("local copy differs from the team database: %s", differing)
        self.report.repaired = True
        self.report.warnings.append(
            f"the local copy differed from the team database ({differing}); "
            "repaired by a full resync")
        everything = self.all_rows()
        repair(self.conn, everything, self.device, self.local(_cursor),
               device_millis=self.device_millis, local=self.local)
        self.push()
        again = verify(self.conn, rows, self.device, self.local(_cursor), self.local)
        if not again.matches:
            raise SyncError("the local copy still differs from the team database after a "
                            "full resync: " + ", ".join(again.mismatched()))

    def all_rows(self) -> set[tuple[str, str]]:
        """Every synced row, here or on the server ((entity, id); tickets cover their
        appended rows)."""
        rows: set[tuple[str, str]] = self.local(_local_rows)
        for entity, row_id in self.conn.execute(
                "SELECT DISTINCT entity, row_id FROM desk.change"):
            if entity in ENTITIES:  # another desk-app's tables are not ours to check
                rows.add(owner(entity, row_id))
        return rows

    # -- pull ------------------------------------------------------------------------
    def pull(self) -> None:
        while True:
            cursor = self.local(_cursor)
            rows = self.conn.execute(
                """WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
                   SELECT s.xmin::text, c.txid::text, c.seq, c.entity, c.row_id, c.field,
                          c.value, c.hlc, c.device_id, c.author
                   FROM s LEFT JOIN LATERAL (
                       SELECT * FROM desk.change
                       WHERE (txid, seq) > (%s::xid8, %s) AND txid < s.xmin
                         AND device_id <> %s
                       ORDER BY txid, seq LIMIT %s) c ON true""",
                (cursor[0], cursor[1], self.device, PULL_PAGE)).fetchall()
            changes = [Change(r[3], r[4], r[5], r[6], r[7], r[8], r[9])
                       for r in rows if r[1] is not None]
            if len(changes) == PULL_PAGE:
                new_cursor = f"{rows[-1][1]}:{rows[-1][2]}"
            else:
                new_cursor = f"{rows[0][0]}:0"
            self.local(lambda c=changes, n=new_cursor: self._apply(c, n))
            if len(changes) < PULL_PAGE:
                self._say_skipped()
                return

    def _apply(self, pulled: list[Change], new_cursor: str) -> None:
        changes, unknown = known_changes(pulled)
        with database.atomic():
            database.execute_sql("PRAGMA defer_foreign_keys = ON")
            conflicts, touched = apply_changes(changes, identity.former_devices())
            record_pulled(changes)
            clock = load_clock(self.device_millis)
            if changes:
                newest = max(c.hlc for c in changes)
                clock.receive(Stamp.decode(newest))
                set_meta("hlc_received", max(newest, get_meta("hlc_received") or ""))
            by_ticket: dict[str, list[str]] = {}
            for row in conflicts:
                if "ticket_id" in row:
                    by_ticket.setdefault(row["ticket_id"], []).append(row["id"])
            queue(outbox_entry(clock, "history", ticket_id, None, ids)
                  for ticket_id, ids in by_ticket.items())
            queue(outbox_entry(clock, "article_history", row["id"])
                  for row in conflicts if "article_id" in row)
            save_clock(clock)
            if unknown:  # with the cursor that moves past them: see check()
                _remember_skipped({unknown_name(c) for c in unknown})
            set_meta("sync_cursor", new_cursor)
        self.report.pulled += len(changes)
        self.report.conflicts += len(conflicts)
        self.touched |= touched
        self.skipped.update(unknown_name(c) for c in unknown)

    def _say_skipped(self) -> None:
        """One warning for the pulled changes this desk-app could not apply."""
        if not self.skipped:
            return
        names = sorted(self.skipped)
        count = sum(self.skipped.values())
        log.warning("skipped %d pulled changes this desk-app cannot apply: %s", count,
                    ", ".join(names))
        self.report.warnings.append(
            f"skipped {count} change(s) from the team database naming a table or column "
            f"this desk-app does not sync ({', '.join(names[:5])}"
            f"{', ...' if len(names) > 5 else ''}): written by a newer desk-app, or damaged")
        self.skipped.clear()


_SKIPPED = "pull_skipped"  # meta: names of the tables and columns pulls skipped


def _skipped() -> set[str]:
    try:
        names = json.loads(get_meta(_SKIPPED) or "[]")
    except ValueError:
        return set()
    return {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()


def _remember_skipped(names: set[str]) -> None:
    set_meta(_SKIPPED, json.dumps(sorted(_skipped() | names)))


def _skipped_now_known() -> set[str]:
    return {name for name in _skipped() if now_known(name)}


def _forget_skipped(names: set[str]) -> None:
    set_meta(_SKIPPED, json.dumps(sorted(_skipped() - names)))


def _people(ids: list[str]) -> dict[str, tuple]:
    """What the team decides of these technicians: role, group, active flag."""
    return {t.id: (t.role, t.group_id, t.active)
            for t in Technician.select().where(Technician.id.in_(ids))}


def _in_transaction(step: Callable[[list], None], items: list) -> None:
    with database.atomic():
        step(items)


def _atomically(step: Callable[[], T]) -> T:
    with database.atomic():
        return step()


def _local_rows() -> set[tuple[str, str]]:
    """(entity, id) of every mutable synced row on this desk."""
    return {(kind.name, r[0]) for kind in MUTABLE
            for r in database.execute_sql(f"SELECT {kind.key} FROM {kind.name}")}


def _shift(hlc: str, delta: int) -> str:
    stamp = Stamp.decode(hlc)
    return Stamp(max(0, stamp.millis + delta), stamp.counter, stamp.device).encode()


def _duration(millis: int) -> str:
    seconds = abs(millis) // 1000
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 60:.0f} minutes"


def run_sync(settings: RemoteSettings, login: str,
             device_millis: Callable[[], int] = system_millis,
             block_size: int = numbers.BLOCK_SIZE, verify_all: bool = False,
             local: LocalRunner = run_here) -> SyncReport:
    """One full sync: network I/O on the calling thread, local steps through ``local``.
    Records the outcome (last sync or last error) in the desk; raises
    :class:`SyncError` with the reason when it could not finish."""
    try:
        with connect(settings) as conn:
            sync = Sync(conn, login, device_millis, local)
            sync.check_server()
            sync.line_up_clock()
            sync.settle_numbers(block_size)
            # Pull first: our edits are still pending while others' arrive, so a
            # concurrent edit of a long text is noticed here and kept as a conflict.
            sync.pull()
            sync.push()
            sync.check(verify_all)
            sync.report.warnings += share_contents(conn, login, local).problems
    except (psycopg.Error, OSError) as error:
        reason = describe_error(error)
        local(lambda: _record_error(reason))
        raise SyncError(reason) from error
    except SyncError as error:
        reason = str(error)
        local(lambda: _record_error(reason))
        raise
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
        local(lambda: _record_error(reason))
        raise
    local(_record_success)
    log.info("synced with %s: %s", settings.display(), sync.report.summary())
    return sync.report


def _record_success() -> None:
    with database.atomic():
        set_meta("last_sync", datetime.now(UTC).isoformat(timespec="seconds"))
        database.execute_sql("DELETE FROM meta WHERE key = 'last_error'")


def _record_error(reason: str) -> None:
    log.warning("sync failed: %s", reason)
    with database.atomic():
        set_meta("last_error", reason)
