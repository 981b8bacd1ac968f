from pathlib import Path

from desk_app import paths
from desk_app.system_time_zone import system_time_zone


def test_data_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("DESK_APP_DATA_DIR", raising=False)
    default = paths.data_dir()
    assert default.name == "desk-app"
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    assert paths.data_dir(tmp_path / "flag") == tmp_path / "flag"  # --data-dir wins


def test_resources_are_found():
    assert paths.default_policy_file().is_file()


def test_resources_inside_a_frozen_bundle(monkeypatch, tmp_path):
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == Path(tmp_path) / "resources"


def test_system_time_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    assert system_time_zone() == "Asia/Kolkata"
    monkeypatch.setenv("TZ", "Not/A_Zone")
    assert system_time_zone() != "Not/A_Zone"
