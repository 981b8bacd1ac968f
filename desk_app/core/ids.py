"""UUIDv7 keys: time-ordered, made on the client, unique across devices."""

import os
import threading
import time
import uuid

_RANDOM_BITS = 74
_lock = threading.Lock()
_last = [0, 0]  # millis and random part of the latest id made by this process


def uuid7() -> str:
    """A new UUIDv7 as text (RFC 9562: 48-bit Unix millis, version, 74 random bits).

    Monotonic within this process: in the same millisecond (or if the wall clock steps
    back) the random part counts up from the previous id, so ids sort in the order they
    were made, as RFC 9562 section 6.2 allows.
    """
    ms = int(time.time() * 1000)
    with _lock:
        if ms <= _last[0]:
            ms, rand = _last[0], _last[1] + 1 + (int.from_bytes(os.urandom(2), "big") & 0xFF)
            if rand >> _RANDOM_BITS:
                ms, rand = ms + 1, int.from_bytes(os.urandom(10), "big") >> 6
        else:
            rand = int.from_bytes(os.urandom(10), "big") >> 6  # 74 random bits
        _last[0], _last[1] = ms, rand
    return uuid7_from(ms, rand)


def uuid7_from(millis: int, random_bits: int) -> str:
    """A UUIDv7 from its parts (74 random bits), for bulk writers that draw their own
    randomness; formats directly without building a UUID object."""
    rand_a = (random_bits >> 62) & 0xFFF
    rand_b = random_bits & ((1 << 62) - 1)
    variant_and_b = (0b10 << 62) | rand_b
    return (f"{millis >> 16 & 0xFFFFFFFF:08x}-{millis & 0xFFFF:04x}-7{rand_a:03x}-"
            f"{variant_and_b >> 48:04x}-{variant_and_b & 0xFFFFFFFFFFFF:012x}")


_NATURAL = uuid.UUID("6f1d2a4e-5b7c-4d8e-9f00-1a2b3c4d5e6f")


def natural_id(kind: str, key: str) -> str:
    """A key derived from a natural key (a group's name, a technician's login), so that
    two devices creating the same group or person offline create the same row."""
    return str(uuid.uuid5(_NATURAL, f"{kind}:{key}"))
