"""The argparse tree of ``desk-app``."""

import argparse
import importlib
import re
from typing import Any

from desk_app import __version__
from desk_app.cli.window_arguments import add_global_options
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
from desk_app.core.kpi_totals import BREAKDOWNS, REPORT_FORMATS
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
files = _Commands("attachment_commands")
backups = _Commands("backup_commands")
desktop = _Commands("desktop_commands")
mail = _Commands("mail_commands")
team = _Commands("sync_commands")
tickets = _Commands("ticket_commands")
transfer = _Commands("transfer_commands")
knowledge = _Commands("knowledge_commands")
problems = _Commands("problem_commands")
catalogue = _Commands("catalogue_commands")
mail_in = _Commands("mail_in_commands")
notices = _Commands("notify_commands")
diagnosis = _Commands("search_commands")
watching = _Commands("watch_commands")
reviews = _Commands("review_commands")
satisfaction_commands = _Commands("satisfaction_commands")
report_commands = _Commands("report_commands")
majors = _Commands("major_commands")
COMMAND_MODULES = tuple(f"desk_app.cli.{group._module}"
                        for group in (admin, backups, desktop, team, tickets, transfer,
                                      knowledge, problems, files, catalogue, mail, mail_in,
                                      notices, diagnosis, watching, reviews, report_commands,
                                      majors, satisfaction_commands))


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


    # A parser whose positional text may start with "-" (``desk-app search -vpn``):
    # anything that is not one of its own options (``--lim`` for ``--limit`` counts) is
    # the text; "-hello" is not "-h ello".
    dash_text = False

    def _parse_optional(self, arg_string: str):  # type: ignore[override]
        found = super()._parse_optional(arg_string)
        if not self.dash_text or found is None:
            return found
        own = (arg_string.split("=", 1)[0] in self._option_string_actions
               or (arg_string.startswith("--") and found[0] is not None))
        return found if own else None

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        parsed, extras = super().parse_known_args(args, namespace)
        if self.dash_text and extras:
            self._left_over(getattr(parsed, "text", None) or "", extras)
        return parsed, extras

    def _left_over(self, text: str, extras: list[str]) -> None:
        """Refuses words after a dash-text command's one text, naming ``text`` (the
        words were said to be arguments of the whole program)."""
        rest = " ".join(extras)
        unknown = [word for word in (text, *extras) if word.startswith("--")]
        if unknown:
            options = ", ".join(sorted(name for name in self._option_string_actions
                                       if name.startswith("--") and name != "--help"))
            hint = f"{unknown[0]!r} is not an option here ({options})"
        else:
            hint = f"put words that go together in quotes: \"{text} {rest}\""
        self.exit(2, f"desk-app: refused: text: one text only; left over: {rest} "
                     f"({hint})\n  ('{self.prog} --help' lists what it takes)\n")


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
    add_global_options(parser)
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
    _knowledge_commands(commands)
    _problem_commands(command, numbered)
    _team_commands(commands)
    _mail_commands(commands)
    _backup_commands(commands)
    _catalogue_commands(commands)
    _review_commands(commands)
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
    listing.add_argument("--satisfaction", metavar="COND",
                         help="the user's score: none, rated, 3, <=2, >=4, <3, >3 or 2-4 "
                              "(adds a SATISFACTION column)")
    listing.add_argument("--sort", choices=list(SORT_COLUMNS), default="resolution_due",
                         help="'satisfaction' lists unrated tickets last either way")
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
    _knowledge_closure_options(resolve)
    resolve.add_argument("--publish-knowledge", action="store_true",
                         help="write a draft knowledge article from this resolution")

    confirm = numbered("confirm", tickets.cmd_confirm, "record the user's confirmation")
    confirm.add_argument("--score", metavar="N", help="the user's satisfaction, 1-5")
    confirm.add_argument("--comment", help="the user's comment (with --score)")
    rate = numbered("satisfaction", satisfaction_commands.cmd_satisfaction,
                    "record the user's satisfaction on a resolved or closed incident")
    rate.add_argument("score", help="1 (very unhappy) to 5 (very happy)")
    rate.add_argument("--comment")
    reject = numbered("reject", tickets.cmd_reject, "record the user's rejection (reopens)")
    reject.add_argument("--reason", required=True)

    close = numbered("close", tickets.cmd_close, "close (closure checklist must be met)")
    close.add_argument("--knowledge", choices=["updated", "not_needed"])
    close.add_argument("--no-problem-needed", action="store_true",
                       help="decide that no problem record is needed")
    _knowledge_closure_options(close)

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

    _major_commands(commands)

    _attachment_commands(commands, command, numbered)

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

    _search_commands(command, numbered)

    report = command("report", report_commands.cmd_report,
                     "KPIs: MTTR, SLA, FCR, recurrence, satisfaction... against targets")
    report.add_argument("--since", help="incidents logged from this date")
    report.add_argument("--until", help="incidents logged before this date")
    report.add_argument("--format", choices=REPORT_FORMATS,
                        help="text (default), json, csv (every table), md or pdf")
    report.add_argument("--by", choices=BREAKDOWNS,
                        help="only this breakdown (all of them when not given)")
    report.add_argument("--out", metavar="FILE",
                        help="write the report to FILE (a PDF needs it)")

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
    edit.add_argument("--no-email", dest="no_email", choices=("yes", "no"),
                      help="yes: never email the reporter about this ticket")
    profile = command("profile", admin.cmd_profile,
                      "show your technician profile, or change it with the options")
    profile.add_argument("--name")
    profile.add_argument("--email", help="an empty string removes it")
    team = profile.add_mutually_exclusive_group()
    team.add_argument("--group", help="your support group")
    team.add_argument("--no-group", action="store_true", help="leave your support group")
    profile.add_argument("--role", choices=_values(Role), help="administrators only")
    _preference_options(profile)
    _notification_commands(command)


