"""Benchmark of one watcher pass: a desk of N tickets of which 10k are open, against the
same due-time queries run in raw sqlite3 (the pass's own SQL, recorded and replayed).

Prints our median pass, the raw baseline, the ratio, and whether it stays under the
50 ms budget. The pass must not grow from 10k to 1M tickets: it reads open tickets
through the due-time indexes, never the closed ones.

    python tests/benchmarks/bench_watch.py                         # 10k, 100k, 1M
    python tests/benchmarks/bench_watch.py --sizes 10000 100000     # quick
    python tests/benchmarks/bench_watch.py --workdir /tmp/bench     # reuse built desks
"""

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from desk_app.app import open_desk
from desk_app.services.watch import watch_pass
from desk_app.storage.database import PRAGMAS, close_database, database
from desk_app.storage.fields import to_millis

OPEN_TICKETS = 10_000
BUDGET_MS = 50.0
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HOUR = 3_600_000
DAY = 24 * HOUR

# Open tickets: a third overdue (breached, every level reached, responded), the rest
# due within the next ten days (most in progress, a few untouched), spread evenly.
# Closed tickets: long past. A few resolved tickets wait for the user.
BUILD = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :total)
INSERT INTO ticket (id, number, type, status, impact, urgency, priority, summary,
                    group_id, support_level, hierarchic_level, logged_at, updated_at,
                    responded_at, resolved_at, closed_at, response_due, resolution_due,
                    response_breached, resolution_breached, confirmation, knowledge,
                    problem_decision, resolution_type, resolution_code, resolution_notes)
SELECT printf('t%09d', i), printf('INC-%09d', i), 'incident',
       CASE WHEN i <= :open THEN (CASE i % 10 WHEN 0 THEN 'new' WHEN 1 THEN 'on_hold'
                                  ELSE 'in_progress' END)
            WHEN i <= :open + 200 THEN 'resolved' ELSE 'closed' END,
       'medium', 'medium', 'P' || (1 + i % 4), 'bench ticket', :group,
       'L2', CASE WHEN i <= :open AND i % 3 = 0 THEN 3 ELSE 0 END,
       logged, logged,
       CASE WHEN i <= :open AND i % 10 = 0 AND i % 3 != 0 THEN NULL ELSE logged + 60000 END,
       CASE WHEN i <= :open THEN NULL ELSE logged + 2 * 3600000 END,
       CASE WHEN i <= :open + 200 THEN NULL ELSE logged + 3 * 86400000 END,
       due - 3 * 3600000, due,
       CASE WHEN i <= :open AND i % 3 = 0 THEN 1 ELSE 0 END,
       CASE WHEN i <= :open AND i % 3 = 0 THEN 1 ELSE 0 END,
       CASE WHEN i <= :open + 200 THEN NULL ELSE 'confirmed' END,
       'updated', 'not_needed', 'permanent', 'solved', 'fixed'
FROM (SELECT i,
             CASE WHEN i <= :open AND i % 3 = 0 THEN :now - 2 * 86400000
                  WHEN i <= :open THEN :now + (i * 7919) % (10 * 86400000) + 86400000
                  WHEN i <= :open + 200 THEN :now - (i % 50) * 3600000
                  ELSE :now - 400 * 86400000 + (i % 300) * 86400000 END AS due,
             CASE WHEN i <= :open + 200 AND i > :open THEN :now - (i % 50) * 3600000
                       - 3 * 3600000
                  ELSE :now - 30 * 86400000 + (i % 20) * 86400000 END AS logged
      FROM n)
"""


def build_desk(workdir: Path, total: int) -> Path:
    """A desk of ``total`` tickets, 10k of them open (kept and reused in ``workdir``)."""
    folder = workdir / f"watch-{total}"
    done = folder / "built"
    if done.exists():
        return folder
    start = time.perf_counter()
    open_desk(folder, login="root", now_fn=lambda: NOW)
    group = database.execute_sql("SELECT id FROM support_group WHERE level = 'L2' "
                                 "LIMIT 1").fetchone()[0]
    close_database()
    con = sqlite3.connect(folder / "desk.sqlite3", isolation_level=None)
    triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'ticket'").fetchall()
    con.execute("BEGIN")
    for name, _sql in triggers:  # the search index plays no part in the watcher
        con.execute(f"DROP TRIGGER {name}")
    con.execute(BUILD, {"total": total, "open": OPEN_TICKETS, "group": group,
                        "now": to_millis(NOW)})
    for _name, sql in triggers:
        con.execute(sql)
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()
    done.touch()
    print(f"(built {total:,} tickets in {time.perf_counter() - start:.1f} s)", flush=True)
    return folder


def recorded_queries(desk_session) -> list[tuple[str, list]]:
    """The SQL a pass runs against the ticket table, with its parameters."""
    seen: list[tuple[str, list]] = []
    original = database.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        if "FROM ticket" in sql and sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, list(params or [])))
        return original(sql, params, *args, **kwargs)

    database.execute_sql = recording
    try:
        watch_pass(desk_session)
    finally:
        database.execute_sql = original
    return seen


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench(workdir: Path, total: int, repeat: int) -> tuple[float, float]:
    folder = build_desk(workdir, total)
    desk = open_desk(folder, login="root", now_fn=lambda: NOW)
    first = time.perf_counter()
    settled = watch_pass(desk.session)  # applies what the build left due (warnings)
    print(f"  first pass at {total:,}: {len(settled.done)} rule(s) applied in "
          f"{time.perf_counter() - first:.2f} s", flush=True)
    queries = recorded_queries(desk.session)
    ours = median_ms(lambda: watch_pass(desk.session), repeat)
    close_database()
    con = sqlite3.connect(folder / "desk.sqlite3", isolation_level=None)
    for key, value in PRAGMAS.items():
        con.execute(f"PRAGMA {key} = {value}")

    def raw() -> None:
        for sql, params in queries:
            con.execute(sql, params).fetchall()

    baseline = median_ms(raw, repeat)
    plans = {row[3] for sql, params in queries
             for row in con.execute("EXPLAIN QUERY PLAN " + sql, params)}
    con.close()
    assert not any(plan.startswith("SCAN ticket") for plan in plans), plans
    return ours, baseline


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-watch-"))
    print(f"{'one watcher pass, 10k open of':<34} {'ours ms':>10} {'raw ms':>10} "
          f"{'ratio':>7}  budget", flush=True)
    figures = []
    for total in args.sizes:
        ours, raw = bench(workdir, total, args.repeat)
        figures.append(ours)
        print(f"{f'{total:,} tickets':<34} {ours:10.2f} {raw:10.2f} {ours / raw:6.2f}x  "
              f"{'ok' if ours < BUDGET_MS else 'OVER'} (< {BUDGET_MS:g} ms)", flush=True)
    if len(figures) > 1:
        print(f"largest / smallest desk: {figures[-1] / figures[0]:.2f}x", flush=True)
    return 0 if all(f < BUDGET_MS for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
