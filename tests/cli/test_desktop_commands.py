"""The desktop commands: no command opens the window, or explains why it cannot."""

import json
import os

import pytest

from desk_app.cli import main


def test_no_command_without_a_display_shows_the_status(tmp_path, monkeypatch, capsys):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["--data-dir", str(tmp_path), "--as", "alice"]) == 0
    captured = capsys.readouterr()
    assert "no display" in captured.err
    assert "alice" in captured.out


def test_screenshot_renders_every_screen(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path / "desk"), "--as", "alice", "screenshot",
                 "--out", str(tmp_path / "shots")]) == 0
    out = capsys.readouterr().out
    names = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    assert names == sorted([
        "01-queue-dark.png", "01-queue.png", "02-logging-form-error.png",
        "03-ticket-view-dark.png", "03-ticket-view.png", "04-closure-refused.png",
        "05-priority-matrix.png", "09-ci-history.png", "09-mail-settings.png",
        "09-notifications.png", "09-suggestions.png", "09-ticket-files.png",
        "09-watch-rules.png", "10-my-day.png",
        "11-confirm-satisfaction.png", "11-queue-satisfaction.png",
        "11-ticket-satisfaction.png", "12-major-review.png",
        "20-known-error.png", "21-knowledge-article.png", "22-dashboard.png",
        "23-report-pdf.png", "24-major-board.png",
        "25-major-update.png", "26-major-procedure.png", "26-weekly-report.png",
    ])
    assert all((tmp_path / "shots" / n).stat().st_size > 5_000 for n in names)
    assert "first painted main window after" in out
    # every change the walkthrough made on the given desk was rolled back
    assert main(["--data-dir", str(tmp_path / "desk"), "--as", "alice", "list",
                 "--json"]) == 0
    assert capsys.readouterr().out.strip() in ("[]", "")
    assert not any(p.is_file() for p in (tmp_path / "desk" / "attachments").rglob("*"))


SELFTEST_CHECKS = ("command modules", "resources", "application icon", "interface icons",
                   "Markdown page", "ICU data", "tray icon", "JPEG thumbnail", "charts",
                   "PDF report", "main window",
                   "ticket lifecycle", "read back", "public holidays and time zones",
                   "PostgreSQL driver", "keyring", "mail clients", "ranked search library",
                   "reopened database")


def test_selftest_runs_the_real_app_on_a_scratch_desk(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(tmp_path / "users-desk"))
    monkeypatch.setenv("DESK_APP_CONFIG_DIR", str(tmp_path / "users-config"))
    assert main(["selftest"]) == 0
    out = capsys.readouterr().out
    for check in SELFTEST_CHECKS:
        assert f"ok    {check}" in out
    assert "source install" in out and f"selftest passed: {len(SELFTEST_CHECKS)} checks" in out
    assert "INC-000001 closed" in out and "libpq" in out
    # the person's own desk and window layout were not touched
    assert not (tmp_path / "users-desk").exists() and not (tmp_path / "users-config").exists()
    assert os.environ["DESK_APP_CONFIG_DIR"] == str(tmp_path / "users-config")


@pytest.mark.parametrize("as_json", [False, True])
def test_selftest_fails_naming_the_check_that_broke(monkeypatch, capsys, as_json):
    from desk_app.services import queues

    monkeypatch.setattr(queues, "listing_count", lambda session, flt: 0)  # search broken
    assert main(["selftest", *(["--json"] if as_json else [])]) == 1
    captured = capsys.readouterr()
    assert "selftest FAILED at read back: full-text search found 0 tickets" in captured.err
    if as_json:
        checks = {c["name"]: c for c in json.loads(captured.out)["checks"]}
        assert "command modules" in checks and set(checks) <= set(SELFTEST_CHECKS)
        assert not checks["read back"]["ok"] and checks["ticket lifecycle"]["ok"]
        return
    assert "FAIL  read back" in captured.out
    assert "ok    ticket lifecycle" in captured.out


def test_screenshot_json_lists_the_files(tmp_path, monkeypatch, capsys):
    files = [tmp_path / "01-queue.png", tmp_path / "03-ticket-view.png"]
    monkeypatch.setattr("desk_app.app.take_screenshots", lambda out, data_dir, login: {
        "files": files, "first_paint_seconds": 0.25})
    assert main(["screenshot", "--out", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "files": [str(f) for f in files], "first_paint_seconds": 0.25}


def test_selftest_fails_when_resources_are_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("desk_app.paths.resources_dir", lambda: tmp_path / "nowhere")
    assert main(["selftest"]) == 1
    captured = capsys.readouterr()
    assert "FAIL  resources" in captured.out and "FAIL  application icon" in captured.out
    assert "FAIL  interface icons" in captured.out
    assert "selftest FAILED at resources: missing:" in captured.err
