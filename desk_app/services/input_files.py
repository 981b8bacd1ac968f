"""Reading a file a person named (an import, a policy): every way it can fail is a
refusal that names the file and what to do, never a traceback."""

import os
import select
import stat
from pathlib import Path
from typing import BinaryIO

from desk_app.core.errors import InvalidValue

PIPE_WAIT_SECONDS = 10.0


def read_input_bytes(path: Path, what: str = "file") -> bytes:
    """The bytes of ``path``; ``what`` says in refusals what the file should have
    been."""
    try:
        with open_input(path, what) as source:
            if _is_device(source.fileno()):
                raise InvalidValue("file", f"{path} is a device, not a {what}")
            return source.read()
    except FileNotFoundError:
        raise InvalidValue("file", f"{path} does not exist") from None
    except IsADirectoryError:
        raise InvalidValue("file", f"{path} is a folder, not a {what}") from None
    except OSError as err:
        raise InvalidValue("file", f"cannot read {path}: {err.strerror or err}") from None


def read_input_text(path: Path, what: str = "file", newline: str | None = None) -> str:
    """The UTF-8 text of ``path`` (a leading byte-order mark dropped); ``what`` says in
    refusals what the file should have been. ``newline=""`` keeps line ends as they are
    (a CR LF inside a quoted CSV field is part of the text)."""
    data = read_input_bytes(path, what)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidValue("file", f"{path.name} is not UTF-8 text (byte {err.start + 1} "
                           "cannot be decoded); save it as UTF-8") from None
    if newline is None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def open_input(path: Path, what: str = "file", field: str = "file") -> BinaryIO:
    """``path`` open for reading bytes. A named pipe (or ``<(command)``) is refused,
    naming ``field``, when nothing is written to it within :data:`PIPE_WAIT_SECONDS`
    (opening it would wait for a writer forever). Other failures are the OSErrors of
    ``open``."""
    if not stat.S_ISFIFO(path.stat().st_mode):
        return path.open("rb")
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    source = os.fdopen(descriptor, "rb")
    waiting = select.poll()
    waiting.register(descriptor, select.POLLIN)
    if not waiting.poll(int(PIPE_WAIT_SECONDS * 1000)):
        source.close()
        raise InvalidValue(field, f"{path} is a pipe nothing was written to in "
                           f"{PIPE_WAIT_SECONDS:g} s, not a {what}; nothing was read")
    os.set_blocking(descriptor, True)
    return source


def _is_device(descriptor: int) -> bool:
    """Whether an open file is a device (/dev/zero would be read forever); pipes pass."""
    mode = os.fstat(descriptor).st_mode
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
