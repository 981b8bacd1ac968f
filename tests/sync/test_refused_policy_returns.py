"""A technician's local policy edit, refused by the server, really goes: the team's
value comes back, or the default every desk starts from when no administrator ever
pushed that section."""

from datetime import timedelta

from desk_app.services import admin
from desk_app.storage.models import Outbox


def test_a_refused_edit_of_a_section_the_team_never_changed_returns_to_the_default(
        clients):
    kim = clients("kim")  # a technician's login on the server, admin of her own desk
    kim.open()
    default = kim.session.policy.reopen_window
    assert default == timedelta(days=5)
    kim.sync()
    admin.change_policy(kim.session, {"lifecycle": {"reopen_window_days": 1,
                                                    "auto_close_grace_days": 3}})
    assert kim.session.policy.reopen_window == timedelta(days=1)
    report = kim.sync()
    assert any("not an administrator" in w for w in report.warnings)
    assert kim.session.policy.reopen_window == default  # restored, not only reported
    assert not Outbox.select().where(Outbox.entity == "policy_section").exists()
    again = kim.sync(verify_all=True)
    assert again.warnings == [] and not again.repaired


def test_a_refused_edit_made_before_joining_returns_to_the_default_too(clients):
    kim = clients("kim")
    kim.open()
    admin.change_policy(kim.session, {"lifecycle": {"reopen_window_days": 2,
                                                    "auto_close_grace_days": 1}})
    report = kim.sync()
    assert any("not an administrator" in w for w in report.warnings)
    assert kim.session.policy.reopen_window == timedelta(days=5)
    assert kim.session.policy.auto_close_grace == timedelta(days=3)
