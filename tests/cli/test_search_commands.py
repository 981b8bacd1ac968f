"""desk-app suggest: a search ticks "Searched known errors", even when it finds nothing;
desk-app search takes a text that starts with a dash."""

import json

import pytest

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


def test_a_search_text_starting_with_a_dash_is_the_text(run, capsys):
    vpn = [*LOG[:1], "--summary", "-vpn client drops every hour", *LOG[3:]]
    code, out, err = run(*vpn)
    assert code == 0, err
    number = out.strip()
    for args in (["-vpn"], ["-vpn", "--kind", "ticket"], ["--kind", "ticket", "-vpn"],
                 ["--", "-vpn"], ["-vpn", "--lim", "5"], ["--limit=5", "-vpn"]):
        code, out, err = run("search", "--json", *args)
        assert code == 0, (args, err)
        assert [hit["label"] for hit in json.loads(out)] == [number], args
    code, out, err = run("search", "--vpn", "--json")  # not an option of search: the text
    assert code == 0 and [hit["label"] for hit in json.loads(out)] == [number], err
    for option in ("--help", "-h"):
        with pytest.raises(SystemExit) as exited:
            run("search", option)
        assert exited.value.code == 0
        assert "usage: desk-app search" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exited:
        run("search", "-vpn", "--kind")
    assert exited.value.code == 2 and "kind" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "words"), [
    (["vpn", "gateway"], ['left over: gateway', '"vpn gateway"']),
    (["--lmit", "3", "vpn"], ["left over: 3 vpn", "'--lmit' is not an option here",
                              "--limit"]),
    (["-vpn", "--bogus"], ["left over: --bogus", "'--bogus' is not an option here"]),
])
def test_words_after_the_one_text_are_refused_naming_the_text_and_the_left_over(
        run, capsys, args, words):
    with pytest.raises(SystemExit) as exited:
        run("search", *args)
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith("desk-app: refused: text: one text only"), err
    assert all(word in err for word in words), err
    assert "'desk-app search --help'" in err
