"""Benchmarks of the local store: logging, bulk import, open queue, search, report.

Prints, for each operation, our median, a raw sqlite3 baseline measured in the same
run, and the ratio (ours / raw).
"""

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from desk_app.app import open_desk
from desk_app.core.ids import uuid7
from desk_app.services.demo import write_demo_tickets
from desk_app.services.intake import NewTicket, log_ticket
from desk_app.services.reporting import report
from desk_app.services.transfer.importer import import_records
from desk_app.services.transfer.json_format import export_records
from desk_app.storage.database import PRAGMAS, close_database
from desk_app.storage.models import History, Ticket, Worklog
from desk_app.storage.rows import columns_of
from desk_app.storage.ticket_queries import TicketFilter, list_tickets

OPEN = "('new', 'assigned', 'in_progress', 'on_hold')"


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm caches once
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def row(name: str, ours: float, raw: float | None) -> None:
    ratio = f"{ours / raw:6.2f}x" if raw else "     -"
    raw_text = f"{raw:10.3f}" if raw is not None else "         -"
    print(f"{name:<46} {ours:10.3f} {raw_text} {ratio}", flush=True)


def raw_connection(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None)
    for key, value in PRAGMAS.items():
        con.execute(f"PRAGMA {key} = {value}")
    return con


def demo_database(workdir: Path, size: int) -> Path:
    folder = workdir / f"demo-{size}"
    if not (folder / "desk.sqlite3").exists():
        shutil.rmtree(folder, ignore_errors=True)
        desk = open_desk(folder, login="root")
        start = time.perf_counter()
        write_demo_tickets(desk.session, size)
        print(f"(built {size:,} demo tickets in {time.perf_counter() - start:.1f} s)",
              flush=True)
        close_database()
    return folder


