"""Everything the window does is also a command, and every command prints JSON for
scripts: the parser is walked, so a new window action without a command, or a new
command without ``--json`` (or whose ``--json`` prints something else), fails here."""

import argparse
import json
import shlex

import pytest

from desk_app.cli.parser import EDITABLE_DETAILS, build_parser
from desk_app.services.details import EDITABLE_DETAILS as SERVICE_DETAILS
from desk_app.services.ticket_actions import ACTIONS
from desk_app.ui.action_row import LIFECYCLE, OTHER
from tests.team_database import OWNER, empty_database, ensure_login

# what the window does -> the command that does the same ({n}: a ticket's number)
WINDOW = {
    # the ticket view's actions (ui/action_row.py) and its other controls
    "start_work": "start {n}",
    "assign": "assign {n} --group 'Service Desk'",
    "worklog": "note {n} 'called the user' --minutes 5",
    "hold": "hold {n} --reason awaiting_user",
    "resume": "resume {n}",
    "escalate": "escalate {n} --reason 'needs L2'",
    "resolve": "resolve {n} --type permanent --code solved --notes fixed",
    "confirm": "confirm {n} --score 4 --comment 'quick, thanks'",
    "record_satisfaction": "satisfaction {n} 5 --comment 'asked again'",
    "reject": "reject {n} --reason 'still broken'",
    "close": "close {n} --knowledge not_needed",
    "reopen": "reopen {n} --reason again",
    "cancel": "cancel {n} --reason duplicate --duplicate-of INC-000002",
    "escalate_hierarchic": "escalate {n} --hierarchic --reason 'at risk'",
    "reprioritise": "reprioritise {n} --impact high --reason worse",
    "declare_major": "major declare {n} --manager alice --reason 'whole floor down'",
    "convert": "convert {n} --to request",
    "link_problem": "link {n} --raise-problem",
    "set_rfc": "link {n} --rfc RFC-1",
    "set_parent": "link {n} --parent INC-000002",
    "relate": "link {n} --related INC-000002",
    "link": "link {n} --problem PRB-000001",
    "work_problem": "problem {n} --known-error --workaround 'Use the web VPN'",
    "edit_details": "edit {n} --summary 'VPN drops' --contact bob@example.com "
                    "--reporter Bob --service VPN --ci vpn-gw-1 --description again",
    "categorise": "categorise {n} --category Network --subcategory VPN",
    "tick_checklist": "checklist {n} --tick 2",
    "composer_update": "note {n} 'working on it' --minutes 10 --status in_progress",
    "show_ticket": "show {n}",
    # the main window's menus, queues and search
    "new_ticket": "log --summary 'Printer jam' --description 'Paper stuck in tray 2' "
                  "--reporter Ann --contact ann@example.com "
                  "--channel phone --service Printing --impact low --urgency low",
    "queues_and_search": "list --status open --search printer --sort priority",
    "import_tickets": "import tickets.json --skip-bad",
    "export_tickets": "export --format csv --out tickets.csv",
    "demo_tickets": "demo --tickets 10",
    "my_profile": "profile --name 'Alice Doe' --email alice@example.com --group 'Service Desk'",
    "administration_policy": "policy set --file policy.toml",
    "administration_groups": "group add 'Field Support' --level L2",
    "administration_technicians": "technician update kim --role support --active no",
    "team_database": "remote set postgresql://kim@db.example.com/team_desk",
    "leave_team": "remote unset",
    "sync_now": "sync",
    "sync_details": "sync status",
    "about": "status",
    "administration_mail": ("mail smtp set --host 127.0.0.1 --port 9 --security none "
                            "--from desk@example.com"),
    "edit_no_email": "edit {n} --no-email yes",
    "major_review": "review show {n}",
    "major_board": "major show {n}",
}
# not commands: how the window looks (theme, where the ticket pane sits, saved views,
# column widths), which is the window's own and kept with its layout


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command words, parser) of every command a person can run (a command that runs
    by itself and has subcommands too, like notifications, is one of them)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs or (path and parser.get_default("handler") is not None):
        yield path, parser
    if not subs:
        return
    for name, sub in subs[0].choices.items():
        yield from _leaves(sub, (*path, name))


COMMANDS = {" ".join(path): sub for path, sub in _leaves(build_parser())}