def _preference_options(profile) -> None:
    """profile's working preferences (desk_app.cli.notify_commands applies them)."""
    profile.add_argument("--away-until", help="ISO date-time you are away until (automatic "
                         "assignment skips you); an empty string clears it")
    profile.add_argument("--calendar", help="the policy calendar of your shift; empty: none")
    profile.add_argument("--skills", help="comma-separated categories you are skilled in")
    profile.add_argument("--events-off", help="comma-separated notification events you do "
                         "not want (assigned, group_unassigned, warning, breach, escalated, "
                         "auto_close_skipped, major_incident, user_reply); empty: none")
    profile.add_argument("--quiet-hours", help="no desktop pop-ups in this local span, e.g. "
                         "22:00-07:00; empty: none")


def _notification_commands(command) -> None:
    """notifications [--unread] [--json], notifications read ID...|--all."""
    listing = command("notifications", notices.cmd_notifications,
                      "your notifications, newest first; 'notifications read' marks them")
    listing.add_argument("--unread", action="store_true", help="unread ones only")
    sub = listing.add_subparsers(title="commands", metavar="COMMAND")
    read = sub.add_parser("read", help="mark notifications (or --all) read",
                          description="mark notifications (or --all) read")
    read.set_defaults(handler=notices.cmd_notifications_read)
    read.add_argument("id", nargs="*", help="notification ids (as listed)")
    read.add_argument("--all", action="store_true", help="every unread notification")
    read.add_argument("--json", action="store_true", help="print JSON")


def _attachment_commands(commands, command, numbered) -> None:
    attach = numbered("attach", files.cmd_attach, "attach files to a ticket")
    attach.add_argument("files", nargs="+", metavar="FILE")
    numbered("attachments", files.cmd_attachments, "list a ticket's attachments")
    one = commands.add_parser("attachment", help="one attachment").add_subparsers(
        dest="attachment_command", required=True, metavar="ACTION")
    get = one.add_parser("get", help="copy an attachment's content to a file or folder")
    get.set_defaults(handler=files.cmd_attachment_get)
    get.add_argument("--json", action="store_true", help="print JSON")
    get.add_argument("id", help="the attachment's id (desk-app attachments NUM lists them)")
    get.add_argument("--out", required=True, metavar="PATH",
                     help="a file, or a folder (the attachment's name is used)")
    get.add_argument("--force", action="store_true", help="overwrite an existing file")


