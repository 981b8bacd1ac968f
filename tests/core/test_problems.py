import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.errors import InvalidValue, TransitionRefused
from desk_app.core.problems import (
    ALLOWED_TRANSITIONS,
    ProblemStatus,
    check_problem_transition,
    problem_status,
)

P = ProblemStatus


def test_the_main_flow_is_allowed_step_by_step():
    flow = [P.NEW, P.INVESTIGATING, P.KNOWN_ERROR, P.RESOLVED, P.CLOSED]
    for current, target in itertools.pairwise(flow):
        check_problem_transition(current, target, workaround="Use the web VPN", fix="Patch",
                                 root_cause="Expired certificate")


@given(st.sampled_from(list(P)), st.sampled_from(list(P)))
def test_every_refused_step_names_the_problem_flow(current, target):
    if target in ALLOWED_TRANSITIONS[current]:
        check_problem_transition(current, target, workaround="w", fix="f", root_cause="r")
        return
    with pytest.raises(TransitionRefused) as err:
        check_problem_transition(current, target, workaround="w", fix="f", root_cause="r")
    assert err.value.field == "problem_status" and "problem flow" in err.value.message


def test_closed_is_final_and_closing_needs_resolution_first():
    assert ALLOWED_TRANSITIONS[P.CLOSED] == frozenset()
    for current in (P.NEW, P.INVESTIGATING, P.KNOWN_ERROR):
        with pytest.raises(TransitionRefused):
            check_problem_transition(current, P.CLOSED)


def test_a_known_error_needs_its_workaround_and_a_resolution_its_fix():
    with pytest.raises(InvalidValue) as err:
        check_problem_transition(P.INVESTIGATING, P.KNOWN_ERROR, workaround="  ")
    assert err.value.field == "workaround" and "known-error rule" in err.value.message
    with pytest.raises(InvalidValue) as err:
        check_problem_transition(P.KNOWN_ERROR, P.RESOLVED, fix=None, root_cause="Disk")
    assert err.value.field == "fix"


@pytest.mark.parametrize("current", [P.NEW, P.INVESTIGATING, P.KNOWN_ERROR])
def test_a_problem_is_resolved_only_once_its_root_cause_is_known(current):
    with pytest.raises(InvalidValue) as err:
        check_problem_transition(current, P.RESOLVED, workaround="w", fix="Patch",
                                 root_cause=" ")
    assert err.value.field == "root_cause"


def test_a_problem_without_a_stored_status_is_new():
    assert problem_status(None) == P.NEW
    assert problem_status("known_error") == P.KNOWN_ERROR
