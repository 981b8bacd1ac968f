"""The log: one rotating file per user, loggers named per layer, nothing secret in it."""

import logging

import pytest

from desk_app import logs
from desk_app.cli import main

SECRETS = ("Pa55word-xyz", "Payroll server for Ms Greene", "salary spreadsheet of Ms Greene",
           "typed her PIN 4711 into the note", "restored the salary sheet from backup")


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys, memory_keyring):
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(tmp_path / "desk"))
    monkeypatch.setenv("DESK_APP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("DESK_APP_TECHNICIAN", "alice")
    monkeypatch.setenv("TZ", "Europe/London")

    def invoke(*args: str) -> int:
        code = main(list(args))
        capsys.readouterr()
        return code

    yield invoke
    logs.configure_logging()  # leave no handler on the test's folder


def test_a_ticket_life_and_a_password_leave_no_secret_in_the_log(cli, tmp_path):
    assert cli("remote", "set", "postgresql://kim:Pa55word-xyz@db.example.invalid/desk") == 0
    assert cli("log", "--summary", SECRETS[1], "--description", SECRETS[2],
               "--reporter", "Ms Greene", "--contact", "greene@example.com",
               "--channel", "phone", "--service", "Payroll", "--impact", "low",
               "--urgency", "low", "--category", "Software") == 0
    assert cli("assign", "INC-000001", "--technician", "alice") == 0
    assert cli("start", "INC-000001") == 0
    assert cli("note", "INC-000001", SECRETS[3]) == 0
    assert cli("resolve", "INC-000001", "--type", "permanent", "--code", "solved",
               "--notes", SECRETS[4]) == 0
    text = logs.log_file().read_text()
    assert logs.log_file() == tmp_path / "logs" / "desk-app.log"
    for secret in SECRETS:
        assert secret not in text
    # what it does say, by layer
    assert "INFO    desk_app [MainThread] desk-app" in text
    assert "desk_app.app" in text and "opened the desk" in text
    assert "desk_app.storage.database" in text and "applied migrations" in text
    assert "desk_app.services.recording" in text and "INC-000001 logged by alice" in text
    assert "INC-000001 changed by alice: assignee, status new -> assigned" in text
    assert "status in_progress -> resolved, resolution_type, resolution_code, resolution_notes" \
        in text


def test_secrets_that_slip_into_a_message_are_masked(tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_APP_LOG_DIR", str(tmp_path))
    logs.configure_logging(console=False)
    logging.getLogger("desk_app.sync.remote").warning(
        "cannot reach postgresql://kim:hunter2@db/desk (password=hunter3, PWD: 'hunter 4')")
    try:
        raise RuntimeError("connect failed: password=hunter5")
    except RuntimeError:
        logging.getLogger("desk_app.sync").exception("sync broke")
    logs.configure_logging(console=False)
    text = (tmp_path / "desk-app.log").read_text()
    assert "postgresql://kim:***@db/desk" in text and "password=***" in text
    assert all(f"hunter{n}" not in text for n in range(2, 6))
    assert "hunter 4" not in text and "RuntimeError" in text


def test_the_log_rotates(tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_APP_LOG_DIR", str(tmp_path))
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    logs.configure_logging(console=False)
    for n in range(400):
        logging.getLogger("desk_app.services").info("activity %d", n)
    logs.configure_logging(console=False)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["desk-app.log", *(f"desk-app.log.{n}" for n in range(1, logs.BACKUPS + 1))]
    assert all(p.stat().st_size <= 2_000 for p in tmp_path.iterdir())
    assert "activity 399" in (tmp_path / "desk-app.log").read_text()


def test_configuring_again_does_not_double_the_lines(tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_APP_LOG_DIR", str(tmp_path))
    for _ in range(3):
        logs.configure_logging(console=False)
    logging.getLogger("desk_app.ui").info("once")
    logs.configure_logging(console=False)
    assert (tmp_path / "desk-app.log").read_text().count("once") == 1


def test_an_unwritable_log_folder_still_lets_the_command_run(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("DESK_APP_LOG_DIR", str(blocker / "logs"))
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(tmp_path / "desk"))
    assert main(["--as", "alice", "status"]) == 0
    captured = capsys.readouterr()
    assert "cannot write the log" in captured.err and "alice" in captured.out
    monkeypatch.setenv("DESK_APP_LOG_DIR", str(tmp_path / "logs"))
    logs.configure_logging()


def test_a_bug_in_a_command_is_logged_with_its_trace(cli, monkeypatch, capsys):
    def cmd_status(_args):  # a bug in the status command
        raise RuntimeError("status broke (password=hunter9)")

    monkeypatch.setattr("desk_app.cli.admin_commands.cmd_status", cmd_status)
    assert main(["status"]) == 1
    err = capsys.readouterr().err
    assert "internal error: status broke" in err and "hunter9" not in err
    text = logs.log_file().read_text()
    assert "ERROR   desk_app.cli [MainThread] internal error in status" in text
    assert "Traceback" in text and "in cmd_status" in text and "hunter9" not in text
