"""The start-up benchmark's baseline: the smallest PySide6 window that does what the
app's first screen does (a main window with a table), frozen the same way as the app
(python build/build.py --probe). Prints "first-paint <ms>" on its first paint, quits."""

import sys
import time

STARTED = time.perf_counter()

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView  # noqa: E402


class ProbeWindow(QMainWindow):
    """Quits right after its first paint."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("probe")
        self.setCentralWidget(QTableView())
        self.resize(1200, 760)
        self._painted = False

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            print(f"first-paint {(time.perf_counter() - STARTED) * 1000:.0f}", flush=True)
            QTimer.singleShot(0, QApplication.instance().quit)


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    window = ProbeWindow()
    window.show()
    sys.exit(app.exec())
