"""Suggestions while typing: a 20-character query typed letter by letter over N demo
tickets plus 10,000 published knowledge articles, each keystroke one call of
``services.diagnosis.suggest`` (what the database thread runs for the logging form).

Prints, per desk size, the mean, 95th percentile and worst time per keystroke, next to
a raw baseline measured in the same run: plain sqlite3 running FTS5 MATCH ... ORDER BY
rank (bm25) LIMIT 8 on the same two indexes for the same typed text, and the ratio
(ours / raw). The target is under 30 ms per keystroke at 1M tickets.

    python tests/benchmarks/bench_suggest.py --sizes 10000 100000
    python tests/benchmarks/bench_suggest.py --sizes 1000000 --workdir /tmp/bench
"""

import argparse
import importlib.util
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from desk_app.app import open_desk
from desk_app.services.demo import write_demo_tickets
from desk_app.services.diagnosis import suggest, suggest_for_ticket
from desk_app.storage.database import PRAGMAS, close_database, database
from desk_app.storage.models import KnowledgeArticle
from desk_app.storage.search import fts_query

ARTICLES = 10_000
TYPED = ("outlook keeps crashi", "printer paper jam fl", "vpn disconnects eve",
         "cannot sign in to te")
SITES = ("", " (London)", " (Leeds)", " (remote staff)", " (warehouse)")


def _generated_articles() -> list[dict[str, str]]:
    path = Path(__file__).parents[1] / "data" / "relevance" / "articles.py"
    spec = importlib.util.spec_from_file_location("relevance_articles", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.articles()


def _add_articles(count: int) -> None:
    have = KnowledgeArticle.select().count()
    if have >= count:
        return
    base = _generated_articles()
    rows = []
    for index in range(have, count):
        article = base[index % len(base)]
        site = SITES[(index // len(base)) % len(SITES)]
        rows.append({"number": f"KB-{index + 1:06d}", "title": article["title"] + site,
                     "symptoms": article["symptoms"], "cause": article["cause"],
                     "solution": article["solution"], "status": "published",
                     "author": "root", "created_at": 0, "updated_at": 0})
    with database.atomic():
        for start in range(0, len(rows), 1000):
            KnowledgeArticle.insert_many(rows[start:start + 1000]).execute()


def desk_folder(workdir: Path, size: int) -> Path:
    """A desk of ``size`` demo tickets and 10k articles, built once and reused."""
    folder = workdir / f"suggest-{size}"
    if not (folder / "desk.sqlite3").exists():
        shutil.rmtree(folder, ignore_errors=True)
        desk = open_desk(folder, login="root")
        start = time.perf_counter()
        write_demo_tickets(desk.session, size)
        print(f"(built {size:,} demo tickets in {time.perf_counter() - start:.1f} s)",
              flush=True)
        close_database()
    desk = open_desk(folder, login="root")
    _add_articles(ARTICLES)
    return folder


def per_keystroke(fn) -> list[float]:
    """Milliseconds of ``fn(prefix)`` for every prefix of every typed query."""
    for text in TYPED:  # warm the caches (vocabulary, pages) once
        fn(text)
    times = []
    for text in TYPED:
        for end in range(1, len(text) + 1):
            start = time.perf_counter()
            fn(text[:end])
            times.append((time.perf_counter() - start) * 1000)
    return times


def raw_connection(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None)
    for key, value in PRAGMAS.items():
        con.execute(f"PRAGMA {key} = {value}")
    return con


def raw_suggest(con: sqlite3.Connection, text: str) -> None:
    """The plain FTS5 way: any word, the last as a prefix, bm25 order, on both indexes."""
    match = fts_query(text, any_word=True)
    if match is None:
        return
    con.execute("SELECT rowid FROM ticket_search WHERE ticket_search MATCH ? "
                "ORDER BY rank LIMIT 8", (match,)).fetchall()
    con.execute("SELECT rowid FROM knowledge_search WHERE knowledge_search MATCH ? "
                "ORDER BY rank LIMIT 8", (match,)).fetchall()


def figures(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    return (statistics.mean(times), ordered[int(0.95 * (len(ordered) - 1))], ordered[-1])


def bench(workdir: Path, size: int) -> None:
    folder = desk_folder(workdir, size)
    desk = open_desk(folder, login="root")
    ours = figures(per_keystroke(lambda text: suggest(desk.session, text)))
    numbers = [row[0] for row in database.execute_sql(
        "SELECT number FROM ticket ORDER BY rowid DESC LIMIT 20")]
    opened = []
    for number in numbers:  # the ticket view's Suggestions tab, from summary and symptoms
        start = time.perf_counter()
        suggest_for_ticket(desk.session, number)
        opened.append((time.perf_counter() - start) * 1000)
    close_database()
    con = raw_connection(folder / "desk.sqlite3")
    raw = figures(per_keystroke(lambda text: raw_suggest(con, text)))
    con.close()
    label = f"{size:,} tickets + {ARTICLES:,} articles"
    print(f"{label:<34} {ours[0]:8.2f} {ours[1]:8.2f} {ours[2]:8.2f}   "
          f"{raw[0]:8.2f} {raw[1]:8.2f} {raw[2]:8.2f}   {ours[0] / raw[0]:6.2f}x",
          flush=True)
    print(f"{'':<34} a ticket's Suggestions tab: mean {statistics.mean(opened):.2f} ms, "
          f"worst {max(opened):.2f} ms ({len(opened)} tickets)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-suggest-"))
    keystrokes = sum(len(text) for text in TYPED)
    print(f"per keystroke, ms ({keystrokes} keystrokes: "
          + ", ".join(repr(t) for t in TYPED) + ")")
    print(f"{'desk':<34} {'ours':>8} {'p95':>8} {'worst':>8}   {'raw FTS5':>8} {'p95':>8} "
          f"{'worst':>8}   ratio")
    for size in args.sizes:
        bench(workdir, size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
