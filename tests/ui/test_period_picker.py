"""The dashboard's period picker refuses nonsense custom days in its error label."""

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QDate

from desk_app.ui.period_picker import PeriodPicker

from ..conftest import LONDON


@pytest.mark.parametrize(("first", "last", "words"), [
    (QDate(1752, 9, 14), QDate(9999, 12, 31), "last day"),   # the editors' whole range
    (QDate(2026, 1, 1), QDate(9999, 12, 31), "last day"),    # the calendar's last day
    (QDate(1900, 1, 1), QDate(2100, 1, 1), "100 years"),
])
def test_a_custom_period_beyond_reason_shows_an_error_and_emits_nothing(qtbot, first,
                                                                        last, words):
    picker = PeriodPicker(lambda: datetime(2026, 11, 25, tzinfo=UTC), LONDON)
    qtbot.addWidget(picker)
    emitted = []
    picker.changed.connect(lambda *period: emitted.append(period))
    picker.choose("custom")
    picker.set_days(first, last)
    picker.apply.click()
    assert emitted == []
    assert words in picker.error.text()

    picker.set_days(QDate(2026, 11, 1), QDate(2026, 11, 30))
    picker.apply.click()
    assert len(emitted) == 1 and picker.error.text() == ""
