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

from desk_app.core.catalogue import catalogue_id
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
    no_email = BooleanField(default=False)  # "do not email the reporter"
    satisfaction_score = IntegerField(null=True)  # the reporter's 1-5, 4-5 counts as satisfied
    satisfaction_comment = TextField(null=True)
    satisfaction_at = MillisField(null=True)
    satisfaction_source = TextField(null=True)  # "technician" (at confirmation) or "mail"
    major_manager = ForeignKeyField(Technician, null=True, column_name="major_manager_id",
                                    backref="managed_majors")
    major_bridge_link = TextField(null=True)
    major_bridge_phone = TextField(null=True)
    major_bridge_room = TextField(null=True)
    major_stakeholders = TextField(null=True)  # mail addresses, one a line


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


class TechnicianProfile(BaseModel):
    """A technician's own working preferences, keyed by the technician's id; merged
    field by field (lists are JSON text)."""

    id = TextField(primary_key=True)
    away_until = MillisField(null=True)
    calendar = TextField(null=True)
    skills = TextField(default="[]")
    muted_events = TextField(default="[]")
    quiet_hours = TextField(default="")


class AssignmentPick(BaseModel):
    """One automatic assignment of a ticket; append-only (the rotation's memory)."""

    id = TextField(primary_key=True, default=uuid7)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    group_id = TextField()
    technician_id = TextField()
    method = TextField()
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
class Attachment(BaseModel):
    """A file on a ticket; append-only. The content lives in the attachment store by its
    SHA-256 (:mod:`desk_app.storage.attachment_store`), and reaches other desks
    through the team database."""

    id = TextField(primary_key=True, default=uuid7)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    sha256 = TextField()
    name = TextField()
    content_type = TextField()
    size = IntegerField()
    at = MillisField()
    by = TextField()
    source = TextField()


class AttachmentSent(BaseModel):
    """Content this desk knows a team database (its server id) holds in full (local
    only; a desk that moves to another team sends its files there too)."""

    sha256 = TextField()
    server_id = TextField()
    at = MillisField()

    class Meta:
        primary_key = CompositeKey("sha256", "server_id")
        without_rowid = True
class CatalogueModel(BaseModel):
    """A catalogue row keyed by its name whatever its case (:func:`catalogue_id`), so
    desks that add "Email" offline make one row. Names are not changed once made."""

    natural_kind: str

    def save(self, *args, **kwargs):
        if not self.id:
            self.id = catalogue_id(self.natural_kind, self.name)
        return super().save(*args, **kwargs)


class Service(CatalogueModel):
    """A service of the catalogue, with its own SLA targets and major-incident criteria."""

    natural_kind = "service"
    id = TextField(primary_key=True)
    name = TextField(unique=True)
    criticality = TextField(default="medium")
    owner_group = TextField(null=True)  # a support group's name
    calendar = TextField(null=True)  # a policy calendar's name
    major_priorities = TextField(default="")  # "P1,P2": any of them on it is major
    sla_targets = TextField(default="")  # JSON: priority -> {response, resolution}
    notes = TextField(default="")
    retired = BooleanField(default=False)


class ConfigurationItem(CatalogueModel):
    """A configuration item: a device, a server, an application instance."""

    natural_kind = "ci"
    id = TextField(primary_key=True)
    name = TextField(unique=True)
    type = TextField(default="")
    serial = TextField(default="")
    location = TextField(default="")
    owner = TextField(default="")
    service = TextField(null=True)  # a service's name
    notes = TextField(default="")
    retired = BooleanField(default=False)


class MailImport(BaseModel):
    """A mail message imported onto a ticket (it opened it: ``outcome`` 'new', or
    replied to it: 'reply'); append-only. Its id derives from the Message-ID
    (:func:`desk_app.core.mail_in_ids.import_id`), so desks agree on it."""

    id = TextField(primary_key=True)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    message_id = TextField()
    sender = TextField(default="")
    mailbox = TextField(default="")
    outcome = TextField()
    at = MillisField()
class MailMessage(BaseModel):
    """A mail to a ticket's reporter, queued in the activity that caused it; append-only.
    Its id derives from its Message-ID (:func:`desk_app.services.mail_out.mail_row_id`);
    only the desk named by ``device_id`` sends it."""

    id = TextField(primary_key=True)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    event = TextField()
    message_id = TextField()
    device_id = TextField()
    recipient = TextField()
    subject = TextField()
    body = TextField()
    at = MillisField()
    by = TextField()


class MailOutcome(BaseModel):
    """The mark that a mail was sent, or refused for good; append-only, one per mail
    (its id derives from the mail's), so no desk sends it again."""

    id = TextField(primary_key=True)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    mail_id = TextField()
    outcome = TextField()  # sent | failed
    at = MillisField()
    detail = TextField(default="")


class MailAttempt(BaseModel):
    """This desk's tries at sending a mail that is still queued (local only)."""

    mail_id = TextField(primary_key=True)
    attempts = IntegerField(default=0)
    next_at = IntegerField(default=0)  # Unix millis: not before
    error = TextField(default="")


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


