"""The window's start reads its global options without the command tree, and reads
them exactly as the full parser does; anything else goes to the full parser."""

import pytest

from desk_app.cli.parser import build_parser
from desk_app.cli.window_arguments import window_arguments

FIELDS = ("data_dir", "as_login", "verbose", "exit_after_first_paint", "json")


@pytest.mark.parametrize("arguments", [
    [], ["--data-dir", "/tmp/d"], ["--data-dir=/tmp/d", "--as", "alice", "-v"],
    ["--exit-after-first-paint", "--as=bob"], ["-v", "--data-dir", "-"]])
def test_global_options_only_are_read_as_the_full_parser_reads_them(arguments):
    fast, full = window_arguments(arguments), build_parser().parse_args(arguments)
    assert fast is not None
    assert {f: getattr(fast, f) for f in FIELDS} == {f: getattr(full, f) for f in FIELDS}
    assert fast.handler.__name__ == full.handler.__name__ == "cmd_desktop"


@pytest.mark.parametrize("arguments", [
    ["status"], ["--data-dir", "/tmp/d", "list"], ["--help"], ["-h"], ["--version"],
    ["--data"], ["--data-dir"], ["--no-such-option"], ["--", "status"], ["-vh"]])
def test_anything_else_goes_to_the_full_parser(arguments):
    assert window_arguments(arguments) is None


def test_the_window_start_does_not_import_the_command_tree():
    import subprocess
    import sys

    code = ("import sys; from desk_app.cli.window_arguments import window_arguments; "
            "window_arguments(['--as', 'x']); print('desk_app.cli.parser' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
