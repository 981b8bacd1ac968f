"""What syncs: the tables, how each merges, and the order new rows are pushed in."""

from dataclasses import dataclass
from functools import cached_property

from peewee import Model

from desk_app.storage.models import (
    ArticleHistory,
    AssignmentPick,
    Attachment,
    ChecklistTick,
    ConfigurationItem,
    CorrectiveAction,
    History,
    KnowledgeArticle,
    KnowledgeUse,
    Link,
    MailImport,
    MailMessage,
    MailOutcome,
    MajorReview,
    MajorTeamChange,
    MajorTimelineEntry,
    MajorUpdate,
    Notification,
    NotificationRead,
    PolicySection,
    Service,
    SupportGroup,
    Technician,
    TechnicianProfile,
    Ticket,
    Worklog,
)
from desk_app.storage.rows import columns_of


@dataclass(frozen=True)
class Entity:
    """A synced table. ``appended`` rows belong to a ticket and merge by union; the
    others merge field by field."""

    model: type[Model]
    appended: bool = False
    rank: int = 0  # new rows of lower rank are pushed first (they are referred to)
    long_text: frozenset[str] = frozenset()

    @cached_property
    def name(self) -> str:
        return self.model._meta.table_name

    @cached_property
    def key(self) -> str:
        return self.model._meta.primary_key.column_name

    @cached_property
    def columns(self) -> tuple[str, ...]:
        return columns_of(self.model)


ENTITIES: dict[str, Entity] = {e.name: e for e in (
    Entity(SupportGroup, rank=0),
    Entity(PolicySection, rank=0),
    Entity(Technician, rank=1),
    Entity(Ticket, rank=2, long_text=frozenset({"description", "resolution_notes",
                                                 "root_cause", "workaround"})),
    Entity(History, appended=True, rank=3),
    Entity(Worklog, appended=True, rank=3),
    Entity(ChecklistTick, appended=True, rank=3),
    Entity(Link, appended=True, rank=3),
    Entity(Notification, appended=True, rank=3),
    Entity(NotificationRead, appended=True, rank=4),
    # Article history rows are new rows with client-made ids, never changed: as a
    # mutable entity they merge by union (a ticket-appended entity needs a ticket_id).
    Entity(KnowledgeArticle, rank=2, long_text=frozenset({"symptoms", "cause", "solution"})),
    Entity(ArticleHistory, rank=3),
    Entity(Attachment, appended=True, rank=3),
    Entity(Service, rank=0),
    Entity(ConfigurationItem, rank=0),
    Entity(MailImport, appended=True, rank=3),
    Entity(MailMessage, appended=True, rank=3),
    Entity(MailOutcome, appended=True, rank=4),
    Entity(TechnicianProfile, rank=2),
    Entity(AssignmentPick, appended=True, rank=3),
    Entity(KnowledgeUse, appended=True, rank=3),
    # Review sections are plain last-writer-wins fields (the review's history is the
    # ticket's: each edit is a history row there, so a losing text is still on record).
    Entity(MajorReview, rank=3),
    Entity(CorrectiveAction, rank=4),
    Entity(MajorTeamChange, appended=True, rank=3),
    Entity(MajorTimelineEntry, appended=True, rank=3),
    Entity(MajorUpdate, appended=True, rank=3),
)}

MUTABLE = tuple(e for e in ENTITIES.values() if not e.appended)
APPENDED = tuple(e for e in ENTITIES.values() if e.appended)
APPENDED_NAMES = frozenset(e.name for e in APPENDED)


def owner(entity_name: str, row_id: str) -> tuple[str, str]:
    """The row a change belongs to for verification and repair: appended rows belong
    to their ticket (their changes carry the ticket id as row id)."""
    return ("ticket", row_id) if entity_name in APPENDED_NAMES else (entity_name, row_id)


def entity(name: str) -> Entity:
    """The synced table ``name``; anything else is refused (names come from the wire)."""
    try:
        return ENTITIES[name]
    except KeyError:
        raise ValueError(f"entity: {name!r} is not a synced table") from None
