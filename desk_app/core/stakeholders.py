"""The stakeholders of a major incident: the mail addresses its updates go to (kept
apart from the rhythm's rules, which the policy reads at start, so the mail rules load
only when addresses are checked)."""

from collections.abc import Sequence

from desk_app.core.errors import InvalidValue
from desk_app.core.mail_templates import looks_like_address


def clean_addresses(field_name: str, addresses: Sequence[str]) -> list[str]:
    """Mail addresses, trimmed, each once (case aside), in the order given; refuses one
    that is not a plain address, naming ``field_name``."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for text in addresses:
        address = (text or "").strip()
        if not address:
            continue
        if not looks_like_address(address) or len(address) > 254:
            raise InvalidValue(field_name, f"{address[:80]!r} is not a mail address "
                               "(like name@example.org)")
        if address.casefold() not in seen:
            seen.add(address.casefold())
            cleaned.append(address)
    return cleaned
