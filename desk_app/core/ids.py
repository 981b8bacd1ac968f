"""UUIDv7 keys: time-ordered, made on the client, unique across devices."""

import os
import time
import uuid


def uuid7(millis: int | None = None) -> str:
    """A new UUIDv7 as text (RFC 9562: 48-bit Unix millis, version, 74 random bits)."""
    ms = int(time.time() * 1000) if millis is None else millis
    value = (ms & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))


def uuid7_from(millis: int, random_bits: int) -> str:
    """A UUIDv7 from its parts (74 random bits), for bulk writers that draw their own
    randomness; formats directly without building a UUID object."""
    rand_a = (random_bits >> 62) & 0xFFF
    rand_b = random_bits & ((1 << 62) - 1)
    variant_and_b = (0b10 << 62) | rand_b
    return (f"{millis >> 16 & 0xFFFFFFFF:08x}-{millis & 0xFFFF:04x}-7{rand_a:03x}-"
            f"{variant_and_b >> 48:04x}-{variant_and_b & 0xFFFFFFFFFFFF:012x}")
