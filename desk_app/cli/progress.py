"""A one-line progress bar on the terminal (silent when stderr is not a terminal)."""

import sys
import time
from typing import TextIO


class ProgressBar:
    """Call with the number done so far; redraws at most ten times a second."""

    def __init__(self, total: int, label: str, out: TextIO | None = None) -> None:
        self.total = max(total, 1)
        self.label = label
        self.out = out or sys.stderr  # the stream of now, not of the first import
        self.started = time.monotonic()
        self.last_drawn = 0.0
        self.enabled = self.out.isatty()

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last_drawn < 0.1 and done < self.total):
            return
        self.last_drawn = now
        fraction = min(done / self.total, 1.0)
        filled = int(fraction * 30)
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0
        self.out.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] "
                       f"{done:,}/{self.total:,} {rate:,.0f}/s ")
        self.out.flush()

    def finish(self) -> None:
        """End the bar's line."""
        if self.enabled:
            self.out.write("\n")
            self.out.flush()