class MajorReview(BaseModel):
    """The post-incident review of one major incident (its id derives from the ticket's:
    :func:`desk_app.core.ids.natural_id`, so two desks that start it make one row); its
    sections merge field by field. The problem record it links is the ticket's own."""

    id = TextField(primary_key=True)
    ticket_id = TextField(unique=True)
    detection = TextField(default="")
    communication = TextField(default="")
    team = TextField(default="")
    resources = TextField(default="")
    process = TextField(default="")
    reporting = TextField(default="")
    status = TextField(default="draft")  # core.major_review.ReviewStatus
    completed_at = MillisField(null=True)
    completed_by = TextField(null=True)


class CorrectiveAction(BaseModel):
    """A corrective action a review decided: what, who (a technician's login), by when
    (a date), tracked to done; merges field by field."""

    id = TextField(primary_key=True, default=uuid7)
    review_id = TextField()
    ticket_id = TextField()
    text = TextField()
    owner = TextField()
    due = TextField()  # YYYY-MM-DD
    status = TextField(default="open")  # core.major_review.ActionStatus
    done_at = MillisField(null=True)
    done_by = TextField(null=True)
    created_at = MillisField()
    created_by = TextField()


class KpiSummary(BaseModel):
    """Local derived data (never synced): the KPI sums of one dimension key and UTC day
    (migration 0017, kept by triggers; desk_app.storage.kpi_summary reads it)."""

    dim = TextField()
    key = TextField()
    day = IntegerField()
    logged = IntegerField(default=0)
    open = IntegerField(default=0)
    resolved = IntegerField(default=0)
    resolve_ms = IntegerField(default=0)
    detect_resolve_ms = IntegerField(default=0)
    detected = IntegerField(default=0)
    detect_ms = IntegerField(default=0)
    sla_known = IntegerField(default=0)
    sla_met = IntegerField(default=0)
    fcr = IntegerField(default=0)
    ever_resolved = IntegerField(default=0)
    reopened = IntegerField(default=0)
    recurred = IntegerField(default=0)
    rated = IntegerField(default=0)
    satisfied = IntegerField(default=0)
    by_knowledge = IntegerField(default=0)
    minutes = IntegerField(default=0)

    class Meta:
        primary_key = CompositeKey("dim", "key", "day")
        without_rowid = True


class KpiTicketTime(BaseModel):
    """Local derived data: a ticket's worklog minutes and entries (migration 0017)."""

    ticket_id = TextField(primary_key=True)
    minutes = IntegerField(default=0)
    entries = IntegerField(default=0)

    class Meta:
        without_rowid = True


class KpiTime(BaseModel):
    """Local derived data: worklog minutes per author and UTC day of the ticket's logging."""

    day = IntegerField()
    login = TextField()
    minutes = IntegerField(default=0)
    entries = IntegerField(default=0)

    class Meta:
        primary_key = CompositeKey("day", "login")
        without_rowid = True


class MajorTeamChange(BaseModel):
    """One change of a technician's role on a major incident's team (``role`` empty:
    taken off the team); append-only. The team is each technician's latest row."""

    id = TextField(primary_key=True, default=uuid7)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    technician_id = TextField()
    role = TextField()  # core.major_incidents.TeamRole value, or ""
    at = MillisField()
    by = TextField()


class MajorTimelineEntry(BaseModel):
    """A quick entry on a major incident's timeline: an action, a decision or a note;
    append-only."""

    id = TextField(primary_key=True, default=uuid7)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    kind = TextField()  # action | decision | note
    text = TextField()
    at = MillisField()
    by = TextField()


class MajorUpdate(BaseModel):
    """A communications update of a major incident (the five parts), as sent;
    append-only. ``sequence`` counts the updates of the incident as the sending desk
    saw them (1 = the first)."""

    id = TextField(primary_key=True, default=uuid7)
    ticket = ForeignKeyField(Ticket, column_name="ticket_id")
    sequence = IntegerField()
    status = TextField()
    impact = TextField()
    actions = TextField()
    workaround = TextField()
    next_update_at = MillisField(null=True)
    final = BooleanField(default=False)
    at = MillisField()
    by = TextField()


class ReportMail(BaseModel):
    """A scheduled report mail (the weekly KPI report), local to this desk: queued by the
    watcher under its report's key, sent once across the team (the team database's
    claim names the desk that sends it); ``state``: queued, sent, failed, other_desk."""

    id = TextField(primary_key=True)
    key = TextField(unique=True)
    message_id = TextField()
    recipients = TextField()  # comma-separated addresses
    subject = TextField()
    body = TextField()
    at = MillisField()
    state = TextField(default="queued")
    detail = TextField(default="")
    attempts = IntegerField(default=0)
    next_at = IntegerField(default=0)  # Unix millis: not before


ALL_MODELS = (SupportGroup, Technician, Ticket, History, Worklog, ChecklistTick, Link,
              Notification, NotificationRead, PolicySection, NumberBlock, Meta, Outbox,
              SyncStamp, DemoRow, KnowledgeArticle, ArticleHistory, Attachment,
              AttachmentSent, Service, ConfigurationItem, MailImport, MailMessage,
              MailOutcome, MailAttempt, TechnicianProfile, AssignmentPick,
              KnowledgeUse, MajorReview, CorrectiveAction, KpiSummary, KpiTicketTime,
              KpiTime, MajorTeamChange, MajorTimelineEntry, MajorUpdate, ReportMail)
