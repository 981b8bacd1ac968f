"""A technician's local policy edit, refused by the server, really goes: the team's
value comes back, or the default every desk starts from when no administrator ever
pushed that section. (Once joined, a technician's desk is no administrator and the
edit is refused on the desk itself: tests/sync/test_team_roles.py.)"""

from datetime import timedelta

from desk_app.services import admin
from desk_app.storage.models import Outbox


def test_a_refused_edit_made_before_joining_returns_to_the_default_too(clients):
    kim = clients("kim")
    kim.open()
    admin.change_policy(kim.session, {"lifecycle": {"reopen_window_days": 2,
                                                    "auto_close_grace_days": 1}})
    report = kim.sync()
    assert any("not an administrator" in w for w in report.warnings)
    assert kim.session.policy.reopen_window == timedelta(days=5)
    assert kim.session.policy.auto_close_grace == timedelta(days=3)
    assert not Outbox.select().where(Outbox.entity == "policy_section").exists()
    again = kim.sync(verify_all=True)
    assert again.warnings == [] and not again.repaired
