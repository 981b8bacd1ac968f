"""Saving administration as one activity: everything staged is applied, or nothing."""

import copy

import pytest

from desk_app.core.admin_changes import (
    AdministrationChanges,
    NewGroup,
    NewTechnician,
    StagedChangeRefused,
    TechnicianChange,
)
from desk_app.services.admin import (
    add_technician,
    preview_administration,
    save_administration,
)
from desk_app.services.directory import list_groups, list_technicians
from desk_app.storage.models import Outbox
from desk_app.storage.policy_store import read_sections


def _groups(session) -> list[str]:
    return [g["name"] for g in list_groups(session)]


def _logins(session) -> list[str]:
    return [p["login"] for p in list_technicians(session)]


def _staged(session, **policy_edits) -> AdministrationChanges:
    """A new group, a technician in it, an escalation row naming it, plus ``policy``."""
    sections = copy.deepcopy(read_sections())
    escalation = sections["escalation"]
    escalation["functional"]["Network"]["L2"] = "Field Service"
    policy = {"escalation": escalation} | policy_edits
    return AdministrationChanges(policy, (NewGroup("Field Service", "L2"),),
                                 (NewTechnician("sam", "Sam Field", "support",
                                                "Field Service"),))


def test_everything_staged_is_saved_in_one_activity(session):
    outbox_before = Outbox.select().count()
    summary = save_administration(session, _staged(session))
    assert summary == [
        "Functional escalation Network L2: Network Support -> Field Service",
        "New group Field Service (L2)",
        "New technician Sam Field (sam, Support, Field Service)",
    ]
    assert "Field Service" in _groups(session) and "sam" in _logins(session)
    assert read_sections()["escalation"]["functional"]["Network"]["L2"] == "Field Service"
    assert Outbox.select().count() > outbox_before  # synced like every change


def test_a_preview_says_the_same_and_writes_nothing(session):
    outbox_before = Outbox.select().count()
    staged = _staged(session)
    assert preview_administration(session, staged) == [
        "Functional escalation Network L2: Network Support -> Field Service",
        "New group Field Service (L2)",
        "New technician Sam Field (sam, Support, Field Service)",
    ]
    assert "Field Service" not in _groups(session) and "sam" not in _logins(session)
    assert read_sections()["escalation"]["functional"]["Network"]["L2"] == "Network Support"
    assert Outbox.select().count() == outbox_before


@pytest.mark.parametrize(("staged", "part", "field"), [
    # the policy is applied last: groups and technicians before it are rolled back
    (lambda s: _staged(s, lifecycle={"reopen_window_days": -1}), "policy",
     "policy lifecycle.reopen_window_days"),
    # a technician in a group nobody creates
    (lambda s: AdministrationChanges(new_groups=(NewGroup("Field Service", "L2"),),
                                     new_technicians=(NewTechnician(
                                         "sam", "Sam", "support", "Nowhere"),)),
     "technician", "group"),
    # an administrator may not take the role from themselves
    (lambda s: AdministrationChanges(new_groups=(NewGroup("Field Service", "L2"),),
                                     technician_changes=(TechnicianChange(
                                         "alice", role="support"),)),
     "change", "role"),
])
def test_one_refused_part_saves_none_of_it_and_names_the_part(session, staged, part, field):
    before = copy.deepcopy(read_sections())
    with pytest.raises(StagedChangeRefused) as refused:
        save_administration(session, staged(session))
    assert (refused.value.part, refused.value.field) == (part, field)
    assert "Field Service" not in _groups(session) and "sam" not in _logins(session)
    assert read_sections() == before


def test_a_new_group_that_exists_is_refused_naming_it(session):
    with pytest.raises(StagedChangeRefused) as refused:
        save_administration(session, AdministrationChanges(
            new_groups=(NewGroup("Service Desk", "L1"),)))
    assert refused.value.key == "Service Desk"
    assert "(new group Service Desk)" in str(refused.value)


def test_only_administrators_save(session):
    from desk_app.core.errors import PermissionDenied
    from desk_app.services.lookup import technician_by_login
    from desk_app.services.session import Session

    add_technician(session, "bob", "Bob", "support", None)
    bob = Session(technician_by_login("bob"), session.now_fn)
    with pytest.raises(PermissionDenied):
        save_administration(bob, AdministrationChanges(new_groups=(NewGroup("X", "L1"),)))
    assert "X" not in _groups(session)
