"""``desk-app list`` by satisfaction: ``--satisfaction COND`` narrows and adds a column,
``--sort satisfaction`` lists unrated tickets last, a bad condition exits 2 naming it."""

import json

from tests.cli.test_commands import LOG


def _three_tickets(run) -> None:
    """INC-000001 rated 2, INC-000002 rated 5, INC-000003 not rated (all resolved)."""
    for number, score in (("INC-000001", "2"), ("INC-000002", "5"), ("INC-000003", None)):
        assert run(*LOG, "--impact", "low", "--urgency", "low")[0] == 0
        code, _, err = run("resolve", number, "--type", "permanent", "--code", "solved",
                           "--notes", "Fixed", "--knowledge", "not_needed")
        assert code == 0, err
        if score:
            assert run("satisfaction", number, score)[0] == 0


def _listed(run, *options: str) -> list[tuple[str, int | None]]:
    code, out, err = run("list", *options, "--json")
    assert code == 0, err
    return [(row["number"], row["satisfaction_score"]) for row in json.loads(out)]


def test_list_narrows_and_sorts_by_satisfaction(run):
    _three_tickets(run)
    assert _listed(run, "--satisfaction", "<=2") == [("INC-000001", 2)]
    assert _listed(run, "--satisfaction", "none") == [("INC-000003", None)]
    assert _listed(run, "--satisfaction", "rated", "--sort", "number") == [
        ("INC-000001", 2), ("INC-000002", 5)]
    assert _listed(run, "--sort", "satisfaction") == [
        ("INC-000001", 2), ("INC-000002", 5), ("INC-000003", None)]
    assert _listed(run, "--sort", "satisfaction", "--desc") == [
        ("INC-000002", 5), ("INC-000001", 2), ("INC-000003", None)]
    code, out, _ = run("list", "--sort", "satisfaction")
    assert code == 0
    header, *lines = out.splitlines()
    assert header.endswith("SATISFACTION")
    assert [line.split()[-1] for line in lines[:3]] == ["2/5", "5/5", "-"]
    out = run("list")[1]
    assert "SATISFACTION" not in out  # the usual table stays as it was


def test_a_bad_condition_exits_2_naming_the_option(run):
    _three_tickets(run)
    code, out, err = run("list", "--satisfaction", "<=0")
    assert code == 2 and out == ""
    assert "satisfaction" in err and "<=2" in err
