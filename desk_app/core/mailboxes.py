"""Which policy defaults a mail gets, by the mailbox it arrived at."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MailboxDefaults:
    """The logging fields mail cannot give, from the policy's ``mailboxes`` section."""

    address: str = "*"
    impact: str = "medium"
    urgency: str = "medium"
    service: str = ""
    category: str = ""
    subcategory: str = ""


def mailbox_defaults(sections: Mapping[str, Any], recipients: Iterable[str],
                     mailbox: str | None = None) -> MailboxDefaults:
    """The entry for ``mailbox`` (when named), else for the first recipient that has
    one, else the ``*`` entry, else medium impact and urgency with nothing else."""
    entries = {str(e.get("address", "")).lower(): e for e in sections.get("mailboxes") or ()}
    for address in ([mailbox] if mailbox else []) + list(recipients) + ["*"]:
        entry = entries.get((address or "").lower())
        if entry is not None:
            known = MailboxDefaults.__dataclass_fields__
            return MailboxDefaults(**{k: str(v) for k, v in entry.items() if k in known})
    return MailboxDefaults()
