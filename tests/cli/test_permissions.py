"""``--as`` a technician the desk refuses: deactivated, or created inactive by an import."""

import json


def _log(run, *prefix):
    return run(*prefix, "log", "--summary", "VPN down", "--description", "since 9",
               "--reporter", "Bob", "--contact", "bob@example.com", "--channel", "phone",
               "--service", "Remote access", "--impact", "low", "--urgency", "low",
               "--category", "Network", "--subcategory", "VPN")


def test_a_technician_an_import_created_inactive_is_refused_every_activity(run, tmp_path):
    code, number, _ = _log(run)
    assert code == 0
    run("assign", number.strip(), "--technician", "alice")
    code, exported, _ = run("export", "--format", "json")
    data = json.loads(exported)
    ticket = data["tickets"][0]
    for key in ("id", "history", "worklog", "links", "ticks"):
        ticket.pop(key, None)
    ticket |= {"number": "INC-000777", "assignee": "ghost"}
    source = tmp_path / "tickets.json"
    source.write_text(json.dumps(data))
    assert run("import", str(source))[0] == 0
    assert "ghost" in run("technician", "list")[1]
    for attempt in (lambda: _log(run, "--as", "ghost"),
                    lambda: run("--as", "ghost", "start", "INC-000777"),
                    lambda: run("--as", "ghost", "note", "INC-000777", "hello")):
        code, _out, err = attempt()
        assert code == 2 and "technician ghost is deactivated" in err
    assert run("--as", "ghost", "show", "INC-000777")[0] == 0  # reading is not acting
    code, listed, _ = run("technician", "list", "--json")
    assert [t["active"] for t in json.loads(listed) if t["login"] == "ghost"] == [False]


def test_a_deactivated_technician_is_refused_and_reactivation_restores(run):
    assert run("technician", "add", "sam", "--name", "Sam", "--role", "support")[0] == 0
    assert run("technician", "update", "sam", "--active", "no")[0] == 0
    code, _out, err = _log(run, "--as", "sam")
    assert code == 2 and "refused: technician: technician sam is deactivated" in err
    assert run("technician", "update", "sam", "--active", "yes")[0] == 0
    assert _log(run, "--as", "sam")[0] == 0
