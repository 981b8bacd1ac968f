"""demo --tickets / --remove, and remote set on a desk holding demo tickets."""

import pytest


def test_remote_set_refuses_while_demo_tickets_are_on_the_desk(run):
    code, out, _ = run("demo", "--tickets", "60")
    assert code == 0 and "wrote 60 demo ticket(s)" in out
    code, _, err = run("remote", "set", "postgresql://kim@127.0.0.1:1/desk")
    assert code == 2
    assert "refused: demo: this desk holds 60 demo tickets" in err
    assert "desk-app demo --remove" in err and "--include-demo" in err
    code, out, _ = run("sync", "status")
    assert "none (work is local only)" in out  # refused: nothing changed


def test_demo_remove_then_remote_set_goes_through(run):
    run("demo", "--tickets", "60")
    run("log", "--summary", "A real ticket", "--description", "d", "--reporter", "Bob",
        "--contact", "bob@example.org", "--channel", "phone", "--service", "Email",
        "--impact", "low", "--urgency", "low", "--category", "Email")
    code, out, _ = run("demo", "--remove")
    assert code == 0 and "removed 60 demo ticket(s)" in out
    code, out, _ = run("status")
    assert "1 in all" in out
    code, out, _ = run("remote", "set", "postgresql://kim@127.0.0.1:1/desk")
    assert code == 0 and "team database: postgresql://kim@127.0.0.1:1/desk" in out


def test_remote_set_include_demo_keeps_them_to_be_sent(run):
    run("demo", "--tickets", "60")
    code, out, _ = run("remote", "set", "--include-demo", "postgresql://kim@127.0.0.1:1/desk")
    assert code == 0 and "team database:" in out
    code, out, _ = run("sync", "status")
    assert "pending changes: 78" in out  # 60 tickets and the 18 demo technicians queued
    code, _, err = run("demo", "--tickets", "5")
    assert code == 2 and "demo: this desk syncs with a team database" in err


def test_demo_needs_tickets_or_remove(run, capsys):
    for args, said in ((["demo"], "one of the arguments --tickets --remove is required"),
                       (["demo", "--tickets", "5", "--remove"], "not allowed with")):
        with pytest.raises(SystemExit) as exit_:
            run(*args)
        assert exit_.value.code == 2 and said in capsys.readouterr().err
