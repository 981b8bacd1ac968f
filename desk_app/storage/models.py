"""The local tables. The schema itself is made by the numbered migrations; these
models must match it (tests/storage/test_schema.py checks)."""

from peewee import (
    BooleanField,
    CompositeKey,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from desk_app.core.ids import natural_id, uuid7
from desk_app.storage.database import database
from desk_app.storage.fields import MillisField


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class NaturalKeyModel(BaseModel):
    """A row whose id derives from a natural key (:func:`natural_id`), so devices that
    create the same one offline agree on its id. Subclasses name the kind and field."""

    natural_kind: str
    natural_field: str

    def save(self, *args, **kwargs):
        if not self.id:
            self.id = natural_id(self.natural_kind, getattr(self, self.natural_field))
        return super().save(*args, **kwargs)


class SupportGroup(NaturalKeyModel):
    """Keyed by its name."""

    natural_kind, natural_field = "group", "name"
    id = TextField(primary_key=True)
    name = TextField(unique=True)
    level = TextField()


class Technician(NaturalKeyModel):
    """Keyed by the login."""

    natural_kind, natural_field = "technician", "login"
    id = TextField(primary_key=True)
    login = TextField(unique=True)
    name = TextField()
    email = TextField(default="")
    role = TextField()
    group = ForeignKeyField(SupportGroup, null=True, column_name="group_id")
    active = BooleanField(default=True)


class Ticket(BaseModel):
    id = TextField(primary_key=True, default=uuid7)
    number = TextField(unique=True)
    type = TextField()
    status = TextField()
    hold_reason = TextField(null=True)
    impact = TextField()
    urgency = TextField()
    priority = TextField()
    major = BooleanField(default=False)
    summary = TextField()
    description = TextField(default="")
    category = TextField(null=True)
    subcategory = TextField(null=True)
    service = TextField(null=True)
    ci = TextField(null=True)
    group = ForeignKeyField(SupportGroup, null=True, column_name="group_id")
    assignee = ForeignKeyField(Technician, null=True, column_name="assignee_id")
    support_level = TextField(default="L1")
    hierarchic_level = IntegerField(default=0)
    reporter = TextField(null=True)
    contact = TextField(null=True)
    channel = TextField(null=True)
    detected_at = MillisField(null=True)
    logged_at = MillisField()
    logged_by = TextField(null=True)
    responded_at = MillisField(null=True)
    resolved_at = MillisField(null=True)
    closed_at = MillisField(null=True)
    updated_at = MillisField()
    response_due = MillisField(null=True)
    resolution_due = MillisField(null=True)
    sla_stopped_since = MillisField(null=True)
    sla_stopped_ms = IntegerField(default=0)
    response_breached = BooleanField(default=False)  # recorded once, when it happened
    resolution_breached = BooleanField(default=False)
    reassignment_count = IntegerField(default=0)
    escalation_count = IntegerField(default=0)
    reopen_count = IntegerField(default=0)
    resolution_type = TextField(null=True)
    resolution_code = TextField(null=True)
    resolution_notes = TextField(null=True)
    resolved_by = TextField(null=True)
    may_recur = BooleanField(default=False)
    confirmation = TextField(null=True)
    problem_decision = TextField(null=True)
    knowledge = TextField(null=True)
    cancel_reason = TextField(null=True)
    problem = ForeignKeyField("self", null=True, column_name="problem_id",
                              backref="incidents")
    parent = ForeignKeyField("self", null=True, column_name="parent_id", backref="children")
    problem_ref = TextField(null=True)  # a problem known only by another system's label
    rfc = TextField(null=True)
    root_cause = TextField(null=True)  # problems
    workaround = TextField(null=True)  # problems
    problem_status = TextField(null=True)  # problems: core.problems.ProblemStatus
    problem_reason = TextField(null=True)  # why no problem record (an incident manager's)
    article_id = TextField(null=True)  # the knowledge article the closure updated


class History(BaseModel):
    """One changed field of one ticket; append-only."""

    id = TextField(primary_key=True, default=uuid7)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    at = MillisField()
    by = TextField()
    field = TextField()
    old = TextField(null=True)
    new = TextField(null=True)


class Worklog(BaseModel):
    """A note, call, email or visit on a ticket; append-only."""

    id = TextField(primary_key=True, default=uuid7)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    at = MillisField()
    by = TextField()
    kind = TextField()
    note = TextField()
    minutes = IntegerField(default=0)


class ChecklistTick(BaseModel):
    id = TextField(primary_key=True, default=uuid7)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    checklist = TextField()
    item = TextField()
    at = MillisField()
    by = TextField()


class Link(BaseModel):
    id = TextField(primary_key=True, default=uuid7)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    kind = TextField()
    target = ForeignKeyField(Ticket, column_name="target_id")
    at = MillisField()
    by = TextField()


class Notification(BaseModel):
    """Something the desk tells one technician about a ticket; append-only. Its id comes
    from :func:`desk_app.core.notice_ids.notification_id`, so desks agree on it."""

    id = TextField(primary_key=True)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    technician_id = TextField()
    event = TextField()
    at = MillisField()
    text = TextField(default="")


class NotificationRead(BaseModel):
    """The mark that a notification has been read; append-only, one per notification
    (:func:`desk_app.core.notice_ids.read_mark_id`)."""

    id = TextField(primary_key=True)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    notification_id = TextField()
    at = MillisField()


class PolicySection(BaseModel):
    key = TextField(primary_key=True)
    value = TextField()  # JSON
    updated_at = MillisField()
    updated_by = TextField()


class NumberBlock(BaseModel):
    """A range of ticket numbers this device may issue."""

    id = TextField(primary_key=True, default=uuid7)
    prefix = TextField()
    first = IntegerField()
    last = IntegerField()
    next = IntegerField()


class Meta(BaseModel):
    key = TextField(primary_key=True)
    value = TextField()


class Outbox(BaseModel):
    """A change waiting to be pushed to the team database.

    ``field`` is NULL for a whole new row (its values are read when it is pushed) and
    for appended rows of a ticket (``row_id`` the ticket, ``value`` their ids); see
    :mod:`desk_app.storage.outbox`.
    """

    op_id = TextField(primary_key=True)
    entity = TextField()
    row_id = TextField()
    field = TextField(null=True)
    value = TextField(null=True)
    hlc = TextField()
    device_id = TextField()


class RecordedAuthor(BaseModel):
    """The login the team database recorded for a synced row (the first change that
    brought it): appended rows by table and id, a ticket's logging as ("ticket", id),
    its resolution as ("ticket.resolved_by", id)."""

    entity = TextField()
    row_id = TextField()
    author = TextField()

    class Meta:
        primary_key = CompositeKey("entity", "row_id")


class SyncStamp(BaseModel):
    """The clock of the change that last set a field (written when a change is pulled
    or when our own change has been pushed): a pulled change older than this loses."""

    entity = TextField()
    row_id = TextField()
    field = TextField()
    hlc = TextField()

    class Meta:
        primary_key = CompositeKey("entity", "row_id", "field")
        without_rowid = True


class DemoRow(BaseModel):
    """A row the demo made (a ticket or a technician). Local only: it never syncs, so
    a desk can tell its demo tickets from real work before they reach a team."""

    entity = TextField()
    row_id = TextField()

    class Meta:
        primary_key = CompositeKey("entity", "row_id")
        without_rowid = True


class KnowledgeArticle(BaseModel):
    """A knowledge article (Markdown texts); merges field by field like a ticket."""

    id = TextField(primary_key=True, default=uuid7)
    number = TextField()
    title = TextField()
    symptoms = TextField(default="")
    cause = TextField(default="")
    solution = TextField(default="")
    category = TextField(null=True)
    service = TextField(null=True)
    ci_type = TextField(null=True)
    status = TextField()
    author = TextField()
    source_ticket_id = TextField(null=True)
    created_at = MillisField()
    updated_at = MillisField()
    reviewed_at = MillisField(null=True)


class ArticleHistory(BaseModel):
    """One changed field of one article; rows are only ever added."""

    id = TextField(primary_key=True, default=uuid7)
    article = ForeignKeyField(KnowledgeArticle, column_name="article_id")
    at = MillisField()
    by = TextField()
    field = TextField()
    old = TextField(null=True)
    new = TextField(null=True)


class KnowledgeUse(BaseModel):
    """"This solved it": the article, known error or past ticket whose text resolved a
    ticket; append-only, one per (ticket, kind, target) by its id
    (:func:`desk_app.core.ids.natural_id`), so two desks that record it make one."""

    id = TextField(primary_key=True)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    kind = TextField()  # article, known_error or ticket
    target_id = TextField()
    at = MillisField()
    by = TextField()


ALL_MODELS = (SupportGroup, Technician, Ticket, History, Worklog, ChecklistTick, Link,
              Notification, NotificationRead, PolicySection, NumberBlock, Meta, Outbox,
              SyncStamp, DemoRow, KnowledgeArticle, ArticleHistory, KnowledgeUse)