# services.details.EDITABLE_DETAILS (not imported: building the parser loads no services)
def _search_commands(command, numbered) -> None:
    search = command("search", diagnosis.cmd_search,
                     "one ranked search over tickets (resolution notes too), published "
                     "knowledge articles and known errors, best first")
    search.dash_text = True
    search.add_argument("text", help="what to look for (typos are tolerated; it may start "
                                     "with '-': search -vpn)")
    search.add_argument("--kind", choices=("ticket", "article", "known-error", "all"),
                        default="all")
    search.add_argument("--limit", type=int, default=20, help="at most this many (1-500)")
    suggest = numbered("suggest", diagnosis.cmd_suggest,
                       "what may already solve a ticket: solved tickets, articles and known "
                       "errors (showing them ticks \"Searched known errors\")")
    suggest.add_argument("--text", help="suggest for this text instead of the ticket's "
                                        "summary and symptoms")
    solved = numbered("solved", diagnosis.cmd_solved,
                      "this solved it: link the article, known error or past ticket that "
                      "solved the ticket (counts as resolved by knowledge) and print its "
                      "text for the resolution notes")
    which = solved.add_mutually_exclusive_group(required=True)
    which.add_argument("--article", metavar="KB", help="article number or id")
    which.add_argument("--known-error", dest="known_error", metavar="PRB",
                       help="problem number of the known error")
    which.add_argument("--ticket", metavar="NUMBER", help="a solved ticket's number")


EDITABLE_DETAILS = ("summary", "description", "service", "ci", "reporter", "contact")
_DETAIL_HELP = {"ci": "configuration item", "contact": "way to reach the reporter"}


def _knowledge_closure_options(sub: argparse.ArgumentParser) -> None:
    """The closure options of resolve and close that name an article or a reason."""
    sub.add_argument("--article", metavar="KB",
                     help="the knowledge article updated (closure decision 'updated')")
    sub.add_argument("--no-problem-reason", metavar="TEXT",
                     help="an incident manager's reason why a workaround, a P1, a major "
                          "incident or a possible recurrence needs no problem record")


