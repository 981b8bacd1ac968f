"""The README tells the truth: its examples are run here, each code block on a scratch
desk of its own, so an example that drifts from the program fails.

- A block with ``$ desk-app ...`` lines is a transcript: each command runs, and the
  output shown under it is what it must print (times are compared as times, not to the
  second); a command shown without output must succeed.
- A block of ``desk-app ...`` lines runs each line (``# comments`` are comments, ``~``
  is a scratch home folder); every line must succeed.
- Blocks that need a team database, a built bundle or a display are listed in
  ``SKIPPED`` with the reason and the test that follows them instead; any other block
  that mentions desk-app and is neither run nor skipped fails the test.
- Commands and options named in the text (`` `desk-app policy show` ``, `` `--skip-bad` ``)
  must exist in the parser (placeholders such as DIR or SECTION get a sample value);
  the list of commands must be the parser's; the example refusals must be what the
  program prints.
"""

import json
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from desk_app.cli.parser import build_parser
from desk_app.ui import display_libraries
from tests.cli.test_command_parity import COMMANDS, WINDOW

ROOT = Path(__file__).parents[2]
README = ROOT / "README.md"
DATA = ROOT / "tests" / "data" / "readme"  # the files the README's examples name
MENTIONS = re.compile(r"(?<![\w-])desk-app(?![\w-])")


@dataclass(frozen=True)
class Block:
    """An indented code block of the README, under its heading."""

    section: str
    line: int
    lines: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.section}: line {self.line}"


def _blocks() -> list[Block]:
    blocks: list[Block] = []
    section, current, start = "", [], 0
    lines = README.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate([*lines, "end"], 1):
        if line.startswith("    ") and line.strip():
            start = start or number
            current.append(line[4:])
            continue
        if not line.strip() and current:
            current.append("")
            continue
        if current:
            while not current[-1]:
                current.pop()
            blocks.append(Block(section, start, tuple(current)))
            current, start = [], 0
        if line.startswith("#"):
            section = line.lstrip("#").strip()
    return blocks


# (section, how the block begins) -> why it is not run here, and what runs it instead
SKIPPED = {
    ("Set up", "python3 -m venv .venv && .venv/bin/pip install . &&"):
        "installs desk-app and opens the window (a display); installing is what the "
        "test run itself did, the window is tests/ui's",
    ("Team database", ""):
        "needs a team database: tests/cli/test_team_setup_readme.py follows these "
        "blocks as written against a real (embedded) PostgreSQL",
    ("Leaving a team, moving to another", "desk-app remote unset"):
        "needs two team databases: tests/cli/test_leaving_and_moving.py leaves one "
        "and joins another against a real (embedded) PostgreSQL",
    ("Incoming mail", "desk-app mail import ~/Downloads/printer.eml"):
        "names the reader's own mail files and IMAP server: tests/cli/test_mail_commands.py "
        "imports tests/data/mail and sets, tests and polls a real (pymap) IMAP server",
    ("Importing from ServiceNow", "desk-app import incidents.csv"):
        "names the reader's own export files (incidents.csv, .xlsx, .json); "
        "tests/cli/test_import_formats.py imports each layout from tests/data with "
        "these options",
    ("Importing from GLPI, osTicket, Zammad and Jira Service Management",
     "desk-app import glpi_tickets.csv"):
        "names the reader's own export files; tests/cli/test_tool_imports.py imports "
        "tests/data/glpi_tickets.csv and jira_issues.csv with these options",
    ("Major incidents", "desk-app major declare INC-000123"):
        "a major incident's whole procedure on numbers of the reader's desk; "
        "tests/cli/test_major_commands.py runs each of these commands",
    ("Attachments", "desk-app attach INC-000123"):
        "names the reader's own files and an attachment's id; "
        "tests/cli/test_attachment_commands.py runs each of these commands",
    ("Building the executable", "dist/desk-app/desk-app selftest"):
        "needs a built bundle; the same command from source is run by "
        "tests/cli/test_desktop_commands.py",
    ("The watcher: the desk watches the clocks", "  [Unit]"):
        "a systemd user unit that starts the watcher at login; the command it runs is "
        "tests/cli/test_watch_command.py's",
    ("The watcher: the desk watches the clocks", "  <?xml"):
        "a launchd agent that starts the watcher at login (macOS)",
    ("The watcher: the desk watches the clocks", "  schtasks"):
        "a Windows Task Scheduler entry that starts the watcher at login",
    ("Linux system packages", 'sed "s|^Exec=.*|Exec=$PWD/dist/desk-app/desk-app|"'):
        "installs a built bundle's .desktop file into the user's applications menu",
}


