"""Benchmark of importing other tools' exports: 100,000 ServiceNow incidents as a list
CSV, an Excel workbook and a Table API JSON, and 100,000 GLPI, osTicket, Jira and Zammad
tickets (their fixtures in tests/data repeated with new numbers, see
bench_tool_imports.py).

Prints, for each format, the time of our whole import (read, map, check, write into a
fresh desk), of our reading alone (read and map, nothing written), the time the
standard library (csv, json; openpyxl for .xlsx) takes only to parse the same file, and
the ratios (ours / raw parse).

    python tests/benchmarks/bench_import_formats.py              # 100,000 rows
    python tests/benchmarks/bench_import_formats.py --rows 10000 # quick
"""

import argparse
import csv
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook

from desk_app.app import open_desk
from desk_app.services.transfer import formats
from desk_app.services.transfer.files import import_file

sys.path.insert(0, str(Path(__file__).parent))
from bench_tool_imports import FILES as TOOL_FILES
from bench_tool_imports import make_file, stdlib_parse

COLUMNS = ("number", "short_description", "description", "state", "priority", "impact",
           "urgency", "category", "subcategory", "assignment_group", "assigned_to",
           "caller_id", "opened_by", "opened_at", "resolved_at", "resolved_by", "closed_at",
           "close_code", "close_notes", "sys_updated_on", "cmdb_ci", "contact_type",
           "work_notes")
LABELS = ("Number", "Short description", "Description", "State", "Priority", "Impact",
          "Urgency", "Category", "Subcategory", "Assignment group", "Assigned to", "Caller",
          "Opened by", "Opened", "Resolved", "Resolved by", "Closed", "Resolution code",
          "Resolution notes", "Updated", "Configuration item", "Channel", "Work notes")
STATES = ("New", "In Progress", "On Hold", "Resolved", "Closed")
PRIORITIES = ("1 - Critical", "2 - High", "3 - Moderate", "4 - Low", "5 - Planning")
LEVELS = ("1 - High", "2 - Medium", "3 - Low")


def incidents(count: int) -> list[dict]:
    """``count`` realistic incidents (fixed seed), dates as ServiceNow writes them."""
    chance = random.Random(20)
    start = datetime(2024, 1, 1, 8, 0)
    out = []
    for index in range(count):
        opened = start + timedelta(minutes=7 * index + chance.randint(0, 5))
        state = chance.choice(STATES)
        resolved = opened + timedelta(hours=chance.randint(1, 48))
        closed = resolved + timedelta(days=3)
        done = state in ("Resolved", "Closed")
        fmt = "%Y-%m-%d %H:%M:%S"
        note_at = (opened + timedelta(minutes=30)).strftime(fmt)
        technician = f"Technician {chance.randint(1, 80)}"
        out.append({
            "number": f"INC{index + 1:07d}",
            "short_description": f"Problem {chance.randint(1, 9999)} with application "
                                 f"{chance.randint(1, 300)}",
            "description": "The user reports that the application stops responding "
                           "after login; restarting does not help.",
            "state": state, "priority": chance.choice(PRIORITIES),
            "impact": chance.choice(LEVELS), "urgency": chance.choice(LEVELS),
            "category": f"Category {chance.randint(1, 20)}",
            "subcategory": f"Subcategory {chance.randint(1, 60)}",
            "assignment_group": f"Group {chance.randint(1, 25)}",
            "assigned_to": technician if state != "New" else "",
            "caller_id": f"Caller {chance.randint(1, 5000)}",
            "opened_by": f"Caller {chance.randint(1, 5000)}",
            "opened_at": opened.strftime(fmt),
            "resolved_at": resolved.strftime(fmt) if done else "",
            "resolved_by": technician if done else "",
            "closed_at": closed.strftime(fmt) if state == "Closed" else "",
            "close_code": "Solved (Permanently)" if done else "",
            "close_notes": "Reinstalled the client." if done else "",
            "sys_updated_on": (closed if state == "Closed" else resolved).strftime(fmt),
            "cmdb_ci": f"SRV-{chance.randint(1, 400):04d}",
            "contact_type": chance.choice(("Phone", "Email", "Self-service")),
            "work_notes": f"{note_at} - {technician} (Work notes)\nLooked at the logs.\n\n",
        })
    return out


