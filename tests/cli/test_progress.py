import io

from desk_app.cli.progress import ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_draws_on_a_terminal_and_ends_its_line():
    out = Terminal()
    bar = ProgressBar(1000, "demo", out=out)
    bar(1000)
    bar.finish()
    text = out.getvalue()
    assert text.startswith("\rdemo [") and "1,000/1,000" in text and text.endswith("\n")
    assert "#" * 30 in text


def test_silent_when_not_a_terminal():
    out = io.StringIO()
    bar = ProgressBar(10, "demo", out=out)
    bar(5)
    bar.finish()
    assert out.getvalue() == ""
