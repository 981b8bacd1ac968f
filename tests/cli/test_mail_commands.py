"""`desk-app mail`: SMTP settings with the password in the keyring, sending what is
queued to a real SMTP server, and the queue with its reasons."""

import io
import json

from tests.mail_server import LOGIN, PASSWORD, free_port, smtp_server, start_server  # noqa: F401

LOG = ["log", "--summary", "Printer jam", "--description", "Paper stuck", "--reporter", "Ann",
       "--contact", "ann@example.com", "--channel", "phone", "--service", "Printing",
       "--impact", "low", "--urgency", "low"]


def test_set_show_send_and_queue(run, smtp_server):  # noqa: F811
    code, out, err = run("mail", "smtp", "set", "--host", "127.0.0.1", "--port",
                         str(smtp_server.port), "--security", "none",
                         "--from", "desk@example.com", "--from-name", "IT Desk",
                         "--reply-to", "support@example.com")
    assert code == 0, err
    assert "host: 127.0.0.1" in out and "password: none" in out
    assert "this desk sends mail: yes" in out
    number = run(*LOG)[1].strip()
    code, out, _ = run("mail", "queue")
    assert number in out and "queued" in out and "logged" in out
    code, out, err = run("mail", "send")
    assert (code, out.strip()) == (0, "1 sent, 0 failed, 0 still queued"), err
    assert smtp_server.inbox.subjects() == [f"[{number}] We have logged your request: "
                                            "Printer jam"]
    assert run("mail", "queue")[1].startswith("no mail queued")
    listed = json.loads(run("mail", "queue", "--all", "--json")[1])
    assert [(m["number"], m["state"]) for m in listed] == [(number, "sent")]
    shown = json.loads(run("show", number, "--json")[1])
    assert any(w["kind"] == "email" and w["note"].startswith("email to reporter: logged")
               for w in shown["worklog"])


def test_an_unreachable_server_keeps_the_mail_queued_and_says_why(run):
    port = free_port()
    run("mail", "smtp", "set", "--host", "127.0.0.1", "--port", str(port), "--security",
        "none", "--from", "desk@example.com")
    number = run(*LOG)[1].strip()
    code, out, err = run("mail", "send")
    assert code == 1 and "0 sent, 0 failed, 1 still queued" in out
    assert f"127.0.0.1:{port} is unreachable" in out
    code, out, _ = run("mail", "queue")
    assert number in out and "1 tries; last: the mail server" in out
    code, out, err = run("mail", "smtp", "test")
    assert code == 1 and "unreachable" in err and "Traceback" not in err
    server = start_server("none", port=port)  # the server is back (or put right)
    try:
        code, out, err = run("mail", "send")  # the retry is not due yet: say how
        assert code == 1 and "waiting to retry" in out and "mail send --retry" in err
        code, out, err = run("mail", "send", "--retry")
        assert (code, out.strip()) == (0, "1 sent, 0 failed, 0 still queued")
    finally:
        server.stop()


def test_the_password_goes_to_the_keyring_never_the_policy(run, monkeypatch, memory_keyring):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code, out, err = run("mail", "smtp", "set", "--host", "smtp.example.com", "--login",
                         LOGIN, "--from", "desk@example.com", "--password-stdin")
    assert code == 0, err
    assert "password: the keyring" in out and "port: 587" in out
    assert list(memory_keyring.passwords.values()) == [PASSWORD]
    assert PASSWORD not in run("policy", "show", "mail", "--json")[1]


def test_bad_settings_are_refused_naming_the_field(run):
    for args, field in ((["--host", "smtp.example.com", "--security", "none"],
                         "policy mail.smtp.security"),
                        (["--from", "not an address"], "policy mail.smtp.from_address"),
                        (["--port", "70000"], "policy mail.smtp.port")):
        code, _, err = run("mail", "smtp", "set", *args)
        assert code == 2 and f"refused: {field}:" in err, (args, err)
    assert run("mail", "smtp", "show", "--json")[1].count('"host": ""') == 1


def test_a_template_with_an_unknown_placeholder_is_refused(run, tmp_path):
    policy = tmp_path / "mail.toml"
    policy.write_text('[mail.templates.resolved]\nsubject = "Done {nmber}"\n'
                      'body = "{reply_instructions}"\n', encoding="utf-8")
    code, _, err = run("policy", "set", "--file", str(policy))
    assert code == 2
    assert "policy mail.templates.resolved.subject: unknown placeholder {nmber}" in err


def test_edit_no_email_stops_the_mail(run, smtp_server):  # noqa: F811
    run("mail", "smtp", "set", "--host", "127.0.0.1", "--port", str(smtp_server.port),
        "--security", "none", "--from", "desk@example.com")
    number = run(*LOG)[1].strip()
    code, out, err = run("edit", number, "--no-email", "yes")
    assert code == 0 and "saved no_email" in out, err
    run("hold", number, "--reason", "awaiting_user")
    run("mail", "send")
    assert len(smtp_server.inbox.messages) == 1  # the logging mail only
