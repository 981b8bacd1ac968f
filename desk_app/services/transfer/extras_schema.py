"""The schemas of what the JSON export (version 2) carries beyond ticket columns: the
knowledge articles with their history, and on each ticket the knowledge that solved
it, its major-incident team changes, timeline entries and updates, and its
post-incident review with the corrective actions.

References are human labels, as in the rest of the format: an article by its number
(``KB-7Q2MC-X0F4A``), a ticket by its number, a technician by login. Ids the desk
derives by a rule (a knowledge use's, a review's) are not in the file: the importer
derives them again, so two desks that import one file make the same rows.
"""

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, ValidationInfo, model_validator

from desk_app.core.knowledge import (
    TITLE_MAX,
    ArticleStatus,
    is_article_number,
    normalised_article_number,
)
from desk_app.core.major_incidents import TeamRole, TimelineKind
from desk_app.core.major_review import ActionStatus, ReviewStatus
from desk_app.core.validation import TEXT_MAX
from desk_app.services.transfer.schema import (
    COUNT_MAX,
    Id,
    Label,
    Moment,
    Number,
    Text,
    TicketRecord,
    _Child,
    _moment,
    _number,
    _Schema,
    shown,
)

USE_KINDS = ("article", "known_error", "ticket")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Note = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]


def _article_number(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be an article number as text")
    number = normalised_article_number(value)
    if not is_article_number(number):
        raise ValueError(f"{shown(value)} is not an article number (KB-XXXXX-XXXXX)")
    return number


def _day(value: Any) -> str:
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError(f"{shown(value)} is not a date (YYYY-MM-DD)")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{shown(value)} is not a date of the calendar") from None
    return value


def _role(value: Any) -> str:
    roles = [role.value for role in TeamRole]
    if value not in [*roles, ""]:
        raise ValueError(f"{shown(value)} is not one of: {', '.join(roles)}, or empty "
                         "(taken off the team)")
    return value


def _required_moment(value: Any, info: ValidationInfo) -> int:
    if value is None:
        raise ValueError("is required (an ISO 8601 time)")
    return _moment(value, info)


Required = Annotated[int, BeforeValidator(_required_moment)]
ArticleNumber = Annotated[str, BeforeValidator(_article_number)]
Day = Annotated[str, BeforeValidator(_day)]


class ArticleHistoryEntry(_Child):
    field: Label
    old: Text | None = None
    new: Text | None = None


class ArticleRecord(_Schema):
    """One knowledge article: every column, its source ticket by number, its history."""

    id: Id | None = None
    number: ArticleNumber
    title: Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX,
                                            pattern=r"\S")]
    symptoms: Text = ""
    cause: Text = ""
    solution: Text = ""
    category: Label | None = None
    service: Label | None = None
    ci_type: Label | None = None
    status: ArticleStatus
    author: Label
    source_ticket: Number | None = None
    created_at: Required
    updated_at: Moment = None
    reviewed_at: Moment = None
    history: list[ArticleHistoryEntry] = Field(default_factory=list, max_length=100_000)


class KnowledgeUseEntry(_Schema):
    """"This solved it": an article (by number), a known error or a past ticket (by
    ticket number)."""

    kind: Literal["article", "known_error", "ticket"]
    target: str
    at: Required
    by: Label

    @model_validator(mode="before")
    @classmethod
    def _target_shape(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("kind") in USE_KINDS:
            check = _article_number if data["kind"] == "article" else _number
            try:
                data = {**data, "target": check(data.get("target"))}
            except ValueError as error:
                raise ValueError(f"target: {error}") from None
        return data


class TeamChangeEntry(_Child):
    technician: Label  # a login
    role: Annotated[str, BeforeValidator(_role)]


class TimelineEntry(_Child):
    kind: TimelineKind
    text: Note


class UpdateEntry(_Child):
    sequence: Annotated[int, Field(ge=1, le=COUNT_MAX)]
    status: Text
    impact: Text
    actions: Text
    workaround: Text
    next_update_at: Moment = None
    final: bool = False


class ActionEntry(_Schema):
    id: Id | None = None
    text: Note
    owner: Label
    due: Day
    status: ActionStatus = ActionStatus.OPEN
    done_at: Moment = None
    done_by: Label | None = None
    created_at: Required
    created_by: Label


class ReviewRecord(_Schema):
    detection: Text = ""
    communication: Text = ""
    team: Text = ""
    resources: Text = ""
    process: Text = ""
    reporting: Text = ""
    status: ReviewStatus = ReviewStatus.DRAFT
    completed_at: Moment = None
    completed_by: Label | None = None
    actions: list[ActionEntry] = Field(default_factory=list, max_length=10_000)


class WholeTicketRecord(TicketRecord):
    """One ticket of the JSON export (version 2): a :class:`TicketRecord` plus its
    knowledge uses, major-incident rows and post-incident review."""

    knowledge_uses: list[KnowledgeUseEntry] = Field(default_factory=list, max_length=10_000)
    major_team: list[TeamChangeEntry] = Field(default_factory=list, max_length=10_000)
    major_timeline: list[TimelineEntry] = Field(default_factory=list, max_length=100_000)
    major_updates: list[UpdateEntry] = Field(default_factory=list, max_length=10_000)
    review: ReviewRecord | None = None