def _parses(line: str) -> argparse.Namespace:
    return build_parser().parse_args(_split(line.format(n="INC-000001")))


def _split(line: str) -> list[str]:
    return shlex.split(line)


def test_every_action_of_the_ticket_view_and_the_service_has_a_command():
    window_actions = {key for group in (LIFECYCLE, OTHER) for key, _t, _s in group}
    missing = (window_actions | set(ACTIONS)) - set(WINDOW)
    assert not missing, f"window actions without a command: {sorted(missing)}"


@pytest.mark.parametrize("feature", sorted(WINDOW))
def test_each_window_action_is_a_command_line_that_parses(feature):
    args = _parses(WINDOW[feature])
    assert args.handler.__name__ != "cmd_desktop", feature


def test_edit_offers_every_editable_detail_of_the_service():
    assert EDITABLE_DETAILS == SERVICE_DETAILS
    options = {a.dest for a in COMMANDS["edit"]._actions}
    assert set(SERVICE_DETAILS) | {"category", "subcategory", "json"} <= options


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_takes_json(command):
    assert any("--json" in a.option_strings for a in COMMANDS[command]._actions), command


# a run of each command with --json on a scratch desk (team commands: below)
JSON_RUNS = {
    "status": "status",
    "screenshot": None,  # renders the window: tests/ui/test_window_look.py runs it
    "selftest": None,  # starts the application: tests/packaging runs it
    "log": WINDOW["new_ticket"],
    "show": "show {n}",
    "edit": WINDOW["edit_details"],
    "profile": "profile",
    "list": "list",
    "assign": WINDOW["assign"],
    "start": WINDOW["start_work"],
    "escalate": WINDOW["escalate"],
    "hold": WINDOW["hold"],
    "resume": WINDOW["resume"],
    "note": WINDOW["worklog"],
    "attach": "attach {n} note.txt",
    "attachments": "attachments {n}",
    "attachment get": None,  # needs an attachment's id: tests/cli/test_attachment_commands.py
    "resolve": WINDOW["resolve"],
    "confirm": WINDOW["confirm"],
    "satisfaction": WINDOW["record_satisfaction"],
    "reject": WINDOW["reject"],
    # the ticket was declared a major incident: it closes on an incident manager's reason
    "close": WINDOW["close"] + " --no-problem-reason 'one-off power cut'",
    "reopen": WINDOW["reopen"],
    "cancel": "cancel INC-000003 --reason mislogged",
    "link": WINDOW["set_rfc"],
    "checklist": WINDOW["tick_checklist"],
    "categorise": WINDOW["categorise"],
    "reprioritise": WINDOW["reprioritise"],
    "convert": WINDOW["convert"],
    "major declare": WINDOW["declare_major"],
    "major team": "major team {n} --role alice=communications --stakeholder cio@example.com",
    "major bridge": "major bridge {n} --bridge-room 'Ops room'",
    "major log": "major log {n} 'Restarted the print server' --kind action",
    "major attach": "major attach {n} INC-000002",
    "major detach": "major detach INC-000002",
    "major update": "major update {n} --status Investigating --impact 'No printing' "
                    "--actions 'Restarting' --workaround 'Use floor 2' --next-update +30m",
    "major show": "major show {n}",
    "major list": "major list",
    "major stand-down": "major stand-down {n} --reason 'one printer only'",
    "housekeeping": "housekeeping",
    "notifications": "notifications",
    "notifications read": "notifications read --all",
    "watch": "watch --once",
    "import": WINDOW["import_tickets"],  # every record is already here: all skipped
    "export": "export --format json --out tickets.json",
    "demo": "demo --tickets 3",
    "report": "report",
    "search": "search printer --kind all",
    "suggest": "suggest {n}",
    "solved": "solved INC-000002 --ticket {n}",  # after {n} was resolved with notes
    "group add": WINDOW["administration_groups"],
    "group list": "group list",
    "technician add": "technician add kim --name Kim --role support",
    "technician update": WINDOW["administration_technicians"],
    "technician list": "technician list",
    "policy show": "policy show lifecycle",
    "policy set": "policy set --file policy.toml",
    "remote set": "remote set --include-demo postgresql://kim@db.example.com/team_desk",
    "remote test": "remote test",
    "remote unset": "remote unset",
    "sync": "sync status",
    "backup": "backup desk-copy.sqlite3",
    "restore": "restore desk-copy.sqlite3",
    "server init": "TEAM",
    "server add-user": "TEAM",
    "kb new": "kb new --title 'VPN drops' --solution 'Restart the client'",
    "kb edit": "kb edit {a} --cause 'Old profile'",
    "kb show": "kb show {a}",
    "kb list": "kb list",
    "kb publish": "kb publish {a}",
    "kb retire": "kb retire {a}",
    "kb revise": "kb revise {a}",
    "problems": "problems --known-errors",
    "problem": "problem PRB-000001 --workaround 'Use the web VPN' --known-error",
    "catalogue add": "catalogue add service Email --criticality high",
    "catalogue edit": "catalogue edit service Email --major-priorities P1,P2",
    "catalogue list": "catalogue list services",
    "catalogue show": "catalogue show Email",
    "catalogue export": "catalogue export services --out services.csv",
    "catalogue import": "catalogue import cis cis.csv",
    "catalogue remove": "catalogue remove service Email",
    # need mail files or an IMAP server: tests/cli/test_mail_in_commands.py runs them
    "mail import": None,
    "mail imap set": None,
    "mail imap show": None,
    "mail imap test": None,
    "mail poll": None,
    "mail smtp set": WINDOW["administration_mail"],
    "mail smtp show": "mail smtp show",
    "mail smtp test": "mail smtp test",
    "mail desk": "mail desk on",
    "mail send": "mail send",
    "mail queue": "mail queue --all",
    "review show": "review show {n}",
    "review edit": ("review edit {n} --detection 'Alarm' --communication 'Mail' --team 'Two' "
                    "--resources 'Vendor' --process 'On time' --reporting 'Sent'"),
    "review complete": "review complete {n}",
    "review export": "review export {n} --format md --out review.md",
    "review action add": "review action add {n} --text 'Add a check' --owner alice "
                         "--due 2999-01-01",
    # need an action's reference: tests/cli/test_review_commands.py runs them
    "review action edit": None,
    "review action done": None,
}
# the order a desk's life allows them in (a ticket is resolved before it is confirmed...)
ORDER = ["status", "log", "show", "edit", "profile", "list", "assign", "start", "note",
         "attach", "attachments",
         "hold", "resume", "escalate", "checklist", "categorise", "reprioritise", "major declare",
         "major team", "major bridge", "major log", "major attach", "major detach",
         "major update", "major show", "major list",
         "review show", "review edit", "review action add", "review complete", "review export",
         "major stand-down",
         "link", "resolve", "reject", "resolve", "confirm", "satisfaction", "solved", "close",
         "reopen", "cancel",
         "housekeeping", "watch", "notifications", "notifications read", "export", "import", "demo",
         "report", "search", "suggest", "group add", "group list",
         "technician add", "technician update", "technician list", "policy show",
         "policy set", "remote set", "remote test", "remote unset", "sync", "backup",
         "restore", "convert", "kb new", "kb edit", "kb show", "kb list", "kb publish",
         "kb retire", "kb revise", "problem", "problems",
         "catalogue add", "catalogue edit", "catalogue list",
         "catalogue show", "catalogue export", "catalogue import", "catalogue remove",
         "mail smtp set", "mail smtp show", "mail smtp test", "mail desk", "mail send",
         "mail queue"]


