"""The registry of import formats: which formats exist, how a file's format is found,
and what every format hands to the importer.

How a format plugs in
---------------------
1. Write a module under ``desk_app/services/transfer/`` that defines ``FORMAT``, an
   :class:`ImportFormat`:

   - ``name``: the ``--format`` value (``"glpi"``), ``title``: the source named in the
     "imported" history row (``"GLPI export"``), ``unit``: what positions count in
     refusals (``"line"`` for CSV, ``"row"`` for a sheet, ``"record"`` for JSON);
   - ``detect(sample) -> int``: how sure the format is that ``sample`` (a
     :class:`Sample`: the path and the first bytes) is one of its files: 0 (not
     mine) .. 100 (certain). Look at the extension and at the header or keys;
   - ``read(source, options) -> Reading``: the records of the file, each with its
     position (line/row/record number), as the desk's portable import records (the
     fields of :class:`~desk_app.services.transfer.schema.TicketRecord`: times as ISO
     8601, group by name, assignee by login, history/worklog lists), plus the positions
     that could not be read (:class:`~desk_app.core.errors.Problem`) and warnings for
     the person importing. ``source.text()`` decodes the file (UTF-8, UTF-8 with BOM,
     UTF-16, cp1252, or a refusal naming the encoding); ``source.data`` is the raw
     bytes. :mod:`desk_app.services.transfer.tables` reads a CSV text or an .xlsx
     sheet into a header and rows with their positions;
     :mod:`desk_app.services.transfer.dates` reads the dates of whole columns,
     detecting their format, with ``options.date_format`` and ``options.zone`` (say
     ``options.zone_warning()`` in ``warnings`` when it read a time in an assumed
     zone); :mod:`desk_app.services.transfer.servicenow_fields` is a worked example
     of a mapping;
   - ``schema``: the pydantic schema each record is checked by (usually
     ``TicketRecord``).

   Refuse the whole file with ``InvalidValue("file", ...)`` (wrong columns, not the
   format at all); refuse one record with a ``Problem`` at its position.
2. Add ``(name, module)`` to :data:`REGISTERED` below. The module is imported only when
   a file is imported, so starting the window and the commands stays fast.

The importer (:func:`desk_app.services.transfer.importer.import_records`) then checks
every record, writes all or nothing (or the good ones with ``--skip-bad``), creates the
groups and people it names, and keeps the record's number as the ticket number (a
foreign label such as ``INC0010045`` stays searchable).
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.errors import InvalidValue, Problem

# (name, module): the order breaks ties in detection (earlier wins)
REGISTERED: tuple[tuple[str, str], ...] = (
    ("json", "desk_app.services.transfer.json_format"),
    ("csv", "desk_app.services.transfer.csv_format"),
    ("servicenow", "desk_app.services.transfer.servicenow"),
    ("servicenow-list", "desk_app.services.transfer.servicenow_list"),
    ("servicenow-xlsx", "desk_app.services.transfer.servicenow_xlsx"),
    ("servicenow-json", "desk_app.services.transfer.servicenow_json"),
    ("glpi", "desk_app.services.transfer.glpi"),
    ("osticket", "desk_app.services.transfer.osticket"),
    ("zammad", "desk_app.services.transfer.zammad"),
    ("jira", "desk_app.services.transfer.jira"),
)
NAMES = tuple(name for name, _ in REGISTERED)
SAMPLE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Sample:
    """What detection looks at: the path and the first bytes of the file."""

    path: Path
    head: bytes

    @property
    def suffix(self) -> str:
        """The extension in lower case, with its dot (``".csv"``)."""
        return self.path.suffix.lower()

    @cached_property
    def text(self) -> str:
        """The first bytes as text (decoded leniently: for detection only)."""
        from desk_app.services.transfer.encodings import sample_text
        return sample_text(self.head)

    @property
    def first_line(self) -> str:
        """The first line of the text (a CSV header)."""
        return self.text.split("\n", 1)[0].strip("\r")


@dataclass
class Source:
    """The file being imported: its bytes, and its text on demand."""

    path: Path
    data: bytes
    _text: str | None = None
    encoding: str | None = None

    def text(self) -> str:
        """The file decoded (UTF-8 with or without BOM, UTF-16 with BOM, cp1252),
        line ends as they are; refuses naming the encoding it cannot read."""
        if self._text is None:
            from desk_app.services.transfer.encodings import decode
            self._text, self.encoding = decode(self.data, self.path.name)
        return self._text


@dataclass(frozen=True)
class ReadOptions:
    """What the person importing said: ``date_format`` (None: detected from the data),
    ``zone`` (the zone of times without one) and whether it was assumed (the desk's
    zone, not given with ``--time-zone``)."""

    zone: ZoneInfo
    zone_assumed: bool = True
    date_format: str | None = None

    def zone_warning(self) -> str:
        """What to tell the person when times without a zone were read in an assumed
        one."""
        return (f"times without a time zone were read in the desk's time zone "
                f"({self.zone.key}); give --time-zone if the export used another")


@dataclass
class Reading:
    """What a format read: ``items`` are (position, record) pairs, ``problems`` the
    positions that could not be read, ``warnings`` what the person should know (an
    assumed time zone, a dropped column); ``articles`` the (position, record) pairs of
    knowledge articles (the desk's own JSON export only)."""

    items: list[tuple[int, Any]]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    articles: list[tuple[int, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ImportFormat:
    """One import format; see the module docstring."""

    name: str
    title: str
    unit: str
    detect: Callable[[Sample], int]
    read: Callable[[Source, ReadOptions], Reading]
    schema: type


def load(name: str) -> ImportFormat:
    """The format called ``name``; refuses an unknown name, listing the known ones."""
    modules = dict(REGISTERED)
    if name not in modules:
        raise InvalidValue("format", f"unknown format {name!r}; choose one of: "
                           + ", ".join(NAMES))
    return importlib.import_module(modules[name]).FORMAT


def detect(sample: Sample) -> ImportFormat:
    """The format most sure that ``sample`` is its file; refuses when none is."""
    best, score = None, 0
    for name in NAMES:
        candidate = load(name)
        found = candidate.detect(sample)
        if found > score:
            best, score = candidate, found
    if best is None:
        raise InvalidValue("format", f"cannot tell the format of {sample.path.name}; "
                           "give it with --format (" + ", ".join(NAMES) + ")")
    return best
