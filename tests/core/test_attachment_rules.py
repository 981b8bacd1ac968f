import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.attachment_rules import (
    MAX_NAME_CHARS,
    MB,
    AttachmentRules,
    human_size,
    safe_file_name,
)
from desk_app.core.errors import InvalidValue


@pytest.mark.parametrize(("name", "safe"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\system.ini", "system.ini"),
    ("C:\\Users\\kim\\error report.pdf", "error report.pdf"),
    ("bad\x00name\x1f.txt", "bad name.txt"),
    ("line\nbreak.log", "line break.log"),
    ("", "attachment"),
    ("   ", "attachment"),
    ("..", "attachment"),
    (".bashrc", "bashrc"),
    ("CON.txt", "_CON.txt"),
    ("a:b*c?.png", "a_b_c_.png"),
    ("screenshot.png", "screenshot.png"),
])
def test_unsafe_names_become_plain_file_names(name, safe):
    assert safe_file_name(name) == safe


def test_a_300_character_name_is_cut_keeping_its_extension():
    safe = safe_file_name("x" * 300 + ".png")
    assert len(safe) == MAX_NAME_CHARS and safe.endswith(".png")


@given(st.text(max_size=400))
def test_any_name_is_safe(name):
    safe = safe_file_name(name)
    assert 0 < len(safe) <= MAX_NAME_CHARS
    assert "/" not in safe and "\\" not in safe and not safe.startswith(".")
    assert all(c not in safe for c in string.whitespace.replace(" ", ""))
    assert safe == safe_file_name(safe)  # safe names stay as they are


def test_the_size_limit_names_the_limit_and_where_it_is_set():
    rules = AttachmentRules.from_section({"max_size_mb": 2})
    rules.check_size(2 * MB, "ok.bin")
    with pytest.raises(InvalidValue) as refused:
        rules.check_size(2 * MB + 1, "big.bin")
    assert refused.value.field == "file"
    assert "2 MB" in refused.value.message and "attachments.max_size_mb" in refused.value.message


def test_a_policy_without_the_section_takes_the_defaults():
    assert AttachmentRules.from_section(None) == AttachmentRules(25 * MB, True)


def test_sizes_read_like_people_write_them():
    assert [human_size(n) for n in (10, 1536, 25 * MB)] == ["10 B", "1.5 KB", "25 MB"]
