"""``desk-app mail``: import files, set and test the mailbox, poll it."""

import json
from pathlib import Path

from tests.imap_server import PASSWORD, USER

MAIL = Path(__file__).parents[1] / "data" / "mail"


def test_mail_import_prints_each_files_outcome(run):
    files = [str(MAIL / name) for name in ("alternative.eml", "auto_reply.eml",
                                           "alternative.eml", "no_headers.eml")]
    code, out, _err = run("mail", "import", *files, "--json")
    assert code == 2  # one file was refused
    results = json.loads(out)
    assert [r["outcome"] for r in results] == ["new", "ignored", "duplicate", "refused"]
    assert results[0]["number"] == "INC-000001"
    assert results[1]["reason"] == "Auto-Submitted: auto-replied"
    assert results[3]["reason"] == "from: the message has no sender address"
    code, out, _err = run("mail", "import", str(MAIL / "reply_quoted.eml"))
    assert code == 0
    assert out.strip().endswith("reply_quoted.eml: reply to INC-000001 (worklog)")
    code, out, _err = run("mail", "import", str(MAIL / "bounce.eml"))
    assert code == 0 and "ignored (sent by mailer-daemon@mx.example.org)" in out


def test_mail_import_of_an_outlook_msg_says_what_to_do(run, tmp_path):
    msg = tmp_path / "message.msg"
    msg.write_bytes(b"\xd0\xcf\x11\xe0")
    code, _out, err = run("mail", "import", str(msg))
    assert code == 2 and "save the message as .eml" in err


def test_imap_set_show_test_and_poll(run, imap, monkeypatch):
    code, out, err = run("mail", "imap", "show", "--json")
    assert code == 0 and json.loads(out) is None
    code, out, err = run("mail", "poll", "--once")
    assert code == 2 and "no mailbox set" in err
    monkeypatch.setenv("IMAP_PW", PASSWORD)
    code, out, err = run("mail", "imap", "set", "--host", "127.0.0.1", "--port",
                         str(imap.port), "--login", USER, "--security", "starttls",
                         "--ca-file", str(imap.ca_file), "--password-env", "IMAP_PW",
                         "--json")
    assert code == 0, err
    assert json.loads(out)["login"] == USER and PASSWORD not in out
    code, out, err = run("mail", "imap", "show")
    assert out.strip() == (f"mailbox: {USER} on 127.0.0.1:{imap.port} (starttls), folder "
                           "INBOX, every 120 s, imported mail marked read")
    imap.deliver((MAIL / "latin1.eml").read_bytes(), (MAIL / "bounce.eml").read_bytes())
    code, out, err = run("mail", "imap", "test", "--json")
    assert code == 0 and json.loads(out)["message"].endswith("2 unread message(s)")
    code, out, err = run("mail", "poll", "--once", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["polled"] and [m["outcome"] for m in report["messages"]] == \
        ["new", "ignored"]
    code, out, err = run("mail", "poll", "--once")
    assert code == 0 and "no new mail" in out


def test_imap_refusals_name_the_field(run, imap):
    code, _out, err = run("mail", "imap", "set", "--host", "127.0.0.1", "--login", USER,
                         "--poll-seconds", "1")
    assert code == 2 and "poll_seconds: must be between 30" in err
    code, _out, err = run("mail", "imap", "set", "--host", "127.0.0.1", "--port",
                         str(imap.port), "--login", USER, "--security", "starttls",
                         "--ca-file", str(imap.ca_file))
    assert code == 0
    code, _out, err = run("mail", "imap", "test")
    assert code == 1 and f"no password for {USER}" in err


def test_ctrl_c_in_mail_poll_stops_after_the_message_it_imports(run, imap, monkeypatch,
                                                                 request):
    import signal

    import desk_app.services.mail_poll as mail_poll

    # a background job ("cmd &") starts with Ctrl+C ignored; a person's terminal does not
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    request.addfinalizer(lambda: signal.signal(signal.SIGINT, previous))
    monkeypatch.setenv("IMAP_PW", PASSWORD)
    assert run("mail", "imap", "set", "--host", "127.0.0.1", "--port", str(imap.port),
               "--login", USER, "--security", "starttls", "--ca-file", str(imap.ca_file),
               "--password-env", "IMAP_PW")[0] == 0
    imap.deliver(*(f"From: u{i}@example.com\r\nSubject: s{i}\r\nMessage-ID: <c{i}@x>"
                   f"\r\n\r\nbody\r\n".encode() for i in range(3)))
    real = mail_poll.import_bytes

    def import_then_ctrl_c(*args, **kwargs):
        outcome = real(*args, **kwargs)
        signal.raise_signal(signal.SIGINT)  # Ctrl+C during the poll, delivered at once
        return outcome

    monkeypatch.setattr(mail_poll, "import_bytes", import_then_ctrl_c)
    code, out, err = run("mail", "poll", "--once")
    assert code == 1 and "1 new; 2 left unread" in out and "new ticket INC-000001" in out
    assert "stopped by Ctrl+C" in err and "nothing" not in err
    assert (imap.unread(), imap.seen()) == (2, 1)
    monkeypatch.setattr(mail_poll, "import_bytes", real)
    assert run("mail", "poll", "--once")[0] == 0 and imap.unread() == 0
