"""desk-app kb and problems as a person runs them: articles through their lifecycle,
the known-error database, a fix that resolves the incidents, and the closure options."""

import json


def _json(run, *args):
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def _incident(run, **extra):
    args = ["log", "--summary", "VPN drops", "--description", "Every few minutes",
            "--reporter", "Bob", "--contact", "bob@example.com", "--channel", "phone",
            "--service", "Remote access", "--impact", "medium", "--urgency", "medium"]
    for key, value in extra.items():
        args += [f"--{key}", value]
    code, out, err = run(*args)
    assert code == 0, err
    return out.strip()


def test_an_article_through_its_lifecycle(run, tmp_path):
    (tmp_path / "solution.md").write_text("1. Open the client\n2. Push the profile\n",
                                          encoding="utf-8")
    made = _json(run, "kb", "new", "--title", "VPN drops", "--symptoms", "Disconnects",
                 "--solution", f"@{tmp_path / 'solution.md'}", "--service", "Remote access")
    number = made["number"]
    assert made["status"] == "draft" and made["solution"].startswith("1. Open the client")
    code, out, err = run("kb", "publish", number.lower())
    assert (code, out.strip()) == (0, f"{number}: published"), err
    code, out, _ = run("kb", "show", number)
    assert "Published" not in out and f"{number}  published  VPN drops" in out
    assert "Solution:\n1. Open the client\n2. Push the profile" in out
    listed = _json(run, "kb", "list", "--status", "published")
    assert [a["number"] for a in listed] == [number]
    assert _json(run, "kb", "retire", number)["status"] == "retired"
    code, _, err = run("kb", "retire", number)
    assert code == 2 and "refused: article_status:" in err and "Traceback" not in err


def test_bad_article_input_is_refused_naming_the_field(run):
    code, _out, err = run("kb", "new", "--solution", "Restart")
    assert code == 2 and "refused: title: is required" in err
    code, _, err = run("kb", "show", "KB-NOPE")
    assert code == 2 and "refused: article:" in err
    assert _json(run, "kb", "list") == []


def test_an_article_from_a_resolution_is_linked_at_closure(run):
    number = _incident(run)
    code, _, err = run("resolve", number, "--type", "permanent", "--code", "solved",
                       "--notes", "Renewed the certificate", "--publish-knowledge",
                       "--knowledge", "updated")
    assert code == 0, err
    shown = _json(run, "show", number)
    article = _json(run, "kb", "show", shown["article"])
    assert article["solution"] == "Renewed the certificate"
    assert article["source_ticket"] == number and article["linked_tickets"] == [number]


def test_problems_the_kedb_and_a_fix_that_resolves_the_incidents(run):
    first, second = _incident(run), _incident(run)
    code, out, err = run("link", first, "--raise-problem")
    assert code == 0, err
    problem = _json(run, "problems")[0]["number"]
    assert run("link", second, "--problem", problem)[0] == 0
    shown = _json(run, "show", problem)
    assert [i["number"] for i in shown["incidents"]] == [first, second]
    assert _json(run, "show", first)["problem"] == problem
    code, _, err = run("problem", problem, "--known-error")
    assert code == 2 and "refused: workaround:" in err
    run("problem", problem, "--root-cause", "Expired certificate")
    run("problem", problem, "--known-error", "--workaround", "Use the web VPN")
    code, out, _ = run("problems", "--known-errors")
    assert problem in out and "workaround: Use the web VPN" in out
    code, out, err = run("problem", problem, "--fix", "Renewed the certificate")
    said = f"{problem}: Resolved; 2 open incident(s) resolved with the fix"
    assert code == 0 and out.strip() == said, err
    for number in (first, second):
        resolved = _json(run, "show", number)
        assert resolved["status"] == "resolved"
        assert resolved["resolution_notes"] == f"Fixed by {problem}: Renewed the certificate"
    assert _json(run, "problem", problem, "--close")["problem_status"] == "closed"


def test_closing_a_workaround_takes_a_reason_from_an_incident_manager(run):
    number = _incident(run)
    run("resolve", number, "--type", "workaround", "--code", "workaround",
        "--notes", "Use the web VPN", "--knowledge", "not_needed", "--no-problem-needed")
    run("confirm", number)
    code, _, err = run("close", number)
    assert code == 2 and "incident manager" in err
    run("technician", "add", "tom", "--name", "Tom", "--role", "support")
    code, _, err = run("--as", "tom", "close", number, "--no-problem-reason", "One-off")
    assert code == 2 and "refused: problem_reason:" in err
    code, _, err = run("close", number, "--no-problem-reason", "A one-off power cut")
    assert code == 0, err
    assert _json(run, "show", number)["problem_reason"] == "A one-off power cut"


def test_a_desk_moving_to_another_team_takes_its_articles(run, team_db, postgres_url):
    from tests.team_database import fresh_team

    number = _json(run, "kb", "new", "--title", "VPN drops", "--solution", "Restart")["number"]
    run("remote", "set", team_db.remote_url("tech_kim"))
    assert run("sync")[0] == 0
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE entity = "
                          "'knowledge_article' AND field IS NULL") == 1
    with fresh_team(postgres_url) as second:
        assert run("remote", "unset")[0] == 0
        assert run("remote", "set", second.remote_url("tech_kim"))[0] == 0
        code, _, err = run("sync")
        assert code == 0, err
        for entity in ("knowledge_article", "article_history"):
            assert second.scalar(f"SELECT count(*) FROM desk.change WHERE entity = "
                                 f"'{entity}' AND field IS NULL") >= 1, entity
    assert _json(run, "kb", "show", number)["title"] == "VPN drops"
