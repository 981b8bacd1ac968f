"""The service catalogue in the service layer: administrators only, per-service SLA
targets and major-incident criteria applied to tickets on the service, the policy on
unknown values, a CI implying its service, removal retiring what is in use, and the
related-ticket suggestion ordered by CI, then service, then text."""

from datetime import timedelta

import pytest

from desk_app.core.errors import InvalidValue, PermissionDenied, Refused
from desk_app.services import catalogue
from desk_app.services.admin import add_technician, change_policy
from desk_app.services.details import update_details
from desk_app.services.intake import log_ticket, preview_logging, suggest_related
from desk_app.services.session import Session
from desk_app.storage.fields import from_millis
from desk_app.storage.models import ConfigurationItem, Service, Technician, Ticket

from ..conftest import new_ticket


def _catalogue(session):
    catalogue.add_entry(session, "service", {
        "name": "Email", "criticality": "high", "owner_group": "service desk",
        "major_priorities": "P2", "sla_targets": "P3=10m/1h"})
    catalogue.add_entry(session, "ci", {"name": "MAIL-01", "type": "server",
                                        "service": "email", "location": "DC1"})


def test_admin_adds_a_service_and_ci_with_catalogue_spelling(session):
    _catalogue(session)
    service = Service.get(Service.name == "Email")
    assert service.owner_group == "Service Desk"
    assert service.criticality == "high"
    ci = ConfigurationItem.get(ConfigurationItem.name == "MAIL-01")
    assert ci.service == "Email"
    with pytest.raises(Refused, match="name"):
        catalogue.add_entry(session, "service", {"name": "EMAIL"})


def test_bad_fields_are_refused_naming_the_field(session):
    for values, field in (({"name": ""}, "name"),
                          ({"name": "X", "criticality": "huge"}, "criticality"),
                          ({"name": "X", "owner_group": "Nobody"}, "owner_group"),
                          ({"name": "X", "calendar": "Mars"}, "calendar"),
                          ({"name": "X", "major_priorities": "P9"}, "major_priorities"),
                          ({"name": "X", "sla_targets": "P1=soon/4h"}, "sla_targets.P1"),
                          ({"name": "X", "colour": "red"}, "colour")):
        with pytest.raises(InvalidValue) as refused:
            catalogue.add_entry(session, "service", values)
        assert refused.value.field.startswith(field)
    with pytest.raises(InvalidValue, match="unknown service"):
        catalogue.add_entry(session, "ci", {"name": "PC-1", "service": "Nope"})
    assert Service.select().count() == 0 and ConfigurationItem.select().count() == 0


def test_only_administrators_edit_the_catalogue(desk, session, clock):
    add_technician(session, "bob", "Bob", "support", None)
    bob = Session(Technician.get(Technician.login == "bob"), clock)
    with pytest.raises(PermissionDenied):
        catalogue.add_entry(bob, "service", {"name": "Email"})
    _catalogue(session)
    with pytest.raises(PermissionDenied):
        catalogue.edit_entry(bob, "ci", "MAIL-01", {"location": "DC2"})
    with pytest.raises(PermissionDenied):
        catalogue.remove_entry(bob, "ci", "MAIL-01")
    assert catalogue.list_entries(bob, "ci")[0]["location"] == "DC1"  # reading is open


def test_service_sla_targets_override_the_policy(session, clock):
    _catalogue(session)
    plain = log_ticket(session, new_ticket(service="Remote access"))
    on_email = log_ticket(session, new_ticket(service="Email"))
    assert plain.priority == on_email.priority == "P3"
    logged = from_millis(on_email.logged_at) if isinstance(on_email.logged_at, int) \
        else on_email.logged_at
    assert on_email.response_due - logged == timedelta(minutes=10)
    assert on_email.resolution_due - logged == timedelta(hours=1)
    assert plain.resolution_due > on_email.resolution_due
    preview = preview_logging(session, "medium", "medium", "Email")
    assert preview.resolution_due == on_email.resolution_due


