"""Benchmark of the packaged app: launch of the frozen app to its first painted main
window, next to a minimal frozen PySide6 window (tests/benchmarks/probe_window.py) built
the same way in the same run, for one-folder and one-file bundles; bundle sizes; and
what each excluded group of modules / plugins saves.

    python tests/benchmarks/bench_bundle.py --workdir /tmp/bench-bundle [--runs 7]
    python tests/benchmarks/bench_bundle.py --workdir /tmp/bench-bundle --no-groups

Launch times are wall-clock from starting the executable to the line it prints on its
first paint (offscreen platform), median of --runs launches, launches interleaved; the
app's "desk shown" time runs to the line it prints once the window shows the open desk
(it paints its light start first, then opens the desk).
Needs the build extra (pip install -e '.[build]').
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build"))

from exclusions import all_groups  # noqa: E402

import build as builder  # noqa: E402  (build/build.py)

EXE = ".exe" if sys.platform == "win32" else ""


def executable(bundle: Path, name: str) -> Path:
    """The launcher inside a one-folder bundle, or the one-file executable itself."""
    return bundle / f"{name}{EXE}" if bundle.is_dir() else bundle


def launch_ms(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock ms from start to the "first-paint" line, and to the "window-ready" line
    (the window showing the open desk; the bare window has none: its first paint);
    waits for the exit."""
    started = time.perf_counter()
    painted = ready = None
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          env=env, text=True) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("first-paint") and painted is None:
                painted = (time.perf_counter() - started) * 1000
            if line.startswith("window-ready"):
                ready = (time.perf_counter() - started) * 1000
                break
        if painted is None:
            raise SystemExit(f"bench: {command[0]} exited without painting")
        child.wait(timeout=60)
    return painted, ready if ready is not None else painted


def megabytes(path: Path) -> float:
    return builder.folder_size(path)[0] / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-groups", action="store_true",
                        help="skip the per-group builds (what each exclusion saves)")
    parser.add_argument("--onefolder-only", action="store_true",
                        help="build and time the one-folder bundles only (faster)")
    args = parser.parse_args()
    work = args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    scratch = work / "pyinstaller"  # PyInstaller's own, not shared with other checkouts

    bundles: dict[str, Path] = {}
    kinds = ("onefolder",) if args.onefolder_only else ("onefolder", "onefile")
    for onefile in (False, True)[:len(kinds)]:
        for probe in (False, True):
            key = ("probe" if probe else "app") + ("-onefile" if onefile else "-onefolder")
            bundles[key] = builder.build(onefile, probe, dist=work / f"dist-{key}",
                                         work=scratch / key)

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_APP_LOG_DIR=str(work / "logs"),
               DESK_APP_CONFIG_DIR=str(work / "config"))
    desk = work / "desk"
    app_folder = executable(bundles["app-onefolder"], "desk-app")
    subprocess.run([str(app_folder), "--data-dir", str(desk), "--as", "bench", "status"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    commands = {key: [str(executable(path, "desk-app-probe" if key.startswith("probe")
                                     else "desk-app"))]
                + ([] if key.startswith("probe") else
                   ["--data-dir", str(desk), "--as", "bench", "--exit-after-first-paint"])
                for key, path in bundles.items()}
    for command in commands.values():  # warm the file cache and the one-file extraction
        launch_ms(command, env)
    times: dict[str, list[float]] = {key: [] for key in commands}
    ready: dict[str, list[float]] = {key: [] for key in commands}
    for _ in range(args.runs):
        for key, command in commands.items():
            painted, shown = launch_ms(command, env)
            times[key].append(painted)
            ready[key].append(shown)
    median = {key: statistics.median(values) for key, values in times.items()}
    median_ready = {key: statistics.median(values) for key, values in ready.items()}

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nlaunch -> first painted main window (median of {args.runs}, offscreen, "
          f"launches interleaved; load average {load:.1f})")
    print(f"{'bundle':<12}{'desk-app':>12}{'bare window':>14}{'ratio':>8}"
          f"{'desk shown':>12}{'desk-app MB':>13}{'bare MB':>9}")
    for kind in kinds:
        ours, raw = median[f"app-{kind}"], median[f"probe-{kind}"]
        print(f"{kind:<12}{ours:>10.0f}ms{raw:>12.0f}ms{ours / raw:>7.2f}x"
              f"{median_ready[f'app-{kind}']:>10.0f}ms"
              f"{megabytes(bundles[f'app-{kind}']):>13.1f}"
              f"{megabytes(bundles[f'probe-{kind}']):>9.1f}")
    print("(desk shown: until the window showed the open desk, its queue listed)")

    if not args.no_groups:
        final = megabytes(bundles["app-onefolder"])
        print(f"\nwhat each exclusion saves (one-folder; final bundle {final:.1f} MB)")
        everything = builder.build(keep=["all"], dist=work / "dist-keep-all",
                                   work=scratch / "groups")
        print(f"{'nothing excluded':<62}{megabytes(everything):>8.1f} MB"
              f"{megabytes(everything) - final:>+9.1f}")
        for group in all_groups():
            kept = builder.build(keep=[group], dist=work / "dist-keep-one",
                                 work=scratch / "groups")
            print(f"{group:<62}{megabytes(kept) - final:>8.1f} MB saved")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
