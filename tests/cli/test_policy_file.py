"""`policy set --file` with whatever a file may hold: a policy that validates is taken
(exit 0), anything else is refused naming the file or the section and field (exit 2),
never a traceback, and a refusal leaves the stored policy as it was."""

import json
import math
import os
import sqlite3
import subprocess
import sys
import tomllib

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desk_app.cli import main
from desk_app.core.policy import SECTIONS
from desk_app.paths import default_policy_file


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """One desk for every example (opening a new one each time would be slow)."""
    folder = tmp_path_factory.mktemp("policy-desk")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DESK_APP_DATA_DIR", str(folder / "desk"))
        patch.setenv("DESK_APP_TECHNICIAN", "alice")
        patch.setenv("DESK_APP_LOG_DIR", str(folder / "logs"))
        patch.setenv("TZ", "Europe/London")
        assert main(["status"]) == 0
        defaults = folder / "defaults.json"
        defaults.write_text(json.dumps(stored(folder)))
        yield folder, defaults


def stored(folder) -> dict:
    con = sqlite3.connect(folder / "desk" / "desk.sqlite3")
    rows = dict(con.execute("SELECT key, value FROM policy_section"))
    con.close()
    return {key: json.loads(value) for key, value in rows.items()}


def set_from(folder, name: str, content: bytes, capsys) -> tuple[int, str]:
    path = folder / name
    path.write_bytes(content)
    code = main(["policy", "set", "--file", str(path)])
    return code, capsys.readouterr().err


def assert_exit_0_or_2_and_policy_kept_on_refusal(desk, name, content, capsys):
    folder, defaults = desk
    before = stored(folder)
    code, err = set_from(folder, name, content, capsys)
    event(f"exit {code}")
    assert code in (0, 2), err
    assert "internal error" not in err and "Traceback" not in err
    if code == 2:
        assert err.startswith("desk-app: refused: ")
        assert stored(folder) == before
    else:  # taken: the desk still works with it, then the defaults come back
        assert main(["policy", "show"]) == 0
        assert main(["policy", "set", "--file", str(defaults)]) == 0
        capsys.readouterr()


def default_sections() -> dict:
    sections = tomllib.loads(default_policy_file().read_text())
    sections["team"]["time_zone"] = "Europe/London"
    for calendar in sections["calendars"].values():
        calendar["time_zone"] = "Europe/London"
    return sections


ZONES = st.sampled_from(["Mars/Olympus", "Europe", "", "UTC ", "../etc/passwd",
                         "Europe/London\x00", "x" * 500, "localtime", "Asia/Tokyo", "UTC"])
LEAVES = (st.none() | st.booleans() | st.integers() | st.integers(min_value=10**20)
          | st.floats() | st.just(math.nan) | st.just(1e308) | st.text(max_size=30) | ZONES
          | st.sampled_from(["15m", "4h", "3bd", "366d", "0m", "-1h", "1e9bd", "P1", "L2",
                             "office", "08:00-18:00", "25:00-26:00", "2026-02-30"]))
VALUES = st.recursive(LEAVES, lambda children: st.lists(children, max_size=3)
                      | st.dictionaries(st.text(max_size=12), children, max_size=3),
                      max_leaves=8)


@st.composite
def changed_policy(draw) -> dict:
    """The default policy with one place somewhere inside one section replaced."""
    sections = default_sections()
    section = draw(st.sampled_from(SECTIONS))
    holder, key = sections, section
    while isinstance(holder[key], dict | list) and holder[key] and draw(st.booleans()):
        inner = holder[key]
        holder, key = inner, draw(st.sampled_from(
            sorted(inner) if isinstance(inner, dict) else range(len(inner))))
    holder[key] = draw(VALUES)
    return {section: sections[section]} if draw(st.booleans()) else sections


def as_json(data) -> bytes:
    return json.dumps(data, default=str).encode()


FILES = st.one_of(
    changed_policy().map(lambda d: ("policy.json", as_json(d))),
    VALUES.map(lambda v: ("policy.json", as_json(v))),  # any root: a list, null, a number
    st.binary(max_size=200).map(lambda b: ("policy.json", b)),
    st.binary(max_size=200).map(lambda b: ("policy.toml", b)),
    changed_policy().map(lambda d: ("policy.json", as_json(d).replace(b"e", b"\xe9"))),
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(FILES)
def test_any_policy_file_is_taken_or_refused_never_a_traceback(desk, capsys, file):
    name, content = file
    assert_exit_0_or_2_and_policy_kept_on_refusal(desk, name, content, capsys)


@pytest.mark.parametrize(("name", "content", "words"), [
    ("policy.json", b'{"team": {"name": "Desk", "time_zone": "Mars/Olympus"}}',
     "policy team.time_zone: unknown time zone 'Mars/Olympus'"),
    ("policy.json", b'{"lifecycle": {"reopen_window_days": NaN}}',
     "policy lifecycle.reopen_window_days: must be a finite number"),
    ("policy.json", b'{"lifecycle": [1, 2]}', "policy lifecycle: must be a table, not a list"),
    ("policy.json", b'{"lifecycle": null}', "policy lifecycle: must be a table, not null"),
    ("policy.json", b"[1, 2]", "policy sections: must be a table of sections"),
    ("policy.json", b"\xff\xfe{}", "file: policy.json is not UTF-8 text"),
    ("policy.toml", b"[team\nname = ", "file: policy.toml is not valid TOML"),
    ("policy.json", b'{"sla": 1' + b"0" * 5000 + b"}", "file: policy.json is not valid JSON"),
    ("policy.toml", b'[escalation.functional.default]\nL1 = "Nobody"\nL2 = "Network Support"\n'
     b'L3 = "Infrastructure"\n',
     "policy escalation.functional.default.L1: no support group 'Nobody'"),
])
def test_bad_files_are_refused_with_the_reason(desk, capsys, name, content, words):
    folder, _ = desk
    before = stored(folder)
    code, err = set_from(folder, name, content, capsys)
    assert code == 2 and words in err, err
    assert stored(folder) == before


def test_a_missing_file_or_a_folder_is_refused(desk, capsys):
    folder, _ = desk
    assert main(["policy", "set", "--file", str(folder / "nope.toml")]) == 2
    assert "file: " in capsys.readouterr().err
    assert main(["policy", "set", "--file", str(folder)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_a_policy_that_validates_is_taken_from_toml(desk, capsys):
    folder, defaults = desk
    code, err = set_from(folder, "team.toml",
                         b'[team]\nname = "Field desk"\ntime_zone = "Asia/Tokyo"\n', capsys)
    assert code == 0, err
    assert stored(folder)["team"] == {"name": "Field desk", "time_zone": "Asia/Tokyo"}
    assert main(["policy", "set", "--file", str(defaults)]) == 0


def test_reading_the_stored_policy_does_not_import_pydantic(desk):
    """The schemas cost ~100 ms to build; the stored policy was checked when written,
    so opening a desk and working on it stays without them."""
    folder, _ = desk
    script = ("import sys; from desk_app.cli import main; "
              "assert main(['list']) == 0 and main(['status']) == 0; "
              "print('pydantic' in sys.modules)")
    env = {**os.environ, "DESK_APP_DATA_DIR": str(folder / "desk"),
           "DESK_APP_TECHNICIAN": "alice"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