def test_service_major_criteria_make_a_p2_major(session):
    _catalogue(session)
    p2 = log_ticket(session, new_ticket(service="Email", impact="high", urgency="medium"))
    assert p2.priority == "P2" and p2.major
    other = log_ticket(session, new_ticket(service="Remote access", impact="high",
                                           urgency="medium"))
    assert not other.major
    assert any("Email" in r for r in preview_logging(session, "high", "medium",
                                                     "Email").major_reasons)


def test_a_ci_implies_its_service_and_names_take_the_catalogue_spelling(session):
    _catalogue(session)
    ticket = log_ticket(session, new_ticket(service="", ci="mail-01"))
    assert (ticket.ci, ticket.service) == ("MAIL-01", "Email")
    other = log_ticket(session, new_ticket(service="Remote access", ci=None))
    update_details(session, other.number, {"ci": "MAIL-01"})
    other = type(other).get_by_id(other.id)
    assert (other.ci, other.service) == ("MAIL-01", "Remote access")  # kept, not replaced


def test_unknown_values_follow_the_policy(session):
    _catalogue(session)
    allowed = log_ticket(session, new_ticket(service="Printing", ci="PRN-9"))
    assert (allowed.service, allowed.ci) == ("Printing", "PRN-9")
    change_policy(session, {"catalogue": {"unknown_values": "refuse"}})
    with pytest.raises(InvalidValue) as refused:
        log_ticket(session, new_ticket(service="Printing"))
    assert refused.value.field == "service"
    with pytest.raises(InvalidValue) as refused:
        log_ticket(session, new_ticket(service="Email", ci="PRN-9"))
    assert refused.value.field == "ci"
    with pytest.raises(InvalidValue) as refused:
        update_details(session, allowed.number, {"ci": "PRN-9"})
    assert refused.value.field == "ci"
    update_details(session, allowed.number, {"summary": "Printer jam"})  # old text stays
    assert log_ticket(session, new_ticket(service="email", ci="MAIL-01")).service == "Email"
    with pytest.raises(InvalidValue, match="unknown_values"):
        change_policy(session, {"catalogue": {"unknown_values": "maybe"}})


def test_removing_a_ci_in_use_retires_it_and_an_unused_one_is_deleted(session):
    _catalogue(session)
    catalogue.add_entry(session, "ci", {"name": "SPARE-1"})
    assert catalogue.remove_entry(session, "ci", "SPARE-1") == "removed"
    assert ConfigurationItem.get_or_none(ConfigurationItem.name == "SPARE-1") is None
    log_ticket(session, new_ticket(ci="MAIL-01"))
    assert catalogue.remove_entry(session, "ci", "MAIL-01") == "retired"
    assert ConfigurationItem.get(ConfigurationItem.name == "MAIL-01").retired
    assert catalogue.list_entries(session, "ci") == []
    assert catalogue.remove_entry(session, "service", "Email") == "retired"  # a CI names it


def test_a_name_cannot_change_and_edits_are_checked(session):
    _catalogue(session)
    with pytest.raises(InvalidValue, match="name"):
        catalogue.edit_entry(session, "ci", "MAIL-01", {"name": "MAIL-02"})
    with pytest.raises(Refused, match="already"):
        catalogue.edit_entry(session, "ci", "MAIL-01", {"location": "DC1"})
    edited = catalogue.edit_entry(session, "service", "email", {"sla_targets": ""})
    assert edited["sla_targets"] == ""


def test_a_ci_page_lists_its_history_newest_first(session, clock):
    _catalogue(session)
    first = log_ticket(session, new_ticket(ci="MAIL-01", service="", summary="Mail slow"))
    clock.advance(hours=1)
    second = log_ticket(session, new_ticket(ci="mail-01", service="", summary="Mail down"))
    log_ticket(session, new_ticket(ci="OTHER"))
    page = catalogue.entry_page(session, "ci", "Mail-01")
    assert [t["number"] for t in page["history"]] == [second.number, first.number]
    assert page["counts"] == {"tickets": 2, "open": 2}
    assert page["service"]["name"] == "Email"
    assert all(t["open"] for t in page["history"])
    assert catalogue.entry_page(session, "service", "Email")["counts"]["tickets"] == 2