def _skip_reason(block: Block) -> str | None:
    for (section, begins), reason in SKIPPED.items():
        if block.section == section and block.lines[0].startswith(begins):
            return reason
    return None


DISPLAY_MESSAGE = "desk-app: cannot open the window on this X11 display"
BLOCKS = [b for b in _blocks() if any(MENTIONS.search(line) for line in b.lines)]
RUN = [b for b in BLOCKS if _skip_reason(b) is None]


def test_every_block_that_mentions_desk_app_is_run_or_skipped_with_a_reason():
    for block in RUN:
        first = block.lines[0]
        assert first.startswith(("$ desk-app ", "desk-app ", DISPLAY_MESSAGE)), (
            f"{block.name}: neither run nor in SKIPPED: {first!r}")
    for key in SKIPPED:  # a skip whose block left the README goes too
        assert any(_skip_reason(b) == SKIPPED[key] for b in BLOCKS), key


def _steps(block: Block) -> list[tuple[str, list[str]]]:
    """(command, the output shown under it) of a transcript."""
    steps: list[tuple[str, list[str]]] = []
    lines = list(block.lines)
    while lines:
        line = lines.pop(0)
        if not line.startswith("$ "):
            steps[-1][1].append(line)
            continue
        command = line[2:]
        while command.endswith("\\"):
            command = command[:-1] + lines.pop(0).strip()
        steps.append((command, []))
    return [(command, _trimmed(shown)) for command, shown in steps]


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return [line.rstrip() for line in lines]


_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def _as_shown(lines: list[str]) -> list[str]:
    return [_MOMENT.sub("<time>", line) for line in lines]


@pytest.fixture
def desk_run(run, tmp_path, monkeypatch, capsys):
    """``run(command line)`` on a scratch desk, in a folder holding the README's files,
    with a scratch home for ``~``."""
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    for source in DATA.iterdir():
        shutil.copy(source, work / source.name)
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(home))

    def invoke(line: str) -> tuple[int, str, str]:
        words = [str(Path(w).expanduser()) if w.startswith("~") else w
                 for w in shlex.split(line, comments=True)]
        assert words[0] == "desk-app", line
        try:
            return run(*words[1:])
        except SystemExit as stop:  # the parser refused (or --help)
            captured = capsys.readouterr()
            return int(stop.code or 0), captured.out, captured.err

    return invoke


@pytest.mark.parametrize("block", RUN, ids=lambda b: b.name)
def test_the_readme_example_runs_as_shown(block, desk_run, monkeypatch):
    if block.lines[0].startswith(DISPLAY_MESSAGE):
        _display_message(block, desk_run, monkeypatch)
        return
    if block.lines[0].startswith("$ "):
        for command, shown in _steps(block):
            code, out, err = desk_run(command)
            assert code == 0, (command, err)
            if shown:
                printed = [line.rstrip() for line in out.rstrip("\n").splitlines()]
                assert _as_shown(printed) == _as_shown(shown), command
        return
    for line in block.lines:
        if line.strip():
            code, _out, err = desk_run(line)
            assert code == 0, (line, err)


def _display_message(block: Block, desk_run, monkeypatch) -> None:
    """The window's message when X11 libraries are missing, for the libraries it names."""
    missing = re.search(r"the system libraries (.+?) of Qt", block.lines[0])[1].split(", ")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(display_libraries, "missing_libraries", lambda *_args: missing)
    monkeypatch.setattr(display_libraries, "distribution_family", lambda _text: "debian")
    code, out, err = desk_run("desk-app")
    assert code == 1 and out == ""
    assert err.splitlines() == list(block.lines)


# --- what the text names ---------------------------------------------------------------

def _text_without_blocks() -> str:
    return "\n".join(line for line in README.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("    "))


SAMPLES = {"DIR": "shots", "SECTION": "sla", "'JSON'": "'{}'", "JSON": "{}",
           "DATE": "2026-11-01", "URL": "postgresql://kim@db.example.com/team_desk",
           "COMMAND": "log", "FILE": "tickets.json", "LOGIN": "kim", "VAR": "PASSWORD",
           "NAME": "Alice Doe", "EMAIL": "alice@example.com", "GROUP": "Service Desk",
           "...": ""}


def _inline_commands() -> list[str]:
    return re.findall(r"`(desk-app(?: [^`]*)?)`", _text_without_blocks())


