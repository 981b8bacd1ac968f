"""Where things live: the data folder (platformdirs, --data-dir or DESK_APP_DATA_DIR)
and resources/ (beside the package, or inside a PyInstaller bundle)."""

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "desk-app"
DATABASE_FILE = "desk.sqlite3"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The folder of the local database: the override, DESK_APP_DATA_DIR, or the user
    data folder of this operating system."""
    chosen = override or os.environ.get("DESK_APP_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """The resources/ folder, in a source checkout, an install or a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    installed = Path(__file__).resolve().parent / "resources"  # shipped inside the wheel
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "resources"  # a source checkout


def app_icon_file() -> Path:
    """The application icon (SVG, sharp at any scale)."""
    return resources_dir() / "icons" / "desk-app.svg"


def default_policy_file() -> Path:
    """The default policy TOML a new database is seeded with."""
    return resources_dir() / "policy" / "default.toml"


def config_dir() -> Path:
    """Where the desktop client keeps its window layout and settings: DESK_APP_CONFIG_DIR
    or the user config folder of this operating system."""
    chosen = os.environ.get("DESK_APP_CONFIG_DIR")
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))