def test_every_command_has_a_json_run():
    assert set(JSON_RUNS) == set(COMMANDS)
    local = {name for name, line in JSON_RUNS.items() if line not in (None, "TEAM")}
    assert set(ORDER) == local


def test_json_of_every_local_command_is_json(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policy.toml").write_text(
        "[lifecycle]\nreopen_window_days = 4\nauto_close_grace_days = 3\n", encoding="utf-8")
    (tmp_path / "note.txt").write_text("a file to attach", encoding="utf-8")
    (tmp_path / "cis.csv").write_text("name,service\nMAIL-01,Email\n", encoding="utf-8")
    code, out, err = run(*_split(WINDOW["new_ticket"]))
    assert code == 0, err
    number = out.strip()
    for _other in range(2):  # INC-000002 (links, convert), INC-000003 (cancel)
        run(*_split(WINDOW["new_ticket"]))
    run(*_split(WINDOW["new_ticket"]), "--type", "problem")  # PRB-000001 (problem)
    article = None  # the number "kb new" gives
    for name in ORDER:
        line = JSON_RUNS[name]
        ticket = "INC-000002" if name == "convert" else number  # the other is closed
        code, out, err = run(*_split(line.format(n=ticket, a=article)), "--json")
        if name == "kb new":
            article = json.loads(out)["number"]
        if name == "remote test":  # no server: says so, as JSON, and exits 1
            assert code == 1 and json.loads(out)["reachable"] is False, err
            continue
        if name == "mail smtp test":  # nothing listens there: says so, as JSON, exits 1
            assert code == 1 and json.loads(out)["ok"] is False, err
            continue
        assert code == 0, (name, err)
        json.loads(out)


