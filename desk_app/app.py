"""The one composition root: opens the database, seeds a new one, and builds the
session every service call runs under. The services and the database are imported when
a desk is opened (the window opens its desk on the database thread after its first
paint), so starting the window does not load them."""

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk_app import paths
from desk_app.core.errors import DeskUnavailable

if TYPE_CHECKING:
    from desk_app.services.selftest import Outcome
    from desk_app.services.session import Session

log = logging.getLogger(__name__)


@dataclass
class Desk:
    """An open local desk: where its database is and who is working on it."""

    database_path: Path
    session: "Session"
    first_run: bool

    def close(self) -> None:
        """Close the database."""
        from desk_app.storage.database import close_database

        close_database()


def open_desk(data_dir: str | os.PathLike | None = None, login: str | None = None,
              now_fn: Callable[[], datetime] | None = None) -> Desk:
    """Open (creating on first run) the local desk and the acting technician's session
    (``now_fn``: the clock, UTC now by default)."""
    from desk_app.services.admin import ensure_first_administrator, initialise_database
    from desk_app.services.session import Session, utc_now
    from desk_app.services.team_login import acting_login
    from desk_app.storage.database import close_database, open_database
    from desk_app.storage.failures import environment_problem
    from desk_app.system_time_zone import system_time_zone

    folder = paths.data_dir(data_dir)
    path = folder / paths.DATABASE_FILE
    import getpass

    default_login = os.environ.get("DESK_APP_TECHNICIAN") or getpass.getuser()
    if folder.exists() and not folder.is_dir():
        raise DeskUnavailable(f"the data folder {folder} is a file, not a folder",
                              "choose a folder with --data-dir or DESK_APP_DATA_DIR")
    if path.is_dir():
        raise DeskUnavailable(f"{path} is a folder, not a desk-app database",
                              "move it aside, or choose another folder with --data-dir "
                              "or DESK_APP_DATA_DIR")
    try:
        open_database(path)
        first_run = initialise_database(paths.default_policy_file(), system_time_zone())
        login = acting_login(login, default_login)
        actor = ensure_first_administrator(login, login)
    except Exception as error:
        problem = environment_problem(error, path)
        close_database()
        if problem is None:
            raise
        raise problem from error
    if first_run:
        log.info("created a new desk at %s", path)
    log.info("opened the desk at %s as %s", path, actor.login)
    return Desk(path, Session(actor, now_fn or utc_now), first_run)


def desktop_opener(data_dir: str | os.PathLike | None = None,
                   login: str | None = None) -> Callable[[], Desk]:
    """What the desktop client calls (on its database thread) to open the desk."""
    return lambda: open_desk(data_dir, login)


def run_desktop(data_dir: str | os.PathLike | None = None, login: str | None = None,
                exit_after_paint: bool = False) -> int:
    """Open the desktop client on the local desk; returns the exit code."""
    from desk_app.ui.display_libraries import check_display_libraries

    check_display_libraries()  # before Qt: name a missing X11 library, not Qt's message
    from desk_app.ui.application import run_desktop as run

    return run(desktop_opener(data_dir, login), icon_path=str(paths.app_icon_file()),
               exit_after_paint=exit_after_paint)


def take_screenshots(out_dir: Path, data_dir: str | os.PathLike | None = None,
                     login: str | None = None) -> dict[str, object]:
    """Render the main screens to PNG files in ``out_dir`` (see ui.screenshots). Without
    ``data_dir`` a scratch desk with demo tickets is used and removed afterwards."""
    from desk_app.ui.screenshots import take_screenshots as take

    if data_dir is not None:
        return take(out_dir, desktop_opener(data_dir, login), demo=False)
    with tempfile.TemporaryDirectory(prefix="desk-screenshots-") as scratch:
        return take(out_dir, desktop_opener(scratch, login or "alex.morgan"), demo=True)


@dataclass(frozen=True)
class SelfTestResult:
    """What ``selftest`` found: every check's outcome and where it ran."""

    outcomes: list["Outcome"]
    frozen: bool

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and all(outcome.ok for outcome in self.outcomes)


def run_selftest() -> SelfTestResult:
    """Start the real application on a temporary desk: resources, the main window, a
    ticket's whole life through the services, read back before and after reopening the
    database. The caller picks the Qt platform (offscreen when there is no display)."""
    from desk_app.services.selftest import SelfTestFailed, closed_ticket_on_disk, measured
    from desk_app.ui.display_libraries import check_display_libraries

    check_display_libraries()
    from desk_app.ui.selftest import run_window_selftest

    def resources() -> str:
        missing = [str(path) for path in (paths.default_policy_file(), paths.app_icon_file())
                   if not path.is_file()]
        if missing:
            raise SelfTestFailed(f"missing: {', '.join(missing)}")
        return f"policy and icon in {paths.resources_dir()}"

    with tempfile.TemporaryDirectory(prefix="desk-selftest-") as scratch:
        desk_dir = Path(scratch) / "desk"

        def reopened() -> str:  # the window's run closed the desk: open it from disk
            desk = open_desk(desk_dir, "selftest")
            try:
                return closed_ticket_on_disk(desk.session)
            finally:
                desk.close()

        outcomes = [measured("resources", resources)]
        outcomes += run_window_selftest(desktop_opener(desk_dir, "selftest"),
                                        str(paths.app_icon_file()),
                                        Path(scratch) / "layout.json")
        if all(outcome.ok for outcome in outcomes):
            outcomes.append(measured("reopened database", reopened))
    return SelfTestResult(outcomes, paths.is_frozen())


def write_report_pdf(report_data: Any, markdown: str, path: Path, title: str) -> Path:
    """The KPI report ``markdown`` with the charts of ``report_data`` (a dashboard) to an
    A4 PDF at ``path`` (Qt is loaded only now; offscreen from a command)."""
    from desk_app.ui.report_pdf import write_report_pdf as write

    return write(report_data, markdown, path, title)


def write_pdf_document(markdown: str, path: Path, title: str) -> Path:
    """Markdown to an A4 PDF at ``path`` (Qt is loaded only now; offscreen from a
    command)."""
    from desk_app.ui.pdf_document import write_pdf

    write_pdf(markdown, path, title)
    return path
