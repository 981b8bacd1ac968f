from desk_app.core.enums import Channel, HoldReason, Role, Status
from desk_app.core.labels import human_label


def test_stored_values_read_as_words():
    assert human_label(Status.IN_PROGRESS) == "In progress"
    assert human_label(Status.ON_HOLD) == "On hold"
    assert human_label(HoldReason.AWAITING_USER) == "Awaiting user"
    assert human_label(Role.SERVICE_DESK) == "Service desk"
    assert human_label(Channel.WALK_IN) == "Walk-in"
    assert human_label("auto_closed") == "Auto-closed"


def test_codes_and_empty_values_stay_as_they_are():
    assert human_label("P1") == "P1"
    assert human_label("L3") == "L3"
    assert human_label("") == ""


def test_every_status_has_a_distinct_label():
    labels = {human_label(status) for status in Status}
    assert len(labels) == len(Status)


def test_a_ticket_type_takes_its_article():
    from desk_app.core.labels import with_article

    assert with_article("incident") == "an incident"
    assert with_article("problem") == "a problem"
    assert with_article("request") == "a request"
