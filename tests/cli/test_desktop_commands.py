"""The desktop commands: no command opens the window, or explains why it cannot."""

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
    assert names == ["01-queue.png", "02-logging-form-error.png", "03-ticket-view.png",
                     "04-closure-refused.png", "05-priority-matrix.png"]
    assert all((tmp_path / "shots" / n).stat().st_size > 5_000 for n in names)
    assert "first painted main window after" in out
    # every change the walkthrough made on the given desk was rolled back
    assert main(["--data-dir", str(tmp_path / "desk"), "--as", "alice", "list",
                 "--json"]) == 0
    assert capsys.readouterr().out.strip() in ("[]", "")