def test_export_json_without_a_file_is_refused(run):
    code, out, err = run("export", "--format", "csv", "--json")
    assert code == 2 and out == ""
    assert "refused: json:" in err


def test_edit_saves_every_detail_in_one_step_with_history(run):
    number = run(*_split(WINDOW["new_ticket"]))[1].strip()
    code, out, err = run(*_split(WINDOW["edit_details"].format(n=number)),
                         "--category", "Network", "--subcategory", "VPN")
    assert code == 0, err
    assert out.strip() == (f"{number}: saved summary, description, service, ci, reporter, "
                           "contact, category")
    shown = json.loads(run("show", number, "--json")[1])
    assert (shown["summary"], shown["contact"], shown["reporter"], shown["service"],
            shown["ci"], shown["category"], shown["subcategory"]) == (
        "VPN drops", "bob@example.com", "Bob", "VPN", "vpn-gw-1", "Network", "VPN")
    changed = {row["field"] for row in shown["history"]}
    assert {"summary", "contact", "reporter", "service", "ci", "category"} <= changed


def test_edit_refusals_change_nothing(run):
    number = run(*_split(WINDOW["new_ticket"]))[1].strip()
    before = run("show", number, "--json")[1]
    for args, field in ((["edit", number], "details"),
                        (["edit", number, "--subcategory", "VPN"], "subcategory"),
                        (["edit", number, "--summary", "ok", "--reporter", ""], "reporter"),
                        (["edit", number, "--summary", "x" * 201], "summary"),
                        (["edit", number, "--summary", "ok", "--category", "Nope"],
                         "category")):
        code, _, err = run(*args)
        assert code == 2 and f"refused: {field}:" in err, (args, err)
        assert "Traceback" not in err
    assert run("show", number, "--json")[1] == before


def test_profile_shows_and_sets_name_email_and_group(run):
    code, out, err = run("profile")
    assert code == 0 and out.startswith("alice: "), err
    code, out, err = run(*_split(WINDOW["my_profile"]))
    assert code == 0, err
    assert out.splitlines() == ["alice: Alice Doe <alice@example.com>",
                                "  role administrator, group Service Desk",
                                "  away until -, calendar -, skills -",
                                "  notifications off: none; quiet hours none"]
    me = json.loads(run("profile", "--email", "", "--no-group", "--json")[1])
    assert (me["name"], me["email"], me["group"]) == ("Alice Doe", "", None)
    code, _, err = run("profile", "--email", "not an address")
    assert code == 2 and "refused: email:" in err
    code, _, err = run("profile", "--role", "support")  # the desk's only administrator
    assert code == 2 and "refused: role:" in err
    assert json.loads(run("profile", "--json")[1])["role"] == "administrator"


def test_server_commands_print_json(run, postgres_url, memory_keyring):
    ensure_login(postgres_url, OWNER, "LOGIN CREATEROLE")
    with empty_database(postgres_url, OWNER) as team:
        url = team.remote_url(OWNER)
        code, out, err = run("server", "init", "--url", url, "--json")
        assert code == 0, err
        created = json.loads(out)
        assert created["schema_version_before"] == 0 and created["schema_version"] > 0
        code, out, err = run("server", "add-user", f"kim_{team.name[-6:]}", "--url", url,
                             "--no-password", "--json")
        assert code == 0, err
        assert json.loads(out)["created"] is True
        with team.owner() as conn:
            conn.execute(f'DROP ROLE IF EXISTS "kim_{team.name[-6:]}"')
