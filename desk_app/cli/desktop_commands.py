"""Commands that open the desktop client: the default (no command) and ``screenshot``."""

import argparse
import os
import sys
from pathlib import Path

from desk_app import app
from desk_app.cli.admin_commands import cmd_status


def cmd_desktop(args: argparse.Namespace) -> int:
    """Open the main window on the local desk (on a machine without a display, say so
    and show the desk's status instead of failing inside Qt)."""
    if not has_display():
        print("desk-app: no display to open the window on; showing the desk's status. "
              "Use a command (desk-app --help), or set QT_QPA_PLATFORM=offscreen.",
              file=sys.stderr)
        return cmd_status(args) or 0
    return app.run_desktop(args.data_dir, args.as_login)


def has_display() -> bool:
    """False on Linux/BSD with neither X11 nor Wayland (an SSH session, a CI runner)."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_screenshot(args: argparse.Namespace) -> None:
    """Render the main screens offscreen to PNG files and print the first-paint time."""
    result = app.take_screenshots(Path(args.out), args.data_dir, args.as_login)
    for path in result["files"]:
        print(path)
    print(f"first painted main window after {result['first_paint_seconds'] * 1000:.0f} ms")
