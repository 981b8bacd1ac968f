"""desk-app suggest: a search ticks "Searched known errors", even when it finds nothing."""

import json

from tests.cli.test_commands import LOG


def test_suggest_that_finds_nothing_still_ticks_the_search(run):
    code, out, err = run(*LOG, "--json")
    assert code == 0, err
    number = json.loads(out)["number"]
    code, out, err = run("suggest", number, "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["suggestions"] == [] and answer["ticked_searched_known_errors"] is True
    code, out, _ = run("suggest", number, "--json")  # once only
    assert json.loads(out)["ticked_searched_known_errors"] is False
