"""Guards for the Qt binding we ship with."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()


def test_emitting_a_signal_keeps_reference_counts_intact(qtbot):
    """PySide6 6.12.0 returned True from emit() without a reference: every emit from
    Python dropped one, and a long session aborted (pyproject pins it out)."""
    emitter = _Emitter()
    emitter.fired.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(100):
        emitter.fired.emit()
    assert sys.getrefcount(True) - before > -50
