"""``desk-app review``: a major incident's review written, refused, completed, its
actions tracked, the closure it gates, and the Markdown and PDF exports (the PDF's text
read back)."""

import json
from datetime import date, timedelta

from tests.pdf_text import pdf_text

SECTIONS = {"detection": "Monitoring alarm; a synthetic check would be sooner",
            "communication": "Mail to stakeholders every 30 minutes",
            "team": "Commander and two resolvers", "resources": "Vendor on site in 40 min",
            "process": "Resolution target missed: waited on the vendor",
            "reporting": "Report sent to the service owner"}


def _major(run) -> str:
    code, out, err = run("log", "--summary", "VPN down for everyone", "--reporter", "Bob",
                         "--contact", "bob@example.com", "--channel", "phone", "--service",
                         "Remote access", "--impact", "high", "--urgency", "medium",
                         "--description", "No one can connect")
    assert code == 0, err
    number = out.strip()
    code, out, err = run("major", "declare", number, "--manager", "alice",
                         "--reason", "Whole company affected")
    assert code == 0, err
    return number


def test_the_review_from_first_section_to_closure_and_export(run, tmp_path):
    number = _major(run)
    code, out, err = run("review", "show", number)
    assert code == 0, err
    assert "First update    not recorded" in out and "review: Draft" in out

    code, out, err = run("review", "edit", number, "--detection", SECTIONS["detection"])
    assert code == 0 and "wrote detection" in out, err
    code, out, err = run("review", "complete", number)
    assert code == 2 and "communication:" in err and "Traceback" not in err

    due = (date.today() + timedelta(days=14)).isoformat()
    code, out, err = run("review", "action", "add", number, "--text", "Synthetic VPN check",
                         "--owner", "nobody", "--due", due)
    assert code == 2 and "owner: no technician 'nobody'" in err
    code, out, err = run("review", "action", "add", number, "--text", "Synthetic VPN check",
                         "--owner", "alice", "--due", due, "--json")
    assert code == 0, err
    ref = json.loads(out)["actions"][0]["ref"]
    code, out, err = run("review", "action", "done", number, ref)
    assert code == 0 and f"action {ref} done" in out, err

    run("resolve", number, "--type", "permanent", "--code", "solved", "--notes", "Replaced")
    run("confirm", number)
    close = ("close", number, "--knowledge", "not_needed", "--no-problem-reason", "one-off")
    code, out, err = run(*close)
    assert code == 2 and "review:" in err and "draft" in err

    others = [arg for key, text in SECTIONS.items() if key != "detection"
              for arg in (f"--{key}", text)]
    assert run("review", "edit", number, *others, "--raise-problem")[0] == 0
    code, out, err = run("review", "complete", number, "--json")
    assert code == 0 and json.loads(out)["status"] == "complete", err
    code, out, err = run(*close)
    assert code == 0, err

    markdown = tmp_path / "review.md"
    code, out, err = run("review", "export", number, "--format", "md", "--out", str(markdown))
    assert code == 0, err
    text = markdown.read_text(encoding="utf-8")
    assert f"# Post-incident review: {number}" in text
    assert "| First update | not recorded |" not in text and "| First update |" in text
    assert "Synthetic VPN check" in text and "PRB-000" in text

    pdf = tmp_path / "review.pdf"
    code, out, err = run("review", "export", number, "--format", "pdf", "--out", str(pdf))
    assert code == 0, err
    read = pdf_text(pdf)
    assert f"Post-incident review: {number}" in read
    assert "Detection" in read and "synthetic check would be sooner" in read
    assert "First update" in read and "Synthetic VPN check" in read


def test_a_normal_incident_has_no_review(run):
    code, out, err = run("log", "--summary", "Printer jam", "--reporter", "Ann",
                         "--contact", "ann@example.com", "--channel", "phone", "--service",
                         "Printing", "--impact", "low", "--urgency", "low",
                         "--description", "Tray 2")
    code, out, err = run("review", "show", out.strip())
    assert code == 2 and "major:" in err and "not a major incident" in err


def test_export_to_a_missing_folder_is_refused(run, tmp_path):
    number = _major(run)
    code, _out, err = run("review", "export", number, "--format", "md",
                         "--out", str(tmp_path / "nowhere" / "review.md"))
    assert code == 2 and "out:" in err


def test_the_report_prints_a_major_incidents_block(run):
    _major(run)
    code, out, err = run("report")
    assert code == 0, err
    block = out[out.index("Major incidents"):]
    assert "Time to declare: " in block and "(over 1)" in block
    assert "Major incidents with a completed review: - (over 0, target 100.0%)" in block


def test_export_checks_its_target_like_every_report(run, tmp_path):
    number = _major(run)
    desk_file = tmp_path / "desk" / "desk.sqlite3"
    before = desk_file.read_bytes()
    code, _out, err = run("review", "export", number, "--format", "md", "--out",
                          str(desk_file))
    assert code != 0 and "out" in err
    assert desk_file.read_bytes() == before  # the desk itself is never written over
    code, _out, err = run("review", "export", number, "--format", "md", "--out", "/dev/full")
    assert code != 0 and "out" in err and "Traceback" not in err
def test_export_onto_the_desks_own_database_is_refused_and_the_desk_survives(run, tmp_path):
    number = _major(run)
    database = tmp_path / "desk" / "desk.sqlite3"
    code, _out, err = run("review", "export", number, "--format", "md",
                          "--out", str(database))
    assert code == 2 and "out:" in err and "data folder" in err
    assert database.read_bytes()[:16] == b"SQLite format 3\x00"
    assert run("review", "show", number)[0] == 0


def test_export_over_a_read_only_file_is_refused_and_the_file_kept(run, tmp_path):
    number = _major(run)
    kept = tmp_path / "review.md"
    kept.write_text("the signed-off review")
    kept.chmod(0o444)
    code, _out, err = run("review", "export", number, "--format", "md", "--out", str(kept))
    assert code == 2 and "out:" in err and "read-only" in err
    assert kept.read_text() == "the signed-off review"