def test_related_suggestions_put_the_same_ci_first_then_service_then_text(session, clock):
    _catalogue(session)
    catalogue.add_entry(session, "ci", {"name": "MAIL-02", "service": "Email"})
    text_only = log_ticket(session, new_ticket(summary="Mailbox full warning",
                                               service="Remote access"))
    clock.advance(minutes=1)
    same_service = log_ticket(session, new_ticket(summary="Calendar sync", ci="MAIL-02",
                                                  service=""))
    clock.advance(minutes=1)
    same_ci = log_ticket(session, new_ticket(summary="Slow", ci="MAIL-01", service=""))
    found = suggest_related(session, "mailbox full", ci="MAIL-01", service="Email")
    assert [r["number"] for r in found] == [same_ci.number, same_service.number,
                                           text_only.number]
    assert [r["why"] for r in found] == ["same CI", "same service", "similar text"]


def test_moving_a_ticket_to_a_service_with_own_targets_replans_its_clocks(session, clock):
    _catalogue(session)
    ticket = log_ticket(session, new_ticket(service="Remote access"))
    clock.advance(minutes=5)
    update_details(session, ticket.number, {"service": "email"})
    moved = type(ticket).get_by_id(ticket.id)
    assert moved.service == "Email"
    # 5 of Email's 60 minutes are used: the rest counts from the change
    assert moved.resolution_due - clock.current == timedelta(minutes=55)
    assert moved.response_due - clock.current == timedelta(minutes=5)


def test_a_staged_save_applies_all_or_nothing_and_a_preview_writes_nothing(session):
    from desk_app.core.admin_changes import StagedChangeRefused
    from desk_app.services.catalogue_staging import (
        StagedEntry,
        preview_catalogue,
        save_catalogue,
    )

    staged = [StagedEntry("ci", "PC-1", "add", {"service": "Printing"}),
              StagedEntry("service", "Printing", "add", {"criticality": "low"})]
    assert preview_catalogue(session, staged) == ["Add service Printing",
                                                  "Add configuration item PC-1"]
    assert Service.select().count() == 0
    bad = [*staged, StagedEntry("ci", "PC-2", "add", {"service": "Nope"})]
    with pytest.raises(StagedChangeRefused) as refused:
        save_catalogue(session, bad)
    assert (refused.value.part, refused.value.key, refused.value.field) == \
        ("ci", "PC-2", "service")
    assert Service.select().count() == 0 and ConfigurationItem.select().count() == 0
    assert len(save_catalogue(session, staged)) == 2
    assert ConfigurationItem.get().service == "Printing"


def test_raising_the_priority_on_a_service_with_own_criteria_makes_it_major(session):
    from desk_app.services.classification import reprioritise

    _catalogue(session)
    ticket = log_ticket(session, new_ticket(service="Email"))
    assert ticket.priority == "P3" and not ticket.major
    raised = reprioritise(session, ticket.number, "whole floor", impact="high")
    assert raised.priority == "P2" and raised.major


def test_an_imported_ticket_on_a_service_is_planned_by_the_services_own_targets(
        session, tmp_path):
    """Due times an export lacks are planned as when logging: by the ticket's service's
    own targets (Email: P3 in 10m/1h), else by the policy's."""
    from desk_app.services.transfer.files import import_file

    _catalogue(session)
    source = tmp_path / "tickets.csv"
    source.write_text(
        "number,type,summary,impact,urgency,priority,service,status,logged_at\n"
        "INC-900001,incident,Mail bounces,medium,medium,P3,Email,new,2026-11-24T09:00:00+00:00\n"
        "INC-900002,incident,VPN drops,medium,medium,P3,Remote access,new,"
        "2026-11-24T09:00:00+00:00\n",
        encoding="utf-8")
    assert import_file(session, source).imported == 2
    on_email = Ticket.get(Ticket.number == "INC-900001")
    plain = Ticket.get(Ticket.number == "INC-900002")
    logged = on_email.logged_at
    assert on_email.response_due - logged == timedelta(minutes=10)
    assert on_email.resolution_due - logged == timedelta(hours=1)
    assert plain.resolution_due - logged > timedelta(hours=1)
