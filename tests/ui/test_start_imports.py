"""What the window's start path imports before its first paint: only what painting
needs. A module added to the path by accident (the PostgreSQL driver, the keyring,
the import schemas, a command module) fails here; so does a new third-party package,
until it is added to the list on purpose."""

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

# Third-party packages the first paint needs: Qt, the local database, the folders.
ALLOWED_PACKAGES = {"PySide6", "shiboken6", "shibokensupport", "signature_bootstrap",
                    "peewee", "playhouse", "platformdirs", "desk_app"}
# Ours that only later work needs: sync, the commands, the file formats, first run.
LATER = ("desk_app.sync", "desk_app.services.team_sync", "desk_app.services.first_run",
         "desk_app.services.transfer.importer", "desk_app.services.transfer.schema",
         "desk_app.services.transfer.json_format", "desk_app.services.transfer.csv_format",
         "desk_app.services.transfer.servicenow", "desk_app.cli.ticket_commands",
         "desk_app.cli.admin_commands", "desk_app.cli.transfer_commands",
         "desk_app.cli.sync_commands", "desk_app.ui.first_run_wizard", "desk_app.services.selftest",
         "desk_app.cli.search_commands", "desk_app.services.search",
         "desk_app.services.diagnosis")


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
    early = sorted(m for m in modules if m.startswith(LATER))
    assert not early, f"imported before the first paint: {early}"
