"""Dates of an import: the format found from the data, per column."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk_app.core.errors import InvalidValue
from desk_app.services.transfer.dates import DateColumns, strptime_pattern

PARIS = ZoneInfo("Europe/Paris")
moments = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31))
LAYOUTS = {"yyyy-MM-dd HH:mm:ss": "%Y-%m-%d %H:%M:%S",
           "dd/MM/yyyy HH:mm:ss": "%d/%m/%Y %H:%M:%S",
           "MM-dd-yyyy hh:mm:ss a": "%m-%d-%Y %I:%M:%S %p",
           "dd.MM.yyyy HH:mm:ss": "%d.%m.%Y %H:%M:%S",
           "MM/dd/yyyy HH:mm:ss": "%m/%d/%Y %H:%M:%S"}
# a value that settles day/month for the column (the 13th in either place)
SETTLER = datetime(2016, 12, 13, 9, 30, 0)


@given(moments=st.lists(moments, min_size=1, max_size=20), layout=st.sampled_from(sorted(LAYOUTS)))
def test_every_layout_reads_back_what_it_wrote(moments, layout):
    pattern = LAYOUTS[layout]
    values = [m.strftime(pattern) for m in [SETTLER, *moments]]
    dates = DateColumns({"opened_at": values}, PARIS)
    for moment, value in zip([SETTLER, *moments], values, strict=True):
        # fold=0: the text carries no fold, so a repeated or skipped hour reads as its first
        wanted = moment.replace(microsecond=0, tzinfo=PARIS, fold=0).isoformat()
        assert dates.iso("opened_at", value) == wanted  # text: an hour that DST repeats
        # is not equal to itself across zone types
    assert dates.zone_used


@given(moments=st.lists(moments, min_size=1, max_size=10))
def test_a_forced_pattern_is_read_as_said(moments):
    values = [m.strftime("%m/%d/%Y %H:%M") for m in moments]
    dates = DateColumns({"opened_at": values}, PARIS, "MM/dd/yyyy HH:mm")
    for moment, value in zip(moments, values, strict=True):
        assert dates.iso("opened_at", value) == moment.replace(
            second=0, microsecond=0, tzinfo=PARIS, fold=0).isoformat()  # text has no fold


def test_an_undecided_column_follows_the_other_columns_of_the_file():
    dates = DateColumns({"opened_at": ["01/02/2016 10:00"], "closed_at": ["02/25/2016 10:00"]},
                        PARIS)
    assert dates.iso("opened_at", "01/02/2016 10:00").startswith("2016-01-02")


def test_columns_that_cannot_be_decided_are_named():
    with pytest.raises(InvalidValue) as refused:
        DateColumns({"opened_at": ["01/02/2016 10:00"], "closed_at": ["03/04/2016 10:00"]},
                    PARIS)
    assert refused.value.field == "date_format"
    assert refused.value.message.startswith("opened_at, closed_at: dates such as "
                                            "'01/02/2016 10:00' can be read day/month or "
                                            "month/day")
    with pytest.raises(InvalidValue, match="opened_at: dates have a day over 12 both"):
        DateColumns({"opened_at": ["13/02/2016 10:00", "02/13/2016 10:00"]}, PARIS)


def test_offsets_are_kept_and_utc_columns_are_utc():
    dates = DateColumns({"opened_at": [], "raw": []}, PARIS, utc_columns=["raw"])
    assert dates.iso("opened_at", "2016-02-29T10:00:00+05:30") == "2016-02-29T10:00:00+05:30"
    assert dates.iso("opened_at", "2016-02-29T10:00:00Z") == "2016-02-29T10:00:00+00:00"
    assert dates.iso("raw", "2016-02-29 10:00:00") == "2016-02-29T10:00:00+00:00"
    assert not dates.zone_used
    assert datetime.fromisoformat(dates.iso("opened_at", "2016-02-29")) == datetime(
        2016, 2, 28, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", ["2016-02-30 10:00:00", "29/02/2015 10:00", "yesterday",
                                   "2016-02-29 25:00:00", "02-29-2016 13:00:00 PM",
                                   "2016-02-29T10:00:00+24:00", "1" * 100])
def test_impossible_dates_say_so(value):
    dates = DateColumns({"opened_at": ["29/02/2016 10:00"]}, PARIS)
    with pytest.raises(ValueError, match="is not a date"):
        dates.iso("opened_at", value)


def test_patterns_in_either_notation_and_refused_ones():
    assert strptime_pattern("dd/MM/yyyy HH:mm") == "%d/%m/%Y %H:%M"
    assert strptime_pattern("MM-dd-yyyy hh:mm:ss a") == "%m-%d-%Y %I:%M:%S %p"
    assert strptime_pattern("yyyy-MM-dd'T'HH:mm") == "%Y-%m-%dT%H:%M"
    assert strptime_pattern("%d.%m.%Y") == "%d.%m.%Y"
    for bad in ("HH:mm", "nonsense", "%Q"):
        with pytest.raises(InvalidValue, match=r"date_format: .* is not a date pattern"):
            strptime_pattern(bad)