def bench_logging(workdir: Path, repeat: int) -> None:
    folder = workdir / "logging"
    shutil.rmtree(folder, ignore_errors=True)
    desk = open_desk(folder, login="root")
    form = NewTicket(summary="VPN drops", description="Since this morning", reporter="Bob",
                     contact="bob@example.com", channel="phone", service="Remote access",
                     impact="medium", urgency="medium", category="Network", subcategory="VPN",
                     detected_at=desk.session.now())
    ours = median_ms(lambda: log_ticket(desk.session, form), repeat)
    sample = Ticket.select().order_by(Ticket.logged_at.desc()).dicts().first()
    ticket_row = {Ticket._meta.fields[k].column_name: Ticket._meta.fields[k].db_value(v)
                  for k, v in sample.items()}
    history = list(History.select().where(History.ticket == sample["id"]).tuples())
    close_database()

    con = raw_connection(folder / "desk.sqlite3")
    names = columns_of(Ticket)
    ticket_sql = f"INSERT INTO ticket ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    counter = [10_000]

    def raw_log() -> None:
        counter[0] += 1
        values = dict(ticket_row, id=uuid7(), number=f"RAW-{counter[0]:06d}")
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE number_block SET next = next + 1 WHERE prefix = 'INC' "
                    "RETURNING next")
        con.execute(ticket_sql, [values[n] for n in names])
        con.executemany("INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [(uuid7(), values["id"], *h[2:]) for h in history])
        con.execute("INSERT INTO outbox VALUES (?, 'ticket', ?, NULL, NULL, ?, 'dev')",
                    (uuid7(), values["id"], f"{counter[0]:013d}"))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('hlc', ?)", (str(counter[0]),))
        con.execute("COMMIT")

    raw = median_ms(raw_log, repeat)
    con.close()
    row(f"log one ticket (+{len(history)} history, search, outbox)", ours, raw)


def bench_import(workdir: Path, source: Path, count: int) -> None:
    desk = open_desk(source, login="root")
    records = []
    for index, record in enumerate(export_records(desk.session)):
        if index >= count:
            break
        records.append((index + 1, record))
    close_database()

    ours_runs, raw_runs = [], []
    for _ in range(3):
        ours_ms, tickets, history, worklog = _import_once(workdir, records)
        ours_runs.append(ours_ms)
        raw_runs.append(_raw_import_once(workdir, tickets, history, worklog))
    ours, raw = statistics.median(ours_runs), statistics.median(raw_runs)
    row(f"import {count:,} tickets (+{len(history) + len(worklog):,} rows), median of 3",
        ours, raw)


def _import_once(workdir: Path, records: list) -> tuple[float, list, list, list]:
    target = workdir / "import"
    shutil.rmtree(target, ignore_errors=True)
    desk = open_desk(target, login="root")
    start = time.perf_counter()
    import_records(desk.session, records)
    ours = (time.perf_counter() - start) * 1000
    tickets = list(Ticket.select().tuples())
    history = list(History.select().tuples())
    worklog = list(Worklog.select().tuples())
    close_database()
    return ours, tickets, history, worklog


def _raw_import_once(workdir: Path, tickets: list, history: list, worklog: list) -> float:
    """The same rows with plain executemany into the same schema (search triggers on)."""
    raw_path = workdir / "import-raw.sqlite3"
    raw_path.unlink(missing_ok=True)
    shutil.copy(workdir / "import" / "desk.sqlite3", raw_path)
    con = raw_connection(raw_path)
    for table in ("link", "checklist_tick", "worklog", "history", "outbox", "ticket",
                  "ticket_search"):
        con.execute(f"DELETE FROM {table}")
    start = time.perf_counter()
    con.execute("BEGIN")
    placeholders = ", ".join("?" * len(tickets[0]))
    con.executemany(f"INSERT INTO ticket VALUES ({placeholders})", tickets)
    con.executemany("INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?)", history)
    con.executemany("INSERT INTO worklog VALUES (?, ?, ?, ?, ?, ?, ?)", worklog)
    con.execute("COMMIT")
    raw = (time.perf_counter() - start) * 1000
    con.close()
    return raw


def bench_queries(folder: Path, size: int, repeat: int) -> None:
    desk = open_desk(folder, login="root")
    columns = ("t.id, t.number, t.type, t.status, t.priority, t.major, t.summary, "
               "t.category, g.name, p.login, t.resolution_due, t.sla_stopped_since, "
               "t.hold_reason, t.logged_at, t.updated_at")
    ours = median_ms(lambda: list_tickets(TicketFilter(open_only=True), limit=50), repeat)
    search = "vpn drops"
    ours_search = median_ms(lambda: list_tickets(TicketFilter(search=search), limit=50),
                            repeat)
    ours_report = median_ms(lambda: report(desk.session), max(1, repeat // 10))
    close_database()

    con = raw_connection(folder / "desk.sqlite3")
    raw = median_ms(lambda: con.execute(  # the same SQL, index hint included
        f"SELECT {columns} FROM ticket t INDEXED BY ticket_open_by_due "
        "LEFT JOIN support_group g ON g.id = t.group_id "
        f"LEFT JOIN technician p ON p.id = t.assignee_id WHERE t.status IN {OPEN} "
        "ORDER BY t.resolution_due, t.id LIMIT 50").fetchall(), repeat)
    raw_search = median_ms(lambda: con.execute(
        f"SELECT {columns} FROM ticket t LEFT JOIN support_group g ON g.id = t.group_id "
        "LEFT JOIN technician p ON p.id = t.assignee_id WHERE t.rowid IN (SELECT rowid FROM "
        "ticket_search WHERE ticket_search MATCH ?) ORDER BY t.resolution_due, t.id LIMIT 50",
        ('"vpn" AND "drops"*',)).fetchall(), repeat)
    raw_scan = median_ms(lambda: con.execute(
        "SELECT status, priority, COUNT(*), AVG(resolved_at - logged_at) FROM ticket "
        "GROUP BY status, priority").fetchall(), max(1, repeat // 10))
    con.close()
    row(f"first page of open queue by due, {size:,}", ours, raw)
    row(f"full-text search 'vpn drops', {size:,}", ours_search, raw_search)
    row(f"KPI report, {size:,} (raw: one grouped scan)", ours_report, raw_scan)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="desk-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"work folder {workdir}; times in ms (median)", flush=True)
    print(f"{'operation':<46} {'ours':>10} {'raw':>10} {'ratio':>7}")
    bench_logging(workdir, args.repeat)
    databases = {size: demo_database(workdir, size) for size in sorted(args.sizes)}
    bench_import(workdir, databases[min(databases)], min(10_000, min(databases)))
    for size, folder in databases.items():
        bench_queries(folder, size, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
