"""Writing a KPI report or a review to the file a person named (``--out``): the target
is checked before anything is computed (:func:`report_target`), and the file is
written whole through a scratch file beside it (:func:`write_report_file`, the same
writer as the ticket export's)."""

from collections.abc import Callable
from pathlib import Path

from desk_app.services.transfer.files import check_export_target, write_whole


def report_target(path: Path) -> Path:
    """``path`` made absolute, or refused naming "out": a folder, a device or a pipe, a
    missing folder, a database, or a place in the desk's data folder."""
    return check_export_target(path)


def write_report_file(path: Path, write: Callable[[Path], object]) -> Path:
    """Write the report through ``write`` (given a scratch path) into ``path`` whole;
    every failure names "out" and nothing is left half-written."""
    return write_whole(path, write)
