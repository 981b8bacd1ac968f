"""Benchmark of the desktop client: time to the first painted window and to the first
page, and memory (RSS), with 10k and 1M tickets.

Each figure comes from a fresh process. The raw baseline, measured in the same run,
is a bare PySide6 window with an empty QTableView (first paint) plus a plain sqlite3
query of the same first page; the ratio is ours / raw. For "log 1 ticket -> window
redrawn" the baseline is the full re-read (every row id of the listing and every queue
count) that one change used to cost, measured in the same process.

    python tests/benchmarks/bench_gui.py --workdir /tmp/bench          # 10k and 1M
    python tests/benchmarks/bench_gui.py --sizes 10000 --workdir /tmp/bench
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()


def rss_mb() -> float:
    """Resident memory of this process now (Linux /proc; peak RSS elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_ours(data_dir: str) -> dict:
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desk_app.app import desktop_opener
    from desk_app.ui.application import DesktopClient, qt_application
    from desk_app.ui.driving import wait_until
    from desk_app.ui.window_state import WindowState

    app = qt_application()
    state_file = Path(data_dir) / "bench-window.json"
    state_file.unlink(missing_ok=True)  # every run starts on the default queue
    client = DesktopClient(desktop_opener(data_dir, "root"), state=WindowState(state_file),
                           started=started)
    wait_until(lambda: client.window is not None and client.ready_seconds is not None)
    window = client.window
    ready: dict[str, float] = {}
    window.model.listing_ready.connect(
        lambda: ready.setdefault("open", time.perf_counter() - started))
    wait_until(lambda: "open" in ready, 60_000)
    wait_until(lambda: client.worker.idle, 120_000)
    queue_ids = time.perf_counter() - started
    rss_open = rss_mb()
    switched = time.perf_counter()
    window.model.listing_ready.connect(
        lambda: ready.setdefault("all", time.perf_counter() - switched))
    window.queues.select("all")
    wait_until(lambda: "all" in ready, 60_000)
    wait_until(lambda: client.worker.idle, 120_000)
    all_ids = time.perf_counter() - switched
    scrolled = time.perf_counter()
    window.table.scrollToBottom()
    last = window.model.rowCount() - 1
    wait_until(lambda: window.model.index(last, 0).data() != "…", 60_000)
    to_end = time.perf_counter() - scrolled
    change_all, full_all = one_change_redrawn(client, window)  # on All tickets
    window.queues.select("all_open")
    wait_until(lambda: client.worker.idle and not window.model.loading, 120_000)
    change, full = one_change_redrawn(client, window)
    result = {"change": change, "change_full": full, "change_all": change_all,
              "change_all_full": full_all,
              "paint": client.first_paint_seconds, "open_page": ready["open"],
              "open_ids": queue_ids, "all_page": ready["all"], "all_ids": all_ids,
              "scroll_end": to_end, "rows": window.model.rowCount(), "rss_open": rss_open,
              "rss": rss_mb()}
    client.shutdown()
    app.processEvents()
    return result


def one_change_redrawn(client, window) -> tuple[float, float]:
    """Seconds from logging one ticket to the window redrawn: as the window does it now
    (the changed row and counts), and by re-reading the listing and every count (the
    way it was done before, measured in the same run as the baseline)."""
    from datetime import UTC, datetime

    from desk_app.services.changes import ticket_operation
    from desk_app.services.intake import NewTicket, log_ticket
    from desk_app.ui.driving import run_on_worker, wait_until

    session = window.session
    form = NewTicket(summary="Benchmark change", description="One new ticket",
                     reporter="Bench", contact="bench@example.com", channel="phone",
                     service="Remote access", impact="medium", urgency="medium",
                     detected_at=datetime.now(UTC), category="Network", subcategory="VPN")

    def log() -> object:
        return ticket_operation(session, None, lambda: log_ticket(session, form),
                                created=lambda ticket: ticket.id)

    began = time.perf_counter()
    window.ticket_changed(run_on_worker(client.worker, log))
    wait_until(lambda: client.worker.idle, 120_000)
    partial = time.perf_counter() - began
    began = time.perf_counter()
    run_on_worker(client.worker, log)
    window.model.reload()
    window.refresh_counts()
    wait_until(lambda: client.worker.idle and not window.model.loading, 120_000)
    return partial, time.perf_counter() - began


def child_raw(data_dir: str) -> dict:
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import sqlite3

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication([])
    painted: dict[str, float] = {}

    class Window(QMainWindow):
        def paintEvent(self, event):
            super().paintEvent(event)
            painted.setdefault("paint", time.perf_counter() - started)

    window = Window()
    table = QTableView()
    table.setModel(QStandardItemModel(0, 8))
    window.setCentralWidget(table)
    window.resize(1400, 900)
    window.show()
    loop = QEventLoop()
    while "paint" not in painted:
        QTimer.singleShot(5, loop.quit)
        loop.exec()
    con = sqlite3.connect(Path(data_dir) / "desk.sqlite3")
    query = time.perf_counter()
    con.execute("SELECT t.rowid, t.number, t.priority, t.status, t.summary, t.category, "
                "t.resolution_due, t.updated_at FROM ticket t INDEXED BY ticket_open_by_due "
                "WHERE t.status IN ('new', 'assigned', 'in_progress', 'on_hold') "
                "ORDER BY t.resolution_due, t.id LIMIT 100").fetchall()
    page = time.perf_counter() - query
    result = {"paint": painted["paint"], "open_page": painted["paint"] + page, "rss": rss_mb()}
    result["rss_open"] = result["rss"]
    window.close()
    app.processEvents()
    return result


def run_child(kind: str, data_dir: Path) -> dict:
    output = subprocess.run([sys.executable, str(HERE), "--child", kind, str(data_dir)],
                            check=True, capture_output=True, text=True,
                            env=os.environ | {"QT_QPA_PLATFORM": "offscreen"})
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/desk-bench"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, data_dir = args.child
        print(json.dumps(child_ours(data_dir) if kind == "ours" else child_raw(data_dir)))
        return 0
    sys.path.insert(0, str(HERE.parent))
    from bench_desk import demo_database

    args.workdir.mkdir(parents=True, exist_ok=True)
    print("times in ms (median of runs, each a fresh process); RSS in MB")
    print(f"{'tickets':>9} {'figure':<34} {'ours':>9} {'raw':>9} {'ratio':>7}")
    figures: dict[int, dict] = {}
    for size in sorted(args.sizes):
        folder = demo_database(args.workdir, size)
        ours = [run_child("ours", folder) for _ in range(args.repeat)]
        raw = [run_child("raw", folder) for _ in range(args.repeat)]

        def med(runs: list[dict], key: str) -> float:
            return statistics.median(run[key] for run in runs)

        figures[size] = {key: med(ours, key) for key in ours[0]}
        for key, label, baseline in (
                ("paint", "first painted main window", "paint"),
                ("open_page", "first page (All open) shown", "open_page"),
                ("open_ids", "All open: every row reachable", None),
                ("all_page", "switch to All tickets: first page", None),
                ("all_ids", "All tickets: every row reachable", None),
                ("scroll_end", "scroll to the last row: drawn", None),
                ("change", "log 1 ticket -> redrawn (All open)", "change_full"),
                ("change_all", "log 1 ticket -> redrawn (All)", "change_all_full"),
                ("rss_open", "memory (RSS, MB), All open shown", "rss_open"),
                ("rss", "memory (RSS, MB), All scrolled", "rss")):
            scale = 1 if key.startswith("rss") else 1000
            value = med(ours, key) * scale
            source = ours if baseline and baseline.startswith("change") else raw
            base = med(source, baseline) * scale if baseline else None
            ratio = f"{value / base:6.2f}x" if base else "      -"
            base_text = f"{base:9.1f}" if base is not None else "        -"
            print(f"{size:>9,} {label:<34} {value:9.1f} {base_text} {ratio}", flush=True)
    if len(figures) > 1:
        small, large = figures[min(figures)], figures[max(figures)]
        print(f"growth {min(figures):,} -> {max(figures):,} tickets:")
        for key in ("paint", "open_page", "all_page", "change", "change_full", "change_all",
                    "change_all_full", "rss_open", "rss"):
            print(f"  {key:<10} {large[key] / small[key]:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
