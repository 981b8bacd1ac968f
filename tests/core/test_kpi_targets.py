"""KPI targets: the process's defaults, administrators' values, refusals naming the key."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.kpi_targets import KpiTargets
from desk_app.core.kpi_totals import KpiTotals, kpi_tiles, kpi_values
from desk_app.core.policy_schema import PolicyRefused, checked_section


def test_defaults_follow_the_process():
    targets = KpiTargets.from_section({})
    assert (targets.sla_compliance_percent, targets.first_contact_resolution_percent,
            targets.recurrence_percent, targets.satisfaction_percent) == (90, 70, 10, 80)
    assert targets.mttr_hours == {"P1": 4, "P2": 8, "P3": 24, "P4": 72}


def test_a_section_changes_only_what_it_names():
    section = checked_section("kpi_targets", {"satisfaction_percent": 85,
                                              "mttr_hours": {"P1": 2}})
    targets = KpiTargets.from_section(section)
    assert targets.satisfaction_percent == 85 and targets.sla_compliance_percent == 90
    assert targets.mttr_hours["P1"] == 2 and targets.mttr_hours["P4"] == 72
    assert KpiTargets.from_section({"recurrence_percent": None}).recurrence_percent is None


def test_a_priority_s_mttr_target_can_be_none_as_the_readme_says():
    section = checked_section("kpi_targets", {"mttr_hours": {"P1": None, "P2": 6}})
    assert KpiTargets.from_section(section).mttr_hours == {"P2": 6, "P3": 24, "P4": 72}


@pytest.mark.parametrize("section, field", [
    ({"sla_compliance_percent": 120}, "policy kpi_targets.sla_compliance_percent"),
    ({"recurrence_percent": "ten"}, "policy kpi_targets.recurrence_percent"),
    ({"mttr_hours": {"P9": 4}}, "policy kpi_targets.mttr_hours.P9 (key)"),
    ({"mttr_hours": {"P1": 0}}, "policy kpi_targets.mttr_hours.P1"),
    ({"fcr": 70}, "policy kpi_targets.fcr"),
])
def test_bad_targets_are_refused_naming_the_key(section, field):
    with pytest.raises(PolicyRefused) as refused:
        checked_section("kpi_targets", section)
    assert refused.value.field == field


totals = st.builds(KpiTotals, *(st.integers(0, 10_000) for _ in range(17)))


@given(st.lists(totals, min_size=1, max_size=6))
def test_totals_add_field_by_field(parts):
    whole = sum(parts, KpiTotals())
    for name, value in whole.as_dict().items():
        assert value == sum(p.as_dict()[name] for p in parts)


def test_values_and_tiles_of_known_totals():
    t = KpiTotals(logged=10, open=2, resolved=8, resolve_ms=8 * 3_600_000,
                  detect_resolve_ms=16 * 3_600_000, detected=2, detect_ms=3_600_000,
                  sla_known=10, sla_met=9, fcr=6, ever_resolved=8, reopened=1, recurred=2,
                  rated=4, satisfied=3, by_knowledge=2, minutes=90)
    assert kpi_values(t) == {
        "mttr_detection_hours": 2.0, "mttr_logging_hours": 1.0,
        "mean_time_to_detect_hours": 0.5, "sla_compliance": 90.0,
        "first_contact_resolution": 75.0, "recurrence": 25.0, "reopen_rate": 12.5,
        "satisfaction": 75.0, "resolved_by_knowledge": 25.0, "time_spent_hours": 1.5}
    tiles = {f.key: f for f in kpi_tiles(t, {"P2": t}, KpiTargets())}
    assert tiles["sla_compliance"].rating().value == "green"
    assert tiles["satisfaction"].rating().value == "amber"    # 75 >= 80 - 8
    assert tiles["recurrence"].rating().value == "red"        # 25 > 10 + 1
    assert tiles["mttr_P2"].value == 2.0 and tiles["mttr_P2"].target == 8
    assert kpi_values(KpiTotals())["sla_compliance"] is None
