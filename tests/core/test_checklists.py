from datetime import UTC, datetime, timedelta

from desk_app.core.checklists import (
    LOGGING_FIELDS,
    missing_logging_items,
    problem_record_required,
    unmet_closure_items,
)
from desk_app.core.enums import Confirmation, ResolutionType

ITEMS = ("resolution_notes", "closure_code", "resolution_type", "user_confirmation",
         "problem_decision", "knowledge")
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def facts(**kw):
    base = dict(resolution_notes="Replaced cable", resolution_code="solved",
                resolution_type=ResolutionType.PERMANENT, confirmation=Confirmation.CONFIRMED,
                priority="P3", knowledge="not_needed", now=NOW, resolved_at=NOW,
                auto_close_grace=timedelta(days=3))
    base.update(kw)
    return base


def test_logging_checklist_names_blank_fields():
    values = {name: "x" for name in LOGGING_FIELDS} | {"summary": "  ", "impact": None}
    assert missing_logging_items(values, LOGGING_FIELDS) == ["summary", "impact"]


def test_complete_closure_checklist():
    assert unmet_closure_items(facts(), ITEMS) == []


def test_every_unmet_item_is_named():
    unmet = unmet_closure_items(facts(resolution_notes="", resolution_code=None,
                                      confirmation=None, knowledge=None), ITEMS)
    assert len(unmet) == 4
    assert any("resolution notes" in u for u in unmet)
    assert any("closure code" in u for u in unmet)
    assert any("confirmed" in u for u in unmet)
    assert any("knowledge" in u for u in unmet)


def test_grace_period_replaces_confirmation():
    f = facts(confirmation=None, resolved_at=NOW - timedelta(days=3))
    assert unmet_closure_items(f, ITEMS) == []
    f = facts(confirmation=None, resolved_at=NOW - timedelta(days=2))
    assert len(unmet_closure_items(f, ITEMS)) == 1


def test_problem_decision_needed_after_workaround_recurrence_or_p1():
    assert problem_record_required(facts(resolution_type=ResolutionType.WORKAROUND))
    assert problem_record_required(facts(may_recur=True))
    assert problem_record_required(facts(priority="P1"))
    assert not problem_record_required(facts())
    assert len(unmet_closure_items(facts(priority="P1"), ITEMS)) == 1
    assert unmet_closure_items(facts(priority="P1", problem_id="x"), ITEMS) == []
    # "not needed" alone no longer closes a P1: it takes an incident manager's reason
    assert len(unmet_closure_items(facts(priority="P1", problem_decision="not_needed"),
                                   ITEMS)) == 1
    assert unmet_closure_items(facts(priority="P1", problem_decision="not_needed",
                                     problem_reason="Caused by a one-off power cut"),
                               ITEMS) == []
    assert len(unmet_closure_items(facts(may_recur=True, problem_decision="not_needed",
                                         problem_reason="  "), ITEMS)) == 1
