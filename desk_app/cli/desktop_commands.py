"""Commands that open the desktop client: the default (no command) and ``screenshot``."""

import argparse
from pathlib import Path

from desk_app import app


def cmd_desktop(args: argparse.Namespace) -> int:
    """Open the main window on the local desk."""
    return app.run_desktop(args.data_dir, args.as_login)


def cmd_screenshot(args: argparse.Namespace) -> None:
    """Render the main screens offscreen to PNG files and print the first-paint time."""
    result = app.take_screenshots(Path(args.out), args.data_dir, args.as_login)
    for path in result["files"]:
        print(path)
    print(f"first painted main window after {result['first_paint_seconds'] * 1000:.0f} ms")
