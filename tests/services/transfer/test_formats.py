"""The registry of import formats: every registered format loads under its name, and
each fixture is detected as the format it is."""

from pathlib import Path

import pytest

from desk_app.core.errors import InvalidValue
from desk_app.services.transfer import formats

DATA = Path(__file__).parents[2] / "data"
SHARED = Path(__file__).parents[4] / "shared" / "data" / "servicenow_incident_event_log.csv"


@pytest.mark.parametrize("name", formats.NAMES)
def test_every_registered_format_loads_under_its_name(name):
    loaded = formats.load(name)
    assert loaded.name == name
    assert loaded.unit in ("line", "row", "record")
    assert loaded.title and callable(loaded.detect) and callable(loaded.read)


def test_an_unknown_format_is_refused_listing_the_known_ones():
    with pytest.raises(InvalidValue) as refused:
        formats.load("lotus-notes")
    assert refused.value.field == "format"
    assert all(name in refused.value.message for name in formats.NAMES)


def sample(path: Path, data: bytes) -> formats.Sample:
    return formats.Sample(path, data[:formats.SAMPLE_BYTES])


@pytest.mark.parametrize("file, expected", [
    ("servicenow_list.csv", "servicenow-list"),
    ("servicenow_list.xlsx", "servicenow-xlsx"),
    ("servicenow_table_api.json", "servicenow-json"),
])
def test_fixtures_are_detected_by_content(file, expected, tmp_path):
    data = (DATA / file).read_bytes()
    assert formats.detect(sample(DATA / file, data)).name == expected
    renamed = tmp_path / "export.dat"  # the content decides without the extension
    assert formats.detect(sample(renamed, data)).name == expected


@pytest.mark.parametrize("head, expected", [
    (b'{"format": "desk-app tickets", "version": 1, "tickets": []}', "json"),
    (b"[]", "json"),
    (b"number,type,status,summary\n", "csv"),
    (b"number,incident_state,opened_at\n", "servicenow"),
    (b"\xef\xbb\xbfNumber,Short description,State,Opened\n", "servicenow-list"),
])
def test_the_older_formats_are_still_detected(head, expected):
    assert formats.detect(sample(Path("file"), head)).name == expected


@pytest.mark.skipif(not SHARED.exists(), reason="shared data not beside repo")
def test_the_event_log_is_detected():
    assert formats.detect(sample(SHARED, SHARED.read_bytes())).name == "servicenow"


def test_an_unknown_binary_file_is_refused():
    with pytest.raises(InvalidValue, match=r"cannot tell the format of x\.bin"):
        formats.detect(sample(Path("x.bin"), b"\x00\x01\x02\x03" * 10))


def test_the_command_line_offers_every_registered_format():
    from desk_app.cli.parser import build_parser

    parser = build_parser()
    args = parser.parse_args(["import", "f", "--format", formats.NAMES[-1]])
    assert args.format == formats.NAMES[-1]
