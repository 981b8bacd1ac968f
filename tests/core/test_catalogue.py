"""The catalogue's rules: names as keys, SLA targets written as text and read back, a
service's own targets replacing only the priorities and clocks it names, and its
major-incident criteria."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.catalogue import (
    ServiceTerms,
    catalogue_id,
    checked_ci,
    checked_service,
    parse_major_priorities,
    parse_sla_targets,
    service_major_reason,
    service_sla,
    target_text,
)
from desk_app.core.enums import PRIORITIES
from desk_app.core.errors import InvalidValue
from desk_app.core.policy import Policy
from desk_app.paths import resources_dir
from desk_app.storage.policy_store import load_policy_file

DURATIONS = st.sampled_from(["15m", "30m", "1h", "2.5h", "4h", "1bd", "3bd"])
TARGETS = st.dictionaries(
    st.sampled_from(PRIORITIES),
    st.dictionaries(st.sampled_from(["response", "resolution"]), DURATIONS, min_size=1),
    max_size=4)


@pytest.fixture(scope="module")
def policy() -> Policy:
    sections = load_policy_file(resources_dir() / "policy" / "default.toml", "Europe/London")
    return Policy.from_sections(sections)


@given(st.text(min_size=1, max_size=30).filter(str.strip))
def test_a_name_keys_the_same_row_whatever_its_case_and_spacing(name):
    assert catalogue_id("ci", name) == catalogue_id("ci", f"  {name.upper()} ".lower())
    assert catalogue_id("ci", name) != catalogue_id("service", name)


@given(TARGETS)
def test_targets_written_as_text_read_back_the_same(policy, targets):
    stored = parse_sla_targets(targets, policy.calendars, None)
    again = parse_sla_targets(target_text(stored), policy.calendars, None)
    assert again == stored


@given(TARGETS)
def test_a_service_replaces_only_the_targets_it_names(policy, targets):
    terms = ServiceTerms("Email", sla_targets=targets)
    sla = service_sla(policy.sla, terms, policy.calendars)
    start = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    for priority in PRIORITIES:
        own = targets.get(priority, {})
        for clock in ("response", "resolution"):
            mine, base = sla.target(priority, clock), policy.sla.target(priority, clock)
            assert (mine.text == own[clock]) if clock in own else mine == base
        if not own:
            assert sla.targets[priority] == policy.sla.targets[priority]
    assert sla.warning_percent == policy.sla.warning_percent
    assert sla.response_due("P1", start) >= start


def test_a_service_calendar_counts_its_targets(policy):
    terms = ServiceTerms("Payroll", calendar="24x7", sla_targets={"P3": {"resolution": "4h"}})
    sla = service_sla(policy.sla, terms, policy.calendars)
    friday_evening = datetime(2026, 11, 27, 20, 0, tzinfo=ZoneInfo("Europe/London"))
    assert sla.resolution_due("P3", friday_evening) - friday_evening == timedelta(hours=4)


def test_major_priorities_and_reasons():
    assert parse_major_priorities("p2, P1;") == "P1,P2"
    assert parse_major_priorities("") == ""
    with pytest.raises(InvalidValue, match="P5"):
        parse_major_priorities("P5")
    terms = ServiceTerms("Email", major_priorities=frozenset({"P1", "P2"}))
    assert "Email" in service_major_reason(terms, "P2")
    assert service_major_reason(terms, "P3") is None
    assert service_major_reason(None, "P1") is None


@pytest.mark.parametrize("text, field", [
    ("P1=10m", "sla_targets"), ("P9=1h/2h", "sla_targets"), ("P1=1x/2h", "sla_targets.P1"),
    ("{not json", "sla_targets"), ("[1]", "sla_targets")])
def test_bad_target_text_is_refused_naming_the_field(policy, text, field):
    with pytest.raises(InvalidValue) as refused:
        parse_sla_targets(text, policy.calendars, None)
    assert refused.value.field.startswith(field)


def test_checked_rows_use_the_known_spelling_and_refuse_unknown_fields(policy):
    groups = {"service desk": "Service Desk"}
    row = checked_service({"name": " E-mail  service ", "owner_group": "SERVICE desk"},
                          policy.calendars, groups)
    assert (row["name"], row["owner_group"], row["criticality"]) == \
        ("E-mail service", "Service Desk", "medium")
    assert checked_ci({"name": "PC-1", "service": "e-mail SERVICE"},
                      {"e-mail service": "E-mail service"})["service"] == "E-mail service"
    with pytest.raises(InvalidValue, match="not a configuration item field"):
        checked_ci({"name": "PC-1", "colour": "red"}, {})
