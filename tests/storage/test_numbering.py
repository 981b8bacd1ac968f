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

