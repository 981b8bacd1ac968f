"""The catalogue across desks, with a real PostgreSQL: two administrators add the same
service offline (spelled differently) and change its fields; every desk ends with one
row, field by field the latest value. A technician login's catalogue changes are
refused by the team database and the team's rows come back."""

from desk_app.services import catalogue
from desk_app.storage.models import ConfigurationItem, Service
from tests.sync.conftest import same_as_server, server_copy, synced_copy


def _copy_of(client):
    client.open()
    return synced_copy()


def test_two_desks_adding_the_same_service_offline_make_one_row(clients, team_db):
    amy, ben = clients("amy", role="admin"), clients("ben", role="admin")
    for client in (amy, ben, amy):
        client.open()
        client.sync()

    amy.open()
    catalogue.add_entry(amy.session, "service", {"name": "Email", "criticality": "high"})
    catalogue.add_entry(amy.session, "ci", {"name": "MAIL-01", "service": "Email",
                                            "location": "DC1"})
    amy.later()
    ben.open()
    catalogue.add_entry(ben.session, "service", {"name": "email", "owner_group": "Service Desk",
                                                 "sla_targets": "P1=5m/1h"})
    ben.later()
    catalogue.add_entry(ben.session, "ci", {"name": "mail-01", "type": "server"})
    ben.later()
    amy.open()
    catalogue.edit_entry(amy.session, "ci", "MAIL-01", {"location": "DC2"})

    for client in (ben, amy, ben):
        client.open()
        assert not client.sync().repaired  # the merge needs no repair

    assert _copy_of(amy) == _copy_of(ben)
    assert same_as_server(_copy_of(amy), server_copy(team_db))
    amy.open()
    assert Service.select().count() == 1 and ConfigurationItem.select().count() == 1
    email = Service.get()
    assert email.name == "email"  # ben's spelling came later
    assert email.owner_group == "Service Desk" and email.sla_targets  # ben's fields
    assert email.criticality == "medium"  # ben's add set every field, after amy's
    ci = ConfigurationItem.get()
    # each field as last set: ben's add after amy's, then amy's edit of the location
    assert (ci.name, ci.type, ci.location) == ("mail-01", "server", "DC2")


def test_a_technician_login_cannot_change_the_teams_catalogue(clients, team_db):
    ada = clients("ada", role="admin")
    ada.open()
    catalogue.add_entry(ada.session, "service", {"name": "Email", "criticality": "high"})
    ada.sync()
    tom = clients("tom")  # a technician login: a desk of its own, administered locally
    tom.open()
    catalogue.add_entry(tom.session, "service", {"name": "Payroll"})
    report = tom.sync()
    assert any("catalogue" in w for w in report.warnings)
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE row_id IN "
                          "(SELECT row_id FROM desk.change WHERE value->>'name' = 'Payroll')"
                          ) == 0
    tom.open()
    assert Service.get(Service.name == "Email").criticality == "high"  # the team's
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE entity = 'service'") > 0
