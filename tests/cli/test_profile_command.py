"""desk-app profile through the real command line."""

import json


def test_an_empty_group_is_refused_and_the_group_kept(run):
    code, out, _ = run("profile", "--group", "Service Desk", "--json")
    assert code == 0 and json.loads(out)["group"] == "Service Desk"
    code, _, err = run("profile", "--group", "", "--json")
    assert code == 2 and "group:" in err and "empty" in err, err
    code, out, _ = run("profile", "--json")
    assert json.loads(out)["group"] == "Service Desk"
