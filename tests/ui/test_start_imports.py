"""What the window's start path imports before its first paint: only what painting
needs. A module added to the path by accident (the PostgreSQL driver, the keyring,
mail, the ticket activities, a command module) fails here; so does any module of ours
or third-party package new to the path, until it is added to the list on purpose."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PROBE = textwrap.dedent("""
    import json, sys
    from desk_app.cli import main
    import desk_app.ui.application as application
    original = application.DesktopClient._painted

    def painted(self):
        print("MODULES " + json.dumps(sorted(sys.modules)), flush=True)
        original(self)

    application.DesktopClient._painted = painted
    sys.exit(main(["--data-dir", sys.argv[1], "--exit-after-first-paint"]))
""")

# Third-party packages the first paint needs: Qt and the folders. The window paints its
# light start before the desk opens: the local database (peewee) comes after it.
ALLOWED_PACKAGES = {"PySide6", "shiboken6", "shibokensupport", "signature_bootstrap",
                    "platformdirs", "desk_app"}

# Every module of ours the first paint may import, by package: exactly these. A module
# new to the start path fails the test until it is added here on purpose (painting
# needs it) or imported where it is used (ui/deferred_modules.py, a function's import,
# main_window._load_desk_code for what the window needs once the desk is open).
FIRST_PAINT_MODULES = {
    "desk_app": """
        __init__ app lean_peewee logs paths
    """,
    "desk_app.cli": """
        __init__ desktop_commands output window_arguments
    """,
    "desk_app.core": """
        __init__ errors
    """,
    "desk_app.services": """
        __init__ executor
    """,
    "desk_app.storage": """
        __init__ failures
    """,
    "desk_app.ui": """
        __init__ application crash_report deferred_modules display_libraries drafts look
        main_window palette theme window_state worker
    """,
}
ALLOWED_MODULES = {package if name == "__init__" else f"{package}.{name}"
                   for package, names in FIRST_PAINT_MODULES.items()
                   for name in names.split()}

# What only later work needs, named so a failure says why: the local database and the
# services (the desk opens after the first paint), the screens of the open desk, sync
# and the PostgreSQL driver, the keyring, mail in and out, the ticket activities
# (routing, notifications, knowledge), attachments' store, the command tree and the
# file formats, first run.
LATER = ("peewee", "playhouse", "sqlite3", "desk_app.storage.database",
         "desk_app.storage.models", "desk_app.services.session", "desk_app.services.queues",
         "desk_app.ui.ticket_view", "desk_app.ui.ticket_table", "desk_app.ui.queue_list",
         "desk_app.ui.notification_bell", "desk_app.ui.icons", "desk_app.ui.crash_dialog",
         "PySide6.QtCharts", "PySide6.QtSvg",  # the dashboard's charts, the SVG icons
         "desk_app.sync", "desk_app.services.team_sync", "desk_app.services.first_run",
         "desk_app.services.transfer", "desk_app.cli.parser", "desk_app.cli.ticket_commands",
         "desk_app.cli.admin_commands", "desk_app.cli.transfer_commands",
         "desk_app.cli.sync_commands", "desk_app.ui.first_run_wizard",
         "desk_app.services.selftest", "desk_app.services.mail", "desk_app.services.imap",
         "desk_app.services.workflow", "desk_app.services.intake",
         "desk_app.services.classification", "desk_app.services.ticket_actions",
         "desk_app.services.assignment", "desk_app.services.notify",
         "desk_app.services.notifications", "desk_app.services.knowledge",
         "desk_app.services.attachments", "desk_app.storage.attachment",
         "desk_app.core.mail", "desk_app.core.knowledge", "desk_app.ui.tray",
         "desk_app.ui.markdown_view", "desk_app.ui.article",
         # ranked search: rapidfuzz's spelling step, its commands, diagnosis suggestions
         "desk_app.cli.search_commands", "desk_app.services.search",
         "desk_app.services.diagnosis", "desk_app.core.spelling")
# Standard-library modules only mail, sync or the commands use.
LATER_STDLIB = ("smtplib", "imaplib", "ssl", "http", "asyncio", "subprocess", "csv",
                "email.message", "email.parser", "email.mime", "xml", "multiprocessing")


def _modules_at_first_paint(tmp_path: Path) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DESK_APP_TECHNICIAN": "alice",
           "PYTHONPATH": str(Path(__file__).parents[2])}
    desk = tmp_path / "desk"
    subprocess.run([sys.executable, "-m", "desk_app", "--data-dir", str(desk), "status"],
                   env=env, check=True, capture_output=True)  # an existing desk: no wizard
    done = subprocess.run([sys.executable, "-c", PROBE, str(desk)], env=env, text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES "))
    return json.loads(line.removeprefix("MODULES "))


def test_the_first_paint_imports_only_what_painting_needs(tmp_path):
    modules = _modules_at_first_paint(tmp_path)
    packages = {m.split(".")[0] for m in modules if not m.startswith("_")}
    unexpected = packages - set(sys.stdlib_module_names) - ALLOWED_PACKAGES
    assert not unexpected, f"imported before the first paint: {sorted(unexpected)}"
    early = sorted(m for m in modules if m.startswith(LATER + LATER_STDLIB))
    assert not early, f"imported before the first paint: {early}"
    ours = {m for m in modules if m.split(".")[0] == "desk_app"}
    new = sorted(ours - ALLOWED_MODULES)
    assert not new, (f"new on the window's start path: {new}; import it where it is used "
                     "or, if the first paint needs it, add it to FIRST_PAINT_MODULES")


def test_the_allowed_list_names_no_later_module():
    assert not sorted(m for m in ALLOWED_MODULES if m.startswith(LATER))
