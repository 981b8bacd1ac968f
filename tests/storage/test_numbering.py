import pytest

from desk_app.core.errors import Refused
from desk_app.storage.database import database
from desk_app.storage.models import NumberBlock
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