def write_files(folder: Path, rows: list[dict], wanted: list[str]) -> dict[str, Path]:
    paths = {"servicenow-list": folder / "list.csv", "servicenow-xlsx": folder / "list.xlsx",
             "servicenow-json": folder / "api.json"}
    paths = {fmt: path for fmt, path in paths.items() if fmt in wanted}
    if "servicenow-list" in paths:
        with paths["servicenow-list"].open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    if "servicenow-xlsx" in paths:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Page 1")
        sheet.append(LABELS)
        for row in rows:
            sheet.append([row[c] or None for c in COLUMNS])
        book.save(paths["servicenow-xlsx"])
    if "servicenow-json" not in paths:
        return paths
    with paths["servicenow-json"].open("w", encoding="utf-8") as out:
        json.dump({"result": [
            {c: ({"display_value": row[c], "value": row[c]} if c in ("assigned_to",
                 "assignment_group") else row[c]) for c in COLUMNS} for row in rows]}, out)
    return paths


def raw_parse(fmt: str, path: Path) -> int:
    """Parse only, with the standard library (openpyxl for .xlsx): the row count."""
    if fmt in TOOL_FILES:
        return stdlib_parse(fmt, path)
    if fmt == "servicenow-list":
        with path.open(newline="", encoding="utf-8") as source:
            return sum(1 for _ in csv.reader(source)) - 1
    if fmt == "servicenow-json":
        with path.open(encoding="utf-8") as source:
            return len(json.load(source)["result"])
    book = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
    book.close()
    return count


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def our_read(fmt: str, path: Path) -> int:
    """Our reading and mapping alone (nothing written): the record count."""
    chosen = formats.load(fmt)
    reading = chosen.read(formats.Source(path, path.read_bytes()),
                          formats.ReadOptions(ZoneInfo("Europe/Paris"), False))
    assert not reading.problems, reading.problems[:3]
    return len(reading.items)


def our_import(fmt: str, path: Path, workdir: Path) -> tuple[float, int]:
    """The whole import into a fresh desk (made beforehand, not timed): its time and
    the ticket count."""
    folder = workdir / f"desk-{fmt}"
    shutil.rmtree(folder, ignore_errors=True)
    desk = open_desk(folder, login="root")
    try:
        spent, result = timed(lambda: import_file(desk.session, path, fmt,
                                                  time_zone="Europe/Paris"))
    finally:
        desk.close()
    shutil.rmtree(folder, ignore_errors=True)
    return spent, result.imported


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--formats", nargs="+", metavar="FORMAT",
                        default=["servicenow-list", "servicenow-xlsx", "servicenow-json",
                                 *TOOL_FILES])
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-import-"))
    workdir.mkdir(parents=True, exist_ok=True)
    made, paths = timed(lambda: write_files(workdir, incidents(args.rows), args.formats)
                        | {fmt: make_file(fmt, args.rows, workdir) for fmt in TOOL_FILES
                           if fmt in args.formats})
    print(f"work folder {workdir}; {args.rows:,} incidents per format (files written in "
          f"{made:.1f} s); times in s", flush=True)
    print(f"{'format':<18} {'import':>9} {'read+map':>9} {'raw parse':>10} "
          f"{'import/raw':>11} {'read/raw':>9}")
    for fmt, path in paths.items():
        raw, counted = timed(lambda: raw_parse(fmt, path))  # noqa: B023
        read, records = timed(lambda: our_read(fmt, path))  # noqa: B023
        whole, imported = our_import(fmt, path, workdir)
        assert counted == records == imported == args.rows, (counted, records, imported)
        print(f"{fmt:<18} {whole:9.2f} {read:9.2f} {raw:10.2f} {whole / raw:10.1f}x "
              f"{read / raw:8.1f}x", flush=True)
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
