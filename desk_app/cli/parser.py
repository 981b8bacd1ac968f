"""The argparse tree of ``desk-app``."""

import argparse
import importlib
import re
from typing import Any

from desk_app import __version__
from desk_app.core.enums import (
    CancelReason,
    Channel,
    HoldReason,
    Level,
    ResolutionType,
    Role,
    Status,
    SupportLevel,
    TicketType,
    WorklogKind,
)
from desk_app.core.policy import SECTIONS
from desk_app.services.transfer.formats import NAMES as IMPORT_FORMATS
from desk_app.storage.ticket_queries import SORT_COLUMNS


class _Handler:
    """A command's handler, imported only when that command runs: building the parser
    (which every start does, the window's too) loads none of the command modules."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.__name__ = module, name

    def __call__(self, args: argparse.Namespace) -> Any:
        module = importlib.import_module(f"desk_app.cli.{self.module}")
        return getattr(module, self.__name__)(args)


class _Commands:
    """``tickets.cmd_log`` names the handler ``cmd_log`` of ``desk_app.cli.ticket_commands``
    without importing it."""

    def __init__(self, module: str) -> None:
        self._module = module

    def __getattr__(self, name: str) -> _Handler:
        return _Handler(self._module, name)


admin = _Commands("admin_commands")
backups = _Commands("backup_commands")
desktop = _Commands("desktop_commands")
team = _Commands("sync_commands")
tickets = _Commands("ticket_commands")
transfer = _Commands("transfer_commands")
watching = _Commands("watch_commands")
COMMAND_MODULES = tuple(f"desk_app.cli.{group._module}"
                        for group in (admin, backups, desktop, team, tickets, transfer,
                                      watching))


def load_command_modules() -> str:
    """Import every command module (the self-test: a bundle that left one out fails here,
    not when a person first runs that command)."""
    for name in COMMAND_MODULES:
        importlib.import_module(name)
    return f"{len(COMMAND_MODULES)} command modules"


class _Parser(argparse.ArgumentParser):
    """Refuses bad arguments the way every other refusal reads: ``desk-app: refused:
    FIELD: message`` (exit 2), the choices listed as the services list them."""

    def error(self, message: str):  # type: ignore[override]
        choice = _INVALID_CHOICE.match(message)
        if choice:
            field = choice["argument"].split("/")[-1].lstrip("-").replace("-", "_").lower()
            options = ", ".join(name.strip("'") for name in choice["choices"].split(", "))
            message = f"{field}: {choice['value']} is not one of: {options}"
        else:
            message = f"arguments: {message}"
        self.exit(2, f"desk-app: refused: {message}\n  ('{self.prog} --help' lists what "
                     "it takes)\n")


_INVALID_CHOICE = re.compile(r"argument (?P<argument>\S+): invalid choice: (?P<value>.+) "
                             r"\(choose from (?P<choices>.*)\)$")


def _values(enum) -> list[str]:
    return [m.value for m in enum]


def build_parser() -> argparse.ArgumentParser:
    """Every command with its options."""
    parser = _Parser(
        prog="desk-app", description="Offline-first ITIL incident management desk.",
        epilog="Exit codes: 0 done, 2 refused input (nothing written), 1 other errors.")
    parser.add_argument("--version", action="version", version=f"desk-app {__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="folder of the local database (default: DESK_APP_DATA_DIR or "
                             "the user data folder)")
    parser.add_argument("--as", dest="as_login", metavar="TECHNICIAN",
                        help="act as this technician (default: DESK_APP_TECHNICIAN or your "
                             "login name)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    parser.add_argument("--exit-after-first-paint", action="store_true",
                        help=argparse.SUPPRESS)  # start-up benchmark of the window
    parser.set_defaults(handler=desktop.cmd_desktop, json=False)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, handler, help_text: str, json_option: bool = True):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        if json_option:
            sub.add_argument("--json", action="store_true", help="print JSON")
        return sub

    def numbered(name: str, handler, help_text: str):
        sub = command(name, handler, help_text)
        sub.add_argument("number", help="ticket number, e.g. INC-000123")
        return sub

    command("status", admin.cmd_status, "where the desk is and how many tickets are open")
    _team_commands(commands)
    _backup_commands(commands)
    shots = command("screenshot", desktop.cmd_screenshot,
                    "render the main screens offscreen to PNG files (on --data-dir, every "
                    "change is rolled back; without it, a scratch desk with demo tickets)")
    shots.add_argument("--out", required=True, metavar="DIR", help="folder for the PNG files")
    command("selftest", desktop.cmd_selftest,
            "start the application on a temporary desk (offscreen without a display), take "
            "a ticket through its life and read it back; exit 0 when every check passes")

    log = command("log", tickets.cmd_log, "log a new incident or service request")
    log.add_argument("--summary")
    log.add_argument("--description", help="symptoms, as the reporter describes them")
    log.add_argument("--reporter")
    log.add_argument("--contact", help="how to reach the reporter")
    log.add_argument("--channel", choices=_values(Channel))
    log.add_argument("--service", help="the affected service")
    log.add_argument("--ci", help="the affected configuration item")
    log.add_argument("--impact", choices=_values(Level))
    log.add_argument("--urgency", choices=_values(Level))
    log.add_argument("--category")
    log.add_argument("--subcategory")
    log.add_argument("--type", choices=_values(TicketType), default="incident")
    log.add_argument("--detected-at", help="when the issue was detected (default: now)")

    numbered("show", tickets.cmd_show, "show one ticket")
    _edit_and_profile(command, numbered)

    listing = command("list", tickets.cmd_list, "list tickets (open queue by default order)")
    listing.add_argument("--status", action="append",
                         choices=[*_values(Status), "open"], help="repeatable; 'open' = any open")
    listing.add_argument("--priority", action="append", choices=["P1", "P2", "P3", "P4",
                                                                 "p1", "p2", "p3", "p4"])
    listing.add_argument("--type", action="append", choices=_values(TicketType))
    listing.add_argument("--assignee", metavar="LOGIN")
    listing.add_argument("--group")
    listing.add_argument("--category")
    listing.add_argument("--unassigned", action="store_true")
    listing.add_argument("--major", action="store_true", help="major incidents only")
    listing.add_argument("--search", metavar="TEXT", help="full-text search")
    listing.add_argument("--sort", choices=list(SORT_COLUMNS), default="resolution_due")
    listing.add_argument("--desc", action="store_true", help="descending order")
    listing.add_argument("--limit", type=int, default=50)

    assign = numbered("assign", tickets.cmd_assign, "assign to a group and/or a technician")
    assign.add_argument("--group")
    assign.add_argument("--technician", metavar="LOGIN")

    numbered("start", tickets.cmd_start, "start work (In Progress)")

    escalate = numbered("escalate", tickets.cmd_escalate,
                        "escalate to the next support level, or with --hierarchic to "
                        "the next management level")
    escalate.add_argument("--hierarchic", action="store_true")
    escalate.add_argument("--reason", required=True)

    hold = numbered("hold", tickets.cmd_hold, "put on hold")
    hold.add_argument("--reason", required=True, choices=_values(HoldReason))
    hold.add_argument("--note")

    numbered("resume", tickets.cmd_resume, "take off hold")

    note = numbered("note", tickets.cmd_note, "add a worklog entry")
    note.add_argument("text")
    note.add_argument("--kind", choices=_values(WorklogKind), default="note")
    note.add_argument("--minutes", type=int, default=0, help="time spent")
    note.add_argument("--status", choices=(Status.IN_PROGRESS.value, Status.ON_HOLD.value),
                      help="change the status in the same step (on_hold needs --hold-reason)")
    note.add_argument("--hold-reason", choices=_values(HoldReason))

    resolve = numbered("resolve", tickets.cmd_resolve, "resolve (workaround or permanent fix)")
    resolve.add_argument("--type", required=True, choices=_values(ResolutionType))
    resolve.add_argument("--code", required=True, help="closure code")
    resolve.add_argument("--notes", required=True, help="resolution notes")
    resolve.add_argument("--may-recur", action="store_true",
                         help="the incident may come back (a problem decision is due)")
    resolve.add_argument("--knowledge", choices=["updated", "not_needed"],
                         help="closure decision, so the ticket can auto-close")
    resolve.add_argument("--no-problem-needed", action="store_true",
                         help="closure decision: no problem record is needed")

    numbered("confirm", tickets.cmd_confirm, "record the user's confirmation")
    reject = numbered("reject", tickets.cmd_reject, "record the user's rejection (reopens)")
    reject.add_argument("--reason", required=True)

    close = numbered("close", tickets.cmd_close, "close (closure checklist must be met)")
    close.add_argument("--knowledge", choices=["updated", "not_needed"])
    close.add_argument("--no-problem-needed", action="store_true",
                       help="decide that no problem record is needed")

    reopen = numbered("reopen", tickets.cmd_reopen,
                      "reopen (a new linked incident after the reopen window)")
    reopen.add_argument("--reason", required=True)

    cancel = numbered("cancel", tickets.cmd_cancel, "cancel a mis-logged or duplicate ticket")
    cancel.add_argument("--reason", required=True, choices=_values(CancelReason))
    cancel.add_argument("--duplicate-of", metavar="NUMBER")
    cancel.add_argument("--note")

    link = numbered("link", tickets.cmd_link, "link to a problem, RFC, parent or related ticket")
    link.add_argument("--problem", metavar="PRB")
    link.add_argument("--raise-problem", action="store_true", help="open a problem and link it")
    link.add_argument("--rfc", metavar="REF")
    link.add_argument("--parent", metavar="NUMBER")
    link.add_argument("--related", metavar="NUMBER")

    checklist = numbered("checklist", tickets.cmd_checklist,
                         "show checklists; --tick categorisation items")
    checklist.add_argument("--tick", nargs="+", metavar="ITEM", help="item text or number")

    categorise = numbered("categorise", tickets.cmd_categorise, "set category/subcategory")
    categorise.add_argument("--category", required=True)
    categorise.add_argument("--subcategory")

    reprioritise = numbered("reprioritise", tickets.cmd_reprioritise,
                            "change impact/urgency or override the priority")
    reprioritise.add_argument("--impact", choices=_values(Level))
    reprioritise.add_argument("--urgency", choices=_values(Level))
    reprioritise.add_argument("--priority", choices=["P1", "P2", "P3", "P4"])
    reprioritise.add_argument("--reason", required=True)

    convert = numbered("convert", tickets.cmd_convert, "incident <-> service request")
    convert.add_argument("--to", required=True, choices=["incident", "request"])

    major = numbered("major", tickets.cmd_major, "declare (or --off) a major incident")
    major.add_argument("--off", action="store_true")
    major.add_argument("--reason", required=True)

    command("housekeeping", watching.cmd_housekeeping,
            "one pass of the watcher (same as watch --once)")
    watch = command("watch", watching.cmd_watch,
                    "watch the SLA clocks: breaches, warnings, escalation, auto-close "
                    "(until Ctrl+C)")
    watch.add_argument("--once", action="store_true", help="one pass, then exit")
    watch.add_argument("--interval", type=float, default=60.0, metavar="SECONDS",
                       help="longest sleep between passes (default 60; a pass also runs "
                            "at each due moment)")

    importing = command("import", transfer.cmd_import, "import tickets")
    importing.add_argument("file")
    importing.add_argument("--format", choices=IMPORT_FORMATS,
                           help="default: detected from the extension and the content")
    importing.add_argument("--date-format", metavar="PATTERN",
                           help="how the file writes dates, e.g. 'dd/MM/yyyy HH:mm' or "
                                "'%%d/%%m/%%Y %%H:%%M' (default: detected from the data)")
    importing.add_argument("--time-zone", metavar="ZONE",
                           help="the zone of times without one, e.g. Europe/Paris "
                                "(default: the desk's, with a warning)")
    importing.add_argument("--skip-bad", action="store_true",
                           help="import the good rows and report the bad ones")

    export = command("export", transfer.cmd_export,
                     "export tickets (--json: with --out, print what was written as JSON)")
    export.add_argument("--format", required=True, choices=["json", "csv"])
    export.add_argument("--out", metavar="FILE", help="default: standard output")

    demo = command("demo", transfer.cmd_demo,
                   "write realistic demo tickets (a local desk only), or --remove them")
    amount = demo.add_mutually_exclusive_group(required=True)
    amount.add_argument("--tickets", type=int, metavar="N",
                        help="how many: a closed history and an open backlog relative to now")
    amount.add_argument("--remove", action="store_true",
                        help="remove every demo ticket (before connecting to a team)")
    demo.add_argument("--seed", type=int, default=1)

    report = command("report", transfer.cmd_report, "KPIs: MTTR, SLA, FCR, reopen rate...")
    report.add_argument("--since", help="tickets logged from this date")
    report.add_argument("--until", help="tickets logged before this date")

    group = commands.add_parser("group", help="support groups").add_subparsers(
        title="group commands", metavar="ACTION", required=True)
    sub = group.add_parser("add", help="add a support group (administrators)")
    sub.add_argument("name")
    sub.add_argument("--level", required=True, choices=_values(SupportLevel))
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=admin.cmd_group_add)
    sub = group.add_parser("list", help="list support groups")
    sub.add_argument("--json", action="store_true")
    sub.set_defaults(handler=admin.cmd_group_list)

    people = commands.add_parser("technician", help="technicians").add_subparsers(
        title="technician commands", metavar="ACTION", required=True)
    sub = people.add_parser("add", help="add a technician (administrators)")
    sub.add_argument("login")
    sub.add_argument("--name", required=True)
    sub.add_argument("--role", required=True, choices=_values(Role))
    sub.add_argument("--group")
    sub.add_argument("--email")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=admin.cmd_technician_add)
    sub = people.add_parser("update", help="change role, group or active (administrators)")
    sub.add_argument("login")
    sub.add_argument("--role", choices=_values(Role))
    sub.add_argument("--group")
    sub.add_argument("--active", choices=["yes", "no"])
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=admin.cmd_technician_update)
    sub = people.add_parser("list", help="list technicians")
    sub.add_argument("--json", action="store_true")
    sub.set_defaults(handler=admin.cmd_technician_list)

    policy = commands.add_parser("policy", help="the team's policy").add_subparsers(
        title="policy commands", metavar="ACTION", required=True)
    sub = policy.add_parser("show", help="print the policy as JSON")
    sub.add_argument("section", nargs="?", choices=SECTIONS)
    sub.add_argument("--json", action="store_true",
                     help="print JSON (the policy is always printed as JSON)")
    sub.set_defaults(handler=admin.cmd_policy_show)
    sub = policy.add_parser("set", help="replace sections (administrators)")
    sub.add_argument("section", nargs="?", choices=SECTIONS)
    sub.add_argument("value", nargs="?", help="the section as JSON")
    sub.add_argument("--file", help="a TOML or JSON file of sections")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=admin.cmd_policy_set)
    return parser


def _edit_and_profile(command, numbered) -> None:
    """edit NUMBER (the Details' "Save changes"), profile (Desk > My profile)."""
    edit = numbered("edit", tickets.cmd_edit,
                    "correct what was logged: summary, description, reporter, contact, "
                    "service, CI, category (saved together, as the window's Details do)")
    for name in EDITABLE_DETAILS:
        edit.add_argument(f"--{name}", help=f"the new {_DETAIL_HELP.get(name, name)}")
    edit.add_argument("--category", help="the new category (with --subcategory)")
    edit.add_argument("--subcategory")
    profile = command("profile", admin.cmd_profile,
                      "show your technician profile, or change it with the options")
    profile.add_argument("--name")
    profile.add_argument("--email", help="an empty string removes it")
    team = profile.add_mutually_exclusive_group()
    team.add_argument("--group", help="your support group")
    team.add_argument("--no-group", action="store_true", help="leave your support group")
    profile.add_argument("--role", choices=_values(Role), help="administrators only")


# services.details.EDITABLE_DETAILS (not imported: building the parser loads no services)
EDITABLE_DETAILS = ("summary", "description", "service", "ci", "reporter", "contact")
_DETAIL_HELP = {"ci": "configuration item", "contact": "way to reach the reporter"}


def _team_commands(commands) -> None:
    """server init / add-user, remote set / test, sync [status]."""
    server = commands.add_parser("server", help="set up the team's PostgreSQL database")
    server_commands = server.add_subparsers(title="server commands", metavar="COMMAND",
                                            required=True)
    init = server_commands.add_parser(
        "init", help="create or upgrade the shared schema and the technician/admin roles "
                     "(idempotent; needs an owner's login)")
    init.add_argument("--url", required=True, help="postgresql://owner@host/database")
    init.add_argument("--technician-role", metavar="ROLE",
                      help="the group role of technician logins (default: DATABASE_technician, "
                           "created when the owner has CREATEROLE; else an administrator "
                           "creates it first)")
    init.add_argument("--admin-role", metavar="ROLE",
                      help="the group role of team administrators (default: DATABASE_admin)")
    init.add_argument("--json", action="store_true", help="print JSON")
    init.set_defaults(handler=team.cmd_server_init)
    add_user = server_commands.add_parser("add-user", help="create a technician's login")
    add_user.add_argument("name", help="the login name")
    add_user.add_argument("--role", choices=["technician", "admin"], default="technician")
    add_user.add_argument("--url", required=True, help="postgresql://owner@host/database")
    secret = add_user.add_mutually_exclusive_group()
    secret.add_argument("--password-env", metavar="VAR",
                        help="take the new login's password from this environment variable "
                             "(default: ask for it)")
    secret.add_argument("--no-password", action="store_true",
                        help="no password (the server authenticates otherwise)")
    add_user.add_argument("--json", action="store_true", help="print JSON")
    add_user.set_defaults(handler=team.cmd_server_add_user)

    remote = commands.add_parser("remote", help="the team database this desk syncs with")
    remote_commands = remote.add_subparsers(title="remote commands", metavar="COMMAND",
                                            required=True)
    set_remote = remote_commands.add_parser(
        "set", help="set the team database: postgresql://user[:password]@host[:port]/db"
                    "[?sslmode=...]; a password goes to the OS keyring, never to a file")
    set_remote.add_argument("url")
    set_remote.add_argument("--include-demo", action="store_true",
                            help="connect even though the desk holds demo tickets: they "
                                 "are sent to the team (else: desk-app demo --remove)")
    set_remote.add_argument("--json", action="store_true", help="print JSON")
    set_remote.set_defaults(handler=team.cmd_remote_set)
    unset = remote_commands.add_parser(
        "unset", help="leave the team database: the desk keeps its tickets and works "
                      "alone (its password leaves the keyring); 'remote set' joins another")
    unset.add_argument("--json", action="store_true", help="print JSON")
    unset.set_defaults(handler=team.cmd_remote_unset)
    test = remote_commands.add_parser(
        "test", help="is the team database reachable? schema version and clock difference")
    test.add_argument("--json", action="store_true", help="print JSON")
    test.set_defaults(handler=team.cmd_remote_test)

    sync = commands.add_parser("sync", help="sync with the team database now ('sync "
                                            "status': pending changes, last sync, last error)")
    sync.add_argument("what", nargs="?", choices=["status"], help="show the sync status")
    sync.add_argument("--verify", action="store_true",
                      help="compare every synced row with the server, not just this sync's")
    sync.add_argument("--json", action="store_true", help="print JSON")
    sync.set_defaults(handler=_sync_or_status)


def _backup_commands(commands) -> None:
    """backup PATH, restore PATH."""
    backup = commands.add_parser(
        "backup", help="copy the desk to a new file (safe while the window runs)")
    backup.add_argument("path", help="the new file, or a folder for a dated file in it")
    backup.add_argument("--json", action="store_true", help="print JSON")
    backup.set_defaults(handler=backups.cmd_backup)
    restore = commands.add_parser(
        "restore", help="replace the desk by a backup (close the window first); the "
                        "desk as it was is kept aside")
    restore.add_argument("path", help="a file written by 'desk-app backup'")
    restore.add_argument("--json", action="store_true", help="print JSON")
    restore.set_defaults(handler=backups.cmd_restore)


def _sync_or_status(args: argparse.Namespace):
    if args.what == "status":
        return team.cmd_sync_status(args)
    return team.cmd_sync(args)
