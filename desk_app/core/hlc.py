"""Hybrid logical clock: (wall millis, counter, device) stamps that order changes
across devices even when their wall clocks disagree."""

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Stamp:
    millis: int
    counter: int
    device: str

    def encode(self) -> str:
        """A text form that sorts like the stamp."""
        return f"{self.millis:013d}-{self.counter:06d}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> "Stamp":
        """The inverse of :meth:`encode`."""
        millis, counter, device = text.split("-", 2)
        return cls(int(millis), int(counter), device)


class HybridClock:
    """Issues increasing stamps for one device; ``receive`` merges a remote stamp."""

    def __init__(self, device: str, last: Stamp | None = None,
                 wall: Callable[[], int] = lambda: int(time.time() * 1000)) -> None:
        self.device = device
        self.wall = wall
        self.last = last or Stamp(0, 0, device)

    def tick(self) -> Stamp:
        """A stamp later than every stamp this clock has issued or received."""
        now = self.wall()
        if now > self.last.millis:
            self.last = Stamp(now, 0, self.device)
        else:
            self.last = Stamp(self.last.millis, self.last.counter + 1, self.device)
        return self.last

    def receive(self, remote: Stamp) -> Stamp:
        """Advance past a stamp received from another device."""
        now = self.wall()
        millis = max(now, self.last.millis, remote.millis)
        if millis == self.last.millis == remote.millis:
            counter = max(self.last.counter, remote.counter) + 1
        elif millis == self.last.millis:
            counter = self.last.counter + 1
        elif millis == remote.millis:
            counter = remote.counter + 1
        else:
            counter = 0
        self.last = Stamp(millis, counter, self.device)
        return self.last
