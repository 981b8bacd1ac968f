"""Writing a KPI report to the file a person named (``desk-app report --out``): the
target is checked before anything is computed, and the file is written through a
scratch file beside it, so a refused or failed write leaves no half-written report
and an earlier file of that name intact. Every way it can fail names ``out``."""

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

from desk_app.core.errors import DiskFull, InvalidValue
from desk_app.services.transfer.files import SCRATCH_SUFFIX, check_export_target

_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


def report_target(path: Path) -> Path:
    """``path`` made absolute, or refused naming "out": a folder, a device or a pipe, a
    missing folder, a database, a place in the desk's data folder, or an existing file
    that is read-only (its mode has no write bit: root could replace it regardless)."""
    target = check_export_target(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise InvalidValue("out", f"{path} is read-only; nothing was written (make it "
                           "writable or give another file name)")
    return target


def write_report_file(path: Path, write: Callable[[Path], object]) -> Path:
    """Check ``path`` (:func:`report_target`), let ``write`` fill a scratch file beside
    it, then put the scratch file in its place. Returns the absolute path written.
    The scratch name is this write's own, so two writes of one file at once each finish
    a whole file (the last one stays) instead of interleaving in a shared scratch file."""
    target = report_target(path)
    scratch = target.with_name(f"{target.name}.{os.getpid()}-{uuid4().hex[:8]}"
                               f"{SCRATCH_SUFFIX}")
    try:
        write(scratch)
        scratch.replace(target)
    except OSError as error:
        if error.errno in _FULL:
            raise DiskFull(f"the disk holding {target.parent} is full (or the file-size "
                           "limit is reached)", "nothing was written; free some space or "
                           "write the report somewhere else") from error
        reason = f" ({error.strerror})" if error.strerror else ""
        raise InvalidValue("out", f"cannot write {path}{reason}; nothing was "
                           "written") from None
    finally:
        scratch.unlink(missing_ok=True)
    return target
