"""The shapes of ticket numbers the desk keeps."""

import pytest

from desk_app.core.numbers import is_ticket_number


@pytest.mark.parametrize("number", ["INC-000001", "REQ-1000000", "INC-T3F2A-0001",
                                    "INC0000045", "SD-123", "ITSM2-7", "GLPI-4711"])
def test_numbers_the_desk_keeps(number):
    assert is_ticket_number(number)


ARABIC_INDIC = "\u0660\u0661\u0662\u0663\u0664"


@pytest.mark.parametrize("number", ["INC-000000", "INC-0" + ARABIC_INDIC, "INC-00001",
                                    "INC" + ARABIC_INDIC, "INC-T3F2A-" + ARABIC_INDIC,
                                    "SD-0123", "SD-" + ARABIC_INDIC])
def test_zero_and_digits_other_than_0_to_9_are_not_numbers(number):
    assert not is_ticket_number(number)
