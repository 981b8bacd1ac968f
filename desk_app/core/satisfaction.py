"""The user's satisfaction with how a ticket was handled: a score 1-5 and a comment.

Asked when the user confirms a resolution (the technician records the answer) and by
the closure mail (a reply with a digit). 4 and 5 count as satisfied. Pure rules: what
a valid answer is, which tickets take one, and how an answer reads.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from desk_app.core.enums import Status, TicketType
from desk_app.core.errors import InvalidValue, Refused
from desk_app.core.labels import human_label, with_article

SCORES = range(1, 6)
COMMENT_MAX = 2000
SOURCES = ("technician", "mail")
RATEABLE = (Status.RESOLVED.value, Status.CLOSED.value)
SATISFIED = (4, 5)


def checked_score(value: object) -> int:
    """The score as a whole number 1-5 (``"4"`` is read as 4); refuses naming
    ``score`` otherwise (no booleans, fractions or words)."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        digits = value.strip().lstrip("0") or "0"
        if len(digits) <= 6:  # int() refuses thousands of digits: those stay refused text
            value = int(digits)
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
        raise InvalidValue("score", f"must be a whole number from 1 to 5, not {value!r}"[:120])
    return value


def checked_comment(value: str | None) -> str | None:
    """The comment stripped (None when empty); refuses naming ``comment`` when it is
    longer than :data:`COMMENT_MAX` characters."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if len(text) > COMMENT_MAX:
        raise InvalidValue("comment", f"at most {COMMENT_MAX} characters")
    return text


def checked_source(value: str) -> str:
    """Who recorded the answer: ``technician`` or ``mail``."""
    if value not in SOURCES:
        raise InvalidValue("source", f"must be one of {', '.join(SOURCES)}")
    return value


def check_rateable(number: str, ticket_type: str, status: str) -> None:
    """Refuse unless the ticket is a resolved or closed incident."""
    if ticket_type != TicketType.INCIDENT.value:
        raise Refused("type", f"{number} is {with_article(ticket_type)}; satisfaction is recorded "
                      "on incidents")
    if status not in RATEABLE:
        raise Refused("status", f"{number} is {human_label(status).lower()}; satisfaction "
                      "is recorded once the incident is resolved or closed")


@dataclass(frozen=True)
class Answer:
    """A recorded answer, as the ticket holds it."""

    score: int
    comment: str | None
    at: datetime | None
    source: str | None

    @property
    def satisfied(self) -> bool:
        """True for 4 or 5 of 5."""
        return self.score in SATISFIED

    def stars(self) -> str:
        """The score as five stars, filled up to it: ``★★★★☆``."""
        return "★" * self.score + "☆" * (5 - self.score)

    def text(self) -> str:
        """``4/5 — comment`` (just ``4/5`` without a comment)."""
        return f"{self.score}/5" + (f" — {self.comment}" if self.comment else "")


def answer_of(score: int | None, comment: str | None, at: datetime | None,
              source: str | None) -> Answer | None:
    """The ticket's answer from its stored fields (None when it has none)."""
    return None if score is None else Answer(score, comment, at, source)


_SCORE_PREFIX = re.compile(r"^\W*[1-5](?:\s*(?:/|out of|of|sur|von|de)\s*5)?[\s\W]*",
                           re.IGNORECASE)


def mail_comment(text: str) -> str | None:
    """The comment of a mailed answer: the reply without the score that opens it
    (``"4/5 - quick, thanks"`` -> ``"quick, thanks"``), cut to :data:`COMMENT_MAX`."""
    lines = text.strip().splitlines()
    if not lines:
        return None
    lines[0] = _SCORE_PREFIX.sub("", lines[0].strip(), count=1)
    comment = "\n".join(lines).strip()
    return comment[:COMMENT_MAX] or None