def _knowledge_commands(commands) -> None:
    """kb new / edit / show / list / publish / retire / revise."""
    kb = commands.add_parser("kb", help="knowledge articles (Markdown)")
    kb_commands = kb.add_subparsers(title="kb commands", metavar="COMMAND", required=True)

    def sub(name: str, handler, help_text: str, numbered: bool = True):
        parser = kb_commands.add_parser(name, help=help_text, description=help_text)
        parser.set_defaults(handler=handler)
        parser.add_argument("--json", action="store_true", help="print JSON")
        if numbered:
            parser.add_argument("number", help="article number, e.g. KB-7Q2MC-X0F4A")
        return parser

    def texts(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--title")
        for name in ("symptoms", "cause", "solution"):
            parser.add_argument(f"--{name}", help=f"{name} (Markdown; '@FILE' reads a file)")
        parser.add_argument("--category")
        parser.add_argument("--service")
        parser.add_argument("--ci-type")

    new = sub("new", knowledge.cmd_new, "write a new draft article", numbered=False)
    texts(new)
    new.add_argument("--from-ticket", metavar="NUMBER",
                     help="fill it from a resolved ticket's summary, symptoms and resolution")
    texts(sub("edit", knowledge.cmd_edit, "change an article's texts"))
    sub("show", knowledge.cmd_show, "show one article")
    listing = sub("list", knowledge.cmd_list, "list articles (newest first)", numbered=False)
    listing.add_argument("--status", choices=["draft", "published", "retired"])
    listing.add_argument("--limit", type=int, default=50)
    sub("publish", knowledge.cmd_publish, "publish a draft (technicians and managers)")
    sub("retire", knowledge.cmd_retire, "retire a published article")
    sub("revise", knowledge.cmd_revise, "take an article back to draft to revise it")


def _problem_commands(command, numbered) -> None:
    """problems [--known-errors] and problem NUMBER (root cause, workaround, status)."""
    listing = command("problems", problems.cmd_problems,
                      "list problem records; --known-errors: the known-error database")
    listing.add_argument("--known-errors", action="store_true")
    problem = numbered("problem", problems.cmd_problem,
                       "work a problem record: root cause, workaround and its status flow "
                       "(new -> investigating -> known error -> resolved -> closed)")
    problem.add_argument("--root-cause", metavar="TEXT")
    problem.add_argument("--workaround", metavar="TEXT")
    step = problem.add_mutually_exclusive_group()
    step.add_argument("--investigate", action="store_true", help="investigating")
    step.add_argument("--known-error", action="store_true",
                      help="a known error (needs its workaround)")
    step.add_argument("--fix", metavar="TEXT",
                      help="resolved by this fix; its open incidents are resolved with it")
    step.add_argument("--close", action="store_true", help="close a resolved problem")
    problem.add_argument("--leave-incidents", action="store_true",
                         help="with --fix: do not resolve the open incidents")
def _review_commands(commands) -> None:
    """review show / edit / complete / action add|edit|done / export NUMBER."""
    group = commands.add_parser(
        "review", help="the post-incident review of a major incident").add_subparsers(
        title="review commands", metavar="ACTION", required=True)

    def action(parent, name: str, handler, help_text: str):
        sub = parent.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("number", help="the major incident's number, e.g. INC-000123")
        sub.add_argument("--json", action="store_true", help="print JSON")
        sub.set_defaults(handler=handler)
        return sub

    action(group, "show", reviews.cmd_show,
           "the review: sections, factual timeline, corrective actions")
    edit = action(group, "edit", reviews.cmd_edit,
                  "write sections (TEXT or @FILE) and link the problem record")
    for key, helps in (("detection", "how and when it was found; could it be sooner"),
                       ("communication", "how stakeholders and users were kept informed"),
                       ("team", "how the team was set up and kept"),
                       ("resources", "what was used and how fast it was mobilised"),
                       ("process", "deviations from the process, SLAs missed and why"),
                       ("reporting", "what was reported and analysed")):
        edit.add_argument(f"--{key}", metavar="TEXT", help=helps)
    problem = edit.add_mutually_exclusive_group()
    problem.add_argument("--problem", metavar="PRB", help="link this problem record")
    problem.add_argument("--raise-problem", action="store_true",
                         help="open a problem record from the incident and link it")
    action(group, "complete", reviews.cmd_complete,
           "mark the review complete (incident managers; every section filled)")
    export = action(group, "export", reviews.cmd_export, "write the review as Markdown or PDF")
    export.add_argument("--format", choices=["md", "pdf"], required=True)
    export.add_argument("--out", required=True, metavar="FILE")
    actions = group.add_parser("action", help="corrective actions").add_subparsers(
        title="action commands", metavar="STEP", required=True)
    add = action(actions, "add", reviews.cmd_action_add, "add a corrective action")
    add.add_argument("--text", required=True, help="what is to be done")
    add.add_argument("--owner", required=True, metavar="LOGIN", help="the technician who owns it")
    add.add_argument("--due", required=True, metavar="YYYY-MM-DD",
                     help="due date (today or later)")
    change = action(actions, "edit", reviews.cmd_action_edit, "change an open action")
    change.add_argument("ref", help="the action's reference (shown by review show)")
    change.add_argument("--text")
    change.add_argument("--owner", metavar="LOGIN")
    change.add_argument("--due", metavar="YYYY-MM-DD")
    done = action(actions, "done", reviews.cmd_action_done, "mark an action done")
    done.add_argument("ref", help="the action's reference (shown by review show)")


def _major_commands(commands) -> None:
    """major declare / stand-down / team / bridge / log / attach / detach / update / show /
    list: the major-incident procedure."""
    group = commands.add_parser(
        "major", help="major incidents: declare, team, bridge, timeline, children, updates",
        description="The major-incident procedure.").add_subparsers(
        title="major commands", metavar="ACTION", required=True)

    def action(name: str, handler, help_text: str, numbered: bool = True):
        sub = group.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        sub.add_argument("--json", action="store_true", help="print JSON")
        if numbered:
            sub.add_argument("number", help="the major incident's number, e.g. INC-000123")
        return sub

    def bridge(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--bridge-link", metavar="URL", help="the call's link")
        sub.add_argument("--bridge-phone", metavar="NUMBER", help="the dial-in number")
        sub.add_argument("--bridge-room", metavar="ROOM", help="the meeting room")

    def roles(sub: argparse.ArgumentParser, text: str) -> None:
        sub.add_argument("--role", action="append", default=[], metavar="LOGIN=ROLE",
                         help=text)

    declare = action("declare", majors.cmd_declare,
                     "declare an incident a major incident (sends it straight to L3)")
    declare.add_argument("--manager", metavar="LOGIN", help="the major incident manager "
                         "(required)")
    roles(declare, "a team member and role (commander, communications, resolver); repeat")
    bridge(declare)
    declare.add_argument("--stakeholder", action="append", default=[], metavar="EMAIL",
                         help="an address that receives the updates; repeat")
    declare.add_argument("--reason", required=True)
    stand_down = action("stand-down", majors.cmd_stand_down, "stand a major incident down")
    stand_down.add_argument("--reason", required=True)
    team = action("team", majors.cmd_team, "change the manager, the team or the stakeholders")
    team.add_argument("--manager", metavar="LOGIN", help="hand it to another manager")
    roles(team, "put a technician on the team with a role (LOGIN= takes them off); repeat")
    team.add_argument("--stakeholder", action="append", default=None, metavar="EMAIL",
                      help="the stakeholders' addresses (replace the list); repeat")
    bridge(action("bridge", majors.cmd_bridge, "set the bridge (link, phone, room; an "
                                                "option left out is cleared)"))
    log = action("log", majors.cmd_log, "add an action, decision or note to the timeline")
    log.add_argument("text", help="what was done or decided (TEXT, @FILE; @@TEXT: "
                     "a text starting with @)")
    log.add_argument("--kind", default="action", help="action (default), decision or note")
    log.add_argument("--at", metavar="TIME", help="when it happened (ISO; default now)")
    attach = action("attach", majors.cmd_attach, "attach incidents as its children")
    attach.add_argument("children", nargs="+", metavar="CHILD", help="incident numbers")
    action("detach", majors.cmd_detach, "take a child incident (its number) off its major "
                                        "incident")
    update = action("update", majors.cmd_update, "send an update to the stakeholders and "
                    "the reporters (status, impact, actions, workaround, next update)")
    update.add_argument("--status", help="TEXT or @FILE (each part; @@TEXT: a text "
                        "starting with @)")
    update.add_argument("--impact")
    update.add_argument("--actions", help="what is being done")
    update.add_argument("--workaround")
    update.add_argument("--next-update", metavar="TIME",
                        help="when the next update comes (ISO, or +30m / +1h)")
    update.add_argument("--final", action="store_true",
                        help="the final (resolved) update: closes the rhythm")
    action("show", majors.cmd_show, "the board: clocks, team, bridge, timeline, children, "
                                    "updates and the next update due")
    action("list", majors.cmd_list, "the active major incidents", numbered=False)


def _catalogue_commands(commands) -> None:
    """catalogue list / show / add / edit / remove / import / export."""
    group = commands.add_parser(
        "catalogue", help="services and configuration items").add_subparsers(
        title="catalogue commands", metavar="ACTION", required=True)
    kinds = ["services", "cis", "service", "ci"]

    def action(name: str, handler, help_text: str, kind: bool = True):
        sub = group.add_parser(name, help=help_text, description=help_text)
        if kind:
            sub.add_argument("kind", choices=kinds, help="services or cis")
        sub.add_argument("--json", action="store_true", help="print JSON")
        sub.set_defaults(handler=handler)
        return sub

    def fields(sub, edit: bool = False) -> None:
        sub.add_argument("name")
        for option, helps in (
                ("criticality", "service: low, medium, high or critical"),
                ("owner-group", "service: the support group that owns it"),
                ("calendar", "service: the policy calendar its own targets count on"),
                ("major-priorities", "service: any of these on it is major, e.g. P1,P2"),
                ("sla-targets", "service: its own targets, e.g. 'P1=15m/2h; P2=30m/6h'"),
                ("type", "CI: server, laptop, printer..."), ("serial", "CI: serial number"),
                ("location", "CI: where it is"), ("owner", "CI: who owns or uses it"),
                ("service", "CI: the service it belongs to"), ("notes", "free notes")):
            sub.add_argument(f"--{option}", dest=option.replace("-", "_"), help=helps)
        if edit:
            sub.add_argument("--retired", choices=["yes", "no"],
                             help="take it out of use (or back)")

    sub = action("list", catalogue.cmd_catalogue_list, "list services or CIs")
    sub.add_argument("--retired", action="store_true", help="retired ones too")
    sub = action("show", catalogue.cmd_catalogue_show,
                 "a CI's or service's details and its incident history", kind=False)
    sub.add_argument("name")
    sub.add_argument("--kind", choices=kinds, help="when a CI and a service share a name")
    fields(action("add", catalogue.cmd_catalogue_add, "add a service or CI (administrators)"))
    fields(action("edit", catalogue.cmd_catalogue_edit,
                  "change a service or CI (administrators)"), edit=True)
    sub = action("remove", catalogue.cmd_catalogue_remove,
                 "remove a service or CI; one in use is retired (administrators)")
    sub.add_argument("name")
    sub = action("import", catalogue.cmd_catalogue_import,
                 "import services or CIs from CSV, all or nothing (administrators)")
    sub.add_argument("file")
    sub = action("export", catalogue.cmd_catalogue_export, "services or CIs as CSV")
    sub.add_argument("--out", help="write to this file (default: print)")


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


def _mail_commands(commands) -> argparse._SubParsersAction:
    """mail smtp set / show / test, mail desk on|off, mail send, mail queue, and the
    incoming side (:func:`_mail_in_commands`)."""
    group = commands.add_parser("mail", help="mail with reporters: the SMTP server, the "
                                             "queue, sending; importing and polling")
    mail_commands = group.add_subparsers(title="mail commands", metavar="COMMAND",
                                         required=True)

    def sub(parent, name: str, handler, help_text: str):
        parser = parent.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.set_defaults(handler=handler)
        return parser

    smtp = mail_commands.add_parser("smtp", help="the team's outgoing mail server")
    smtp_commands = smtp.add_subparsers(title="smtp commands", metavar="COMMAND",
                                        required=True)
    smtp_set = sub(smtp_commands, "set", mail.cmd_smtp_set,
                   "change the team's SMTP settings (administrators; they sync); the "
                   "password goes to this computer's keyring, never to a file")
    smtp_set.add_argument("--host")
    smtp_set.add_argument("--port", type=int)
    smtp_set.add_argument("--security", choices=["starttls", "tls", "none"],
                          help="none only for a server on this computer (127.0.0.1)")
    smtp_set.add_argument("--login", help="the SMTP login (empty: no login)")
    smtp_set.add_argument("--from", dest="from_address", metavar="ADDRESS",
                          help="the sender address")
    smtp_set.add_argument("--from-name", metavar="NAME", help="the sender's name")
    smtp_set.add_argument("--reply-to", metavar="ADDRESS",
                          help="where replies go (the mailbox the desk reads)")
    secret = smtp_set.add_mutually_exclusive_group()
    secret.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    secret.add_argument("--password-env", metavar="VAR",
                        help="take the password from this environment variable")
    sub(smtp_commands, "show", mail.cmd_smtp_show, "show the SMTP settings (never the "
        "password: only where it comes from)")
    sub(smtp_commands, "test", mail.cmd_smtp_test,
        "connect and log in to the mail server (nothing is sent)")
    desk = sub(mail_commands, "desk", mail.cmd_desk,
               "turn sending on or off for this desk only")
    desk.add_argument("state", choices=["on", "off"])
    send = sub(mail_commands, "send", mail.cmd_send, "send the mail this desk queued")
    send.add_argument("--retry", action="store_true",
                      help="also the mail waiting to be retried after a failure")
    queue = sub(mail_commands, "queue", mail.cmd_queue,
                "list queued mail with the last error (--all: sent and failed too)")
    queue.add_argument("--all", action="store_true")
    queue.add_argument("--limit", type=int, default=200, help="at most this many (200)")
    _mail_in_commands(mail_commands)
    return mail_commands


def _mail_in_commands(mail_commands) -> None:
    """mail import FILE..., mail imap set|show|test, mail poll [--once]."""
    imported = mail_commands.add_parser(
        "import", help="import .eml files: a new message opens a ticket, a reply lands on "
                       "its ticket; prints each file's outcome (exit 2 when one was refused)")
    imported.add_argument("files", nargs="+", metavar="FILE")
    imported.add_argument("--mailbox", metavar="ADDRESS",
                          help="the mailbox the files arrived at (its policy defaults apply)")
    imported.add_argument("--json", action="store_true", help="print JSON")
    imported.set_defaults(handler=mail_in.cmd_mail_import)

    imap = mail_commands.add_parser("imap", help="the IMAP mailbox this desk polls")
    imap_commands = imap.add_subparsers(title="imap commands", metavar="COMMAND",
                                        required=True)
    set_imap = imap_commands.add_parser(
        "set", help="set the mailbox (administrators); the password goes to the OS keyring")
    set_imap.add_argument("--host", required=True)
    set_imap.add_argument("--login", required=True, help="the mailbox's login")
    set_imap.add_argument("--port", type=int, help="default 993 (tls) or 143 (starttls)")
    set_imap.add_argument("--security", choices=["tls", "starttls"], default="tls")
    set_imap.add_argument("--folder", default="INBOX")
    set_imap.add_argument("--poll-seconds", type=int, default=120, metavar="SECONDS",
                          help="how often the window polls (default 120)")
    set_imap.add_argument("--processed-folder", default="", metavar="FOLDER",
                          help="move imported mail there (default: mark it read)")
    set_imap.add_argument("--ca-file", default="", metavar="PEM",
                          help="also trust this CA certificate (a self-hosted server)")
    set_imap.add_argument("--password-env", metavar="VAR",
                          help="take the password from this environment variable (default: "
                               "ask for it on a terminal; none: keep the stored one)")
    set_imap.add_argument("--json", action="store_true", help="print JSON")
    set_imap.set_defaults(handler=mail_in.cmd_imap_set)
    show = imap_commands.add_parser("show", help="the mailbox settings (never the password)")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=mail_in.cmd_imap_show)
    test = imap_commands.add_parser("test", help="log in and count the unread messages")
    test.add_argument("--json", action="store_true", help="print JSON")
    test.set_defaults(handler=mail_in.cmd_imap_test)

    poll = mail_commands.add_parser(
        "poll", help="import the mailbox's unread mail every poll interval (--once: once); "
                     "in a team only the desk holding the mailbox's lease polls")
    poll.add_argument("--once", action="store_true", help="poll once and stop")
    poll.add_argument("--json", action="store_true", help="print JSON")
    poll.set_defaults(handler=mail_in.cmd_mail_poll)


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
