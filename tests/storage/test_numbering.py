import pytest

from desk_app.core.errors import Refused
from desk_app.storage.database import database
from desk_app.storage.models import NumberBlock, Ticket
from desk_app.storage.numbering import issue_number, issue_number_block, skip_past


def test_numbers_come_from_the_block_and_roll_back_with_the_transaction(desk):
    assert issue_number("INC") == "INC-000001"
    with pytest.raises(RuntimeError), database.atomic():
        assert issue_number("INC") == "INC-000002"
        raise RuntimeError("activity failed")
    assert issue_number("INC") == "INC-000002"


def test_exhausted_blocks_are_refused(desk):
    NumberBlock.update(next=NumberBlock.last + 1).where(NumberBlock.prefix == "PRB").execute()
    with pytest.raises(Refused) as err:
        issue_number("PRB")
    assert err.value.field == "number"


def test_block_reservation_and_skipping(desk):
    assert issue_number_block("REQ", 10) == 1
    assert issue_number("REQ") == "REQ-000011"
    skip_past(["REQ-000500", "INC0000045", "REQ-000020"])
    assert issue_number("REQ") == "REQ-000501"



def test_a_number_a_pulled_ticket_already_holds_is_skipped(desk, session):
    """A desk that worked standalone claimed INC-000001..2 on the server before our block
    was used; its tickets came in by sync. Logging here must not collide with them."""
    from desk_app.services.intake import log_ticket
    from tests.conftest import new_ticket

    first = log_ticket(session, new_ticket()).number
    database.execute_sql("UPDATE ticket SET number = 'INC-000002' WHERE number = ?", (first,))
    NumberBlock.update(next=1).where(NumberBlock.prefix == "INC").execute()
    assert issue_number("INC") == "INC-000001"
    assert issue_number("INC") == "INC-000003"


def test_numbers_grow_wider_after_999999(desk):
    skip_past(["INC-999999"])
    assert issue_number("INC") == "INC-1000000"


def test_a_six_digit_block_of_an_older_desk_widens_when_it_runs_out(desk):
    NumberBlock.update(last=999_999, next=1_000_000).where(NumberBlock.prefix == "INC").execute()
    assert issue_number("INC") == "INC-1000000"
    assert issue_number_block("INC", 5) == 1_000_001


def test_an_import_at_the_very_top_leaves_the_block_and_numbers_skip_taken_ones(desk, session):
    from desk_app.services.intake import log_ticket

    from ..conftest import new_ticket

    log_ticket(session, new_ticket())  # INC-000001
    Ticket.update(number="INC-000003").where(Ticket.number == "INC-000001").execute()
    skip_past(["INC-999999999"])  # moving past it would leave no numbers: left alone
    assert issue_number("INC") == "INC-000002"
    assert issue_number("INC") == "INC-000004"  # INC-000003 is held by a ticket
