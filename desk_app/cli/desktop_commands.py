"""Commands that open the desktop client: the default (no command), ``screenshot`` and
``selftest``."""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from desk_app import __version__, app
from desk_app.cli.output import print_json


def cmd_desktop(args: argparse.Namespace) -> int:
    """Open the main window on the local desk (on a machine without a display, say so
    and show the desk's status instead of failing inside Qt)."""
    if not has_display():
        print("desk-app: no display to open the window on; showing the desk's status. "
              "Use a command (desk-app --help), or set QT_QPA_PLATFORM=offscreen.",
              file=sys.stderr)
        from desk_app.cli.admin_commands import cmd_status  # only without a display

        return cmd_status(args) or 0
    return app.run_desktop(args.data_dir, args.as_login, args.exit_after_first_paint)


def has_display() -> bool:
    """False on Linux/BSD with neither X11 nor Wayland (an SSH session, a CI runner)."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_screenshot(args: argparse.Namespace) -> None:
    """Render the main screens offscreen to PNG files and print the first-paint time."""
    result = app.take_screenshots(Path(args.out), args.data_dir, args.as_login)
    if args.json:
        print_json({"files": [str(path) for path in result["files"]],
                    "first_paint_seconds": result["first_paint_seconds"]})
        return
    for path in result["files"]:
        print(path)
    print(f"first painted main window after {result['first_paint_seconds'] * 1000:.0f} ms")


def cmd_selftest(args: argparse.Namespace) -> int:
    """Start the real application on a temporary desk and report every check; exit 0
    when all pass, 1 naming the first failure."""
    if not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from desk_app.cli.parser import load_command_modules
    from desk_app.services.selftest import measured

    started = time.perf_counter()
    result = app.run_selftest()
    result.outcomes.insert(0, measured("command modules", load_command_modules))
    took = time.perf_counter() - started
    failed = next((outcome for outcome in result.outcomes if not outcome.ok), None)
    if args.json:
        print_json({"version": __version__, "frozen": result.frozen,
                    "python": platform.python_version(), "system": platform.system(),
                    "passed": failed is None, "seconds": round(took, 3),
                    "checks": [{"name": o.name, "ok": o.ok, "detail": o.detail}
                               for o in result.outcomes]})
    else:
        how = "frozen bundle" if result.frozen else "source install"
        print(f"desk-app {__version__} selftest ({how}, Python {platform.python_version()}, "
              f"{platform.system()})")
        width = max(len(outcome.name) for outcome in result.outcomes)
        for o in result.outcomes:
            print(f"  {'ok  ' if o.ok else 'FAIL'}  {o.name:<{width}}  {o.detail}")
        if failed is None:
            print(f"selftest passed: {len(result.outcomes)} checks in {took:.1f} s")
    if failed is None:
        return 0
    print(f"desk-app: selftest FAILED at {failed.name}: {failed.detail}", file=sys.stderr)
    return 1
