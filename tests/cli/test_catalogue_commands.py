"""desk-app catalogue: import, list, add, edit, show (with the incident history), remove
and export, as a person runs them."""

import json


def test_catalogue_commands_end_to_end(run, tmp_path):
    services = tmp_path / "services.csv"
    services.write_text("name,criticality,sla_targets\nEmail,high,P3=10m/1h\n",
                        encoding="utf-8")
    cis = tmp_path / "cis.csv"
    cis.write_text("name,type,service\nMAIL-01,server,Email\n", encoding="utf-8")
    code, out, err = run("catalogue", "import", "services", str(services), "--json")
    assert code == 0, err
    assert json.loads(out) == {"imported": 1, "kind": "service"}
    assert run("catalogue", "import", "cis", str(cis))[0] == 0
    code, out, err = run("catalogue", "add", "ci", "PC-9", "--type", "laptop",
                         "--service", "email", "--json")
    assert code == 0, err and json.loads(out)["service"] == "Email"
    code, out, err = run("catalogue", "edit", "ci", "pc-9", "--location", "Room 4")
    assert code == 0, err
    code, out, _ = run("catalogue", "list", "cis", "--json")
    assert [row["name"] for row in json.loads(out)] == ["MAIL-01", "PC-9"]
    code, out, err = run("log", "--summary", "Mail down", "--description", "no mail",
                         "--reporter", "Ann", "--contact", "ann@example.com",
                         "--channel", "phone", "--ci", "mail-01", "--impact", "medium",
                         "--urgency", "medium")
    assert code == 0, err
    number = out.strip()
    code, out, err = run("catalogue", "show", "MAIL-01", "--json")
    assert code == 0, err
    page = json.loads(out)
    assert page["counts"] == {"tickets": 1, "open": 1}
    assert page["history"][0]["number"] == number and page["history"][0]["open"]
    assert page["service"]["name"] == "Email"
    code, out, _ = run("catalogue", "show", "MAIL-01")
    assert number in out and "1 open" in out
    code, out, _ = run("show", number, "--json")
    assert json.loads(out)["service"] == "Email"  # the CI's service, filled in
    code, out, _ = run("catalogue", "remove", "ci", "MAIL-01", "--json")
    assert json.loads(out)["outcome"] == "retired"
    assert json.loads(run("catalogue", "remove", "ci", "PC-9", "--json")[1])["outcome"] \
        == "removed"
    code, out, err = run("catalogue", "export", "cis", "--out", str(tmp_path / "o.csv"),
                         "--json")
    assert code == 0, err and json.loads(out)["exported"] == 1
    assert "MAIL-01" in (tmp_path / "o.csv").read_text(encoding="utf-8")


def test_bad_catalogue_input_is_refused_with_exit_2(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,service\nA,Nope\nA,\n", encoding="utf-8")
    code, _, err = run("catalogue", "import", "cis", str(bad))
    assert code == 2 and "line 2" in err and "line 3" in err
    code, _, err = run("catalogue", "show", "nothing")
    assert code == 2 and "no configuration item or service" in err
    code, _, err = run("catalogue", "add", "service", "X", "--criticality", "huge")
    assert code == 2 and "criticality" in err


def test_import_refuses_a_device_rather_than_reading_it(run):
    # /dev/zero would be read until memory runs out; /dev/null stands in for it safely
    code, _, err = run("catalogue", "import", "cis", "/dev/null")
    assert code == 2 and "refused: file: /dev/null is a device, not a CSV file" in err, err
    code, out, _ = run("catalogue", "list", "cis", "--json")
    assert code == 0 and json.loads(out) == []
