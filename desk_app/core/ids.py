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