# commands the text names that are parsed but not run here, and why
NOT_RUN = {"": "opens the window (tests/ui)", "selftest": "tests/cli/test_desktop_commands.py",
           "screenshot": "tests/cli/test_desktop_commands.py",
           "server": "needs a team database (tests/cli/test_team_setup_readme.py)",
           "remote": "needs a team database (tests/cli/test_team_setup_readme.py)",
           "sync": "needs a team database (tests/cli/test_team_setup_readme.py)",
           "mail": "needs mail files or an IMAP server (tests/cli/test_mail_commands.py)",
           "demo --tickets 1000000": "minutes of work: the Demo data block runs demo",
           "show SD-123": "needs an imported Jira ticket: tests/cli/test_tool_imports.py "
                          "shows one by its original number"}


@pytest.mark.parametrize("line", _inline_commands())
def test_every_command_the_text_names_parses_and_runs(line, desk_run, capsys):
    """An example parses, and runs on a scratch desk holding INC-000001 unless it has
    placeholders or is in NOT_RUN; a command named without its arguments ("`desk-app
    remote set`, or Desk > Team database…") is a command of the parser."""
    written = shlex.split(line.replace("[", "").replace("]", ""))[1:]
    unknown = [w for w in written if re.fullmatch(r"'?[A-Z_]{3,}'?", w) and w not in SAMPLES]
    assert not unknown, f"placeholders without a sample value in SAMPLES: {unknown}"
    words = [SAMPLES.get(w, w) for w in written]
    words = [w for w in words if w]
    try:
        build_parser().parse_args(words)
    except SystemExit as stop:
        err = capsys.readouterr().err
        if stop.code == 0:  # --help
            return
        assert "arguments are required" in err and " ".join(words) in COMMANDS, (line, err)
        return
    if words != written or (words[:1] or [""])[0] in NOT_RUN or " ".join(words) in NOT_RUN:
        return
    assert desk_run("desk-app " + WINDOW["new_ticket"])[0] == 0
    code, _out, err = desk_run(shlex.join(["desk-app", *words]))
    assert code == 0, (line, err)


# options of other programs the README documents (checked against their own parser)
OTHER_PROGRAMS = {"--onefile": "build/build.py", "--keep": "build/build.py",
                  "--workdir": "tests/benchmarks/bench_bundle.py",
                  "--onefolder-only": "tests/benchmarks/bench_bundle.py"}


def test_every_option_the_readme_names_exists():
    text = README.read_text(encoding="utf-8")
    ours_first = {"desk-app", *(path.split()[0] for path in COMMANDS)}
    spans = [span for span in re.findall(r"`([^`]+)`", _text_without_blocks())
             if span.startswith("-") or span.split()[0] in ours_first]
    lines = [line for block in BLOCKS for line in block.lines
             if line.startswith(("desk-app ", "$ desk-app ", "        --"))]
    named = {option for part in [*spans, *lines]
             for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", part)}
    ours = {option for sub in [build_parser(), *COMMANDS.values()]
            for action in sub._actions for option in action.option_strings}
    for option in sorted(named - ours):
        program = OTHER_PROGRAMS.get(option)
        assert program, f"the README names {option}, which no desk-app command takes"
        assert f'"{option}"' in (ROOT / program).read_text(encoding="utf-8"), option
    assert "--skip-bad" in named and "--json" in named and text


def test_the_list_of_commands_is_the_parsers():
    text = _text_without_blocks()
    listing = text[text.index("list everything:"):]
    listing = re.split(r"\.\s", listing, maxsplit=1)[0]  # to the end of the sentence
    named = {span.split()[0] for span in re.findall(r"`([^`]+)`", listing)}
    assert named == {path.split()[0] for path in COMMANDS}


# each example refusal in the text -> a command that should print it
REFUSALS = {
    "desk-app: refused: impact: 'huge' is not one of: high, medium, low":
        ["log", "--summary", "Printer jam", "--impact", "huge"],
}


def test_the_example_refusals_are_what_the_program_prints(desk_run):
    examples = re.findall(r"`(desk-app: refused: [^`]+)`", _text_without_blocks())
    assert {" ".join(e.split()) for e in examples} == set(REFUSALS)
    for example, args in REFUSALS.items():
        code, _out, err = desk_run(shlex.join(["desk-app", *args]))
        assert code == 2 and " ".join(example.split()) in err.splitlines(), (example, err)


def test_a_policy_change_that_does_not_validate_names_the_key(run):
    text = _text_without_blocks()
    example = re.search(r"refused naming the key \(`([^`]+)`\)", text)[1]
    sla = json.loads(run("policy", "show", "sla")[1])["sla"]
    sla["targets"]["P2"]["resolution"] = "soon"
    code, _out, err = run("policy", "set", "sla", json.dumps(sla))
    assert code == 2 and " ".join(example.split()) in err, err
