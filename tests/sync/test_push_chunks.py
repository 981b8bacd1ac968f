"""A push's chunks: every entry once, in order, none over PUSH_CHUNK; a long push
starts and ends small, so the desk and the server overlap from the first chunk to
the last."""

from hypothesis import given
from hypothesis import strategies as st

from desk_app.sync.engine import PUSH_CHUNK, PUSH_RAMP, push_chunks


@given(st.integers(min_value=0, max_value=12 * PUSH_CHUNK))
def test_chunks_hold_every_entry_once_in_order(count):
    entries = list(range(count))
    chunks = push_chunks(entries)
    assert [e for chunk in chunks for e in chunk] == entries
    assert all(0 < len(chunk) <= PUSH_CHUNK for chunk in chunks)


@given(st.integers(min_value=3 * PUSH_CHUNK, max_value=12 * PUSH_CHUNK))
def test_a_long_push_starts_and_ends_with_smaller_chunks(count):
    sizes = [len(chunk) for chunk in push_chunks(list(range(count)))]
    ramp = [PUSH_CHUNK // part for part in PUSH_RAMP]
    assert sizes[:len(ramp)] == ramp
    assert sizes[-len(ramp):] == ramp[::-1]
    assert max(sizes) == PUSH_CHUNK


def test_a_short_push_goes_in_one_chunk():
    assert push_chunks([]) == []
    assert [len(c) for c in push_chunks(list(range(PUSH_CHUNK)))] == [PUSH_CHUNK]
