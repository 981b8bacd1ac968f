from datetime import UTC, datetime

from desk_app.storage.policy_store import policy_version, read_sections, write_sections


def test_policy_revision_changes_even_with_an_older_timestamp(desk):
    before = policy_version()
    sections = read_sections()
    sections["lifecycle"] = {"reopen_window_days": 2, "auto_close_grace_days": 1}
    write_sections(sections, by="test", at=datetime(2000, 1, 1, tzinfo=UTC))
    assert policy_version() != before


def test_unchanged_sections_do_not_bump_the_revision(desk):
    before = policy_version()
    assert write_sections(read_sections(), by="test", at=datetime.now(UTC)) == []
    assert policy_version() == before
