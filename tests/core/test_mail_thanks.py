"""A thank-you reply is a courtesy: recognised in the languages the desk confirms in,
never when it carries more than thanks."""

import pytest

from desk_app.core.mail_text import only_thanks


@pytest.mark.parametrize("text", [
    "Thanks!", "thank you", "Thank you very much!\n\nBob", "Thanks a lot :)", "thx",
    "Merci beaucoup", "Danke schön", "Vielen Dank!", "Muchas gracias", "Obrigado",
    "Grazie mille", "Cheers,\nAnn",
])
def test_a_plain_thank_you_is_only_thanks(text):
    assert only_thanks(text)


@pytest.mark.parametrize("text", [
    "Thanks, but it is still broken", "Thank you. The printer jams again since this morning",
    "Thanks!\nIt happened again at 10:00 on the third floor printer",
    "Still broken", "5", "yes", "", "Thanks for nothing, the laptop will not boot at all now",
])
def test_anything_more_than_thanks_is_not(text):
    assert not only_thanks(text)
