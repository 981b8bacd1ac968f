"""Knowledge articles: their lifecycle, their numbers and the checks on their texts.

An article is a draft while it is written, published once it may be used, retired
when it no longer applies; a published or retired article goes back to draft to be
revised. Only technicians (support) and managers publish or retire (see
:mod:`desk_app.core.permissions`).

Article numbers (``KB-7Q2MC-X0F4A``) are made from the article's own UUIDv7 key: the
key's last 50 random bits in Crockford base 32. Desks make them offline with no block
to reserve and no renumbering; two desks give one number to two articles only if
their keys share those 50 random bits (about one chance in 10^15 per pair), and even
then the articles stay two rows, both found under the number.
"""

import re
from enum import StrEnum

from desk_app.core.errors import InvalidValue, TransitionRefused
from desk_app.core.validation import LABEL_MAX, TEXT_MAX, check_length, required_text

PREFIX = "KB"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_BITS = 50
NUMBER = re.compile(r"^KB-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")
TITLE_MAX = 200


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


A = ArticleStatus
ALLOWED_TRANSITIONS: dict[ArticleStatus, frozenset[ArticleStatus]] = {
    A.DRAFT: frozenset({A.PUBLISHED}),
    A.PUBLISHED: frozenset({A.RETIRED, A.DRAFT}),
    A.RETIRED: frozenset({A.DRAFT}),
}

# The texts of an article, in the order they are shown; all Markdown.
TEXT_FIELDS = ("symptoms", "cause", "solution")
LABEL_FIELDS = ("category", "service", "ci_type")
EDITABLE = ("title", *TEXT_FIELDS, *LABEL_FIELDS)


def article_number(article_id: str) -> str:
    """The human number of the article whose key is ``article_id`` (a UUID as text)."""
    bits = int(article_id.replace("-", "")[-13:], 16) & ((1 << _BITS) - 1)
    chars = "".join(_ALPHABET[(bits >> shift) & 31] for shift in range(_BITS - 5, -1, -5))
    return f"{PREFIX}-{chars[:5]}-{chars[5:]}"


def normalised_article_number(text: str) -> str:
    """``text`` as numbers are looked up: stripped, upper case, the look-alike letters
    Crockford base 32 leaves out read as the digits they resemble."""
    upper = text.strip().upper()
    if not upper.startswith(f"{PREFIX}-"):
        return upper
    body = upper[len(PREFIX) + 1:].translate(str.maketrans("ILO", "110"))
    return f"{PREFIX}-{body}"


def is_article_number(text: str) -> bool:
    """True for ``KB-XXXXX-XXXXX`` (already normalised)."""
    return bool(NUMBER.match(text))


def check_article_transition(current: ArticleStatus, target: ArticleStatus) -> None:
    """Refuse a status change the article lifecycle does not allow, naming the rule."""
    if target in ALLOWED_TRANSITIONS[current]:
        return
    allowed = ", ".join(s.value for s in ArticleStatus if s in ALLOWED_TRANSITIONS[current])
    raise TransitionRefused(
        "article_status", f"an article cannot go from {current.value} to {target.value} "
                          f"(article lifecycle: draft -> published -> retired, and back "
                          f"to draft to revise); allowed: {allowed}")


def checked_fields(values: dict[str, str | None], creating: bool) -> dict[str, str | None]:
    """The article fields in ``values`` checked and tidied: a title is required (when
    creating, and whenever it is given), texts at most TEXT_MAX characters, labels at
    most LABEL_MAX and empty labels stored as None. Unknown fields are refused."""
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        raise InvalidValue(unknown[0], "is not a field of a knowledge article")
    checked: dict[str, str | None] = {}
    if creating or "title" in values:
        checked["title"] = required_text("title", values.get("title"), TITLE_MAX)
    for name in TEXT_FIELDS:
        if name in values:
            text = (values[name] or "").strip()
            check_length(name, text, TEXT_MAX)
            checked[name] = text
    for name in LABEL_FIELDS:
        if name in values:
            label = (values[name] or "").strip()
            check_length(name, label, LABEL_MAX)
            checked[name] = label or None
    return checked


def publishable(values: dict[str, str | None]) -> None:
    """Refuse to publish an article that says nothing about what to do."""
    if not (values.get("solution") or "").strip():
        raise InvalidValue("solution", "a published article needs a solution or workaround")
