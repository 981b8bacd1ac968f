"""The report's numbers as text: exact and never in exponent notation, however large."""

import csv
import io
import math
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.errors import InvalidValue
from desk_app.services.kpi_dashboard import dashboard
from desk_app.services.kpi_report import (
    dashboard_markdown,
    figure_text,
    local_period,
    plain_number,
    report_tables,
    tables_csv,
    tiles_text,
)
from desk_app.storage.models import Ticket


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
def test_a_number_keeps_its_two_decimals_and_never_an_exponent(value):
    text = plain_number(value)
    assert "e" not in text.lower()
    assert math.isclose(float(text), round(value, 2), abs_tol=0.005)
    assert not text.endswith(".") and ("." not in text or not text.endswith("0"))


def test_small_numbers_read_as_before():
    assert [plain_number(v) for v in (50.0, 33.3, 0.5, 12.33, 0.0, -0.001)] == \
        ["50", "33.3", "0.5", "12.33", "0", "0"]
    assert figure_text(12345.67, "hours") == "12345.67 h"


def test_a_detection_a_century_before_logging_is_shown_in_full(session):
    logged = datetime(2026, 11, 2, 9, tzinfo=UTC)
    Ticket.create(number="INC-OLD", type="incident", status="in_progress", impact="medium",
                  urgency="medium", priority="P3", summary="found long ago",
                  logged_at=logged, updated_at=logged,
                  detected_at=datetime(1900, 1, 1, 0, 15, tzinfo=UTC))
    data = dashboard(session, datetime(2026, 11, 1, tzinfo=UTC),
                     datetime(2026, 12, 1, tzinfo=UTC))
    detect = next(t for t in data.tiles if t.key == "mean_time_to_detect_hours")
    assert detect.value == 1111832.75
    assert "Mean time to detect: 1111832.75 h over 1" in tiles_text(data)
    assert "| Mean time to detect | 1111832.75 h |" in dashboard_markdown(data)
    rows = list(csv.reader(io.StringIO(tables_csv(report_tables(data)))))
    (row,) = [r for r in rows if r[:2] == ["Mean time to detect",
                                          "mean_time_to_detect_hours"]]
    assert row[2] == "1111832.75"


def test_an_open_start_before_the_first_incident_is_30_days_not_a_refusal(session, clock):
    from desk_app.services.intake import log_ticket

    from ..conftest import LONDON, new_ticket

    log_ticket(session, new_ticket())                   # 23 November 2026
    until = datetime(2026, 10, 1, 12, tzinfo=LONDON)    # before it
    assert local_period(session, None, until) == (datetime(2026, 9, 1, tzinfo=LONDON),
                                                  until)
    assert local_period(session, None, None)[0] == datetime(2026, 11, 23, tzinfo=LONDON)


def test_a_start_after_now_names_since_and_says_the_end_is_now(session, clock):
    with pytest.raises(InvalidValue) as refused:
        local_period(session, datetime(2027, 1, 1, tzinfo=UTC), None)
    assert refused.value.field == "since" and "now" in str(refused.value)


def test_an_open_start_a_century_back_asks_for_since(session):
    logged = datetime(1901, 3, 4, 9, tzinfo=UTC)
    Ticket.create(number="INC-1901", type="incident", status="in_progress", impact="medium",
                  urgency="medium", priority="P3", summary="imported long ago",
                  logged_at=logged, updated_at=logged)
    with pytest.raises(InvalidValue) as refused:
        local_period(session, None, None)
    assert refused.value.field == "since" and "1901-03-04" in str(refused.value)
    assert "--since" in str(refused.value)


def test_ticket_text_in_the_markdown_is_text_not_markup(session):
    from desk_app.storage.models import Worklog

    logged = datetime(2026, 11, 2, 9, tzinfo=UTC)
    ticket = Ticket.create(
        number="INC-MD", type="incident", status="in_progress", impact="medium",
        urgency="medium", priority="P3", logged_at=logged, updated_at=logged,
        summary="![x](/home/me/secret.png) [click](https://evil.example) <img src=a> *b*")
    Worklog.create(ticket=ticket, at=logged, by="alice", kind="note", note="x", minutes=30)
    data = dashboard(session, datetime(2026, 11, 1, tzinfo=UTC),
                     datetime(2026, 12, 1, tzinfo=UTC))
    markdown = dashboard_markdown(data)
    assert ("| INC-MD !\\[x\\](/home/me/secret.png) \\[click\\](https://evil.example) "
            "\\<img src=a> \\*b\\* | 0.5 | 1 |") in markdown
    assert "| SLA compliance | - | >= 90 % |" in markdown  # our own cells read as before
