"""Benchmark of the GLPI, osTicket, Zammad and Jira imports: a file of N tickets made
from the fixture of tests/data (numbers renewed), imported into a new desk, next to
parsing the same file with the standard library's csv or json reader alone.

    python tests/benchmarks/bench_tool_imports.py                 # 100,000 each
    python tests/benchmarks/bench_tool_imports.py --rows 10000 --formats jira

Prints per format: the stdlib parse, our reading (file to records, no database), the
whole import (records checked and written), and each as a ratio to the parse.
"""

import argparse
import csv
import io
import json
import shutil
import tempfile
import time
from pathlib import Path

from desk_app.app import open_desk
from desk_app.services.transfer.files import import_file
from desk_app.services.transfer.formats import ReadOptions, Source, load
from desk_app.storage.database import close_database

DATA = Path(__file__).parents[1] / "data"
FILES = {"glpi": ("glpi_tickets.csv", ";", 0), "osticket": ("osticket_tickets.csv", ",", 0),
         "jira": ("jira_issues.csv", ",", 1), "zammad": ("zammad_tickets.json", None, None)}


def make_file(fmt: str, rows: int, folder: Path) -> Path:
    """A ``fmt`` export of ``rows`` tickets, cycling the fixture's tickets."""
    name, delimiter, column = FILES[fmt]
    source = (DATA / name).read_text(encoding="utf-8")
    target = folder / f"{rows}_{name}"
    if delimiter is None:
        tickets = json.loads(source)
        made = [dict(tickets[i % len(tickets)], number=str(100_000 + i)) for i in range(rows)]
        target.write_text(json.dumps(made, indent=1), encoding="utf-8")
        return target
    header, *body = list(csv.reader(io.StringIO(source), delimiter=delimiter))
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL
                            if fmt == "glpi" else csv.QUOTE_MINIMAL)
        writer.writerow(header)
        for i in range(rows):
            cells = list(body[i % len(body)])
            cells[column] = f"ITSM-{i + 1}" if fmt == "jira" else str(i + 1)
            writer.writerow(cells)
    return target


def stdlib_parse(fmt: str, path: Path) -> int:
    """The tickets of ``path`` parsed with csv.reader or json.loads alone (their count)."""
    text = path.read_text(encoding="utf-8")
    if FILES[fmt][1] is None:
        return len(json.loads(text))
    csv.field_size_limit(1_000_000)
    return sum(1 for _ in csv.reader(io.StringIO(text), delimiter=FILES[fmt][1])) - 1


def our_reading(fmt: str, path: Path) -> float:
    """Seconds for the format to turn ``path`` into records (no database)."""
    from zoneinfo import ZoneInfo

    start = time.perf_counter()
    reading = load(fmt).read(Source(path, path.read_bytes()), ReadOptions(ZoneInfo("UTC")))
    assert not reading.problems, reading.problems[:3]
    return time.perf_counter() - start


def whole_import(fmt: str, path: Path, folder: Path, rows: int) -> float:
    """Seconds for ``desk-app import`` of ``path`` into a new desk."""
    target = folder / f"desk-{fmt}"
    shutil.rmtree(target, ignore_errors=True)
    desk = open_desk(target, login="root")
    start = time.perf_counter()
    result = import_file(desk.session, path, fmt, time_zone="UTC")
    seconds = time.perf_counter() - start
    assert result.imported == rows, (result.imported, result.skipped[:3])
    close_database()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", nargs="+", choices=list(FILES), default=list(FILES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        print(f"{'format':<10}{'stdlib parse':>14}{'our reading':>20}{'whole import':>22}")
        for fmt in args.formats:
            path = make_file(fmt, args.rows, folder)
            start = time.perf_counter()
            stdlib_parse(fmt, path)
            parse = time.perf_counter() - start
            reading = our_reading(fmt, path)
            imported = whole_import(fmt, path, folder, args.rows)
            print(f"{fmt:<10}{parse:>12.2f} s{reading:>10.2f} s ({reading / parse:5.1f}x)"
                  f"{imported:>10.2f} s ({imported / parse:5.1f}x)", flush=True)


if __name__ == "__main__":
    main()
