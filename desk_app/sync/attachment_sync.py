"""The contents step of a sync: after the push, send the contents of this desk's new
attachments; then, when the policy says so, fetch the contents of my tickets' files
ahead of time. A content that cannot move is a warning (the next sync tries again);
the tickets' sync is not held up by it."""

import logging
from collections.abc import Callable

import psycopg

from desk_app.core.attachment_rules import AttachmentRules
from desk_app.core.errors import EnvironmentProblem
from desk_app.storage.attachment_queries import (
    contents_of_my_tickets,
    mark_sent,
    unsent_contents,
)
from desk_app.storage.attachment_store import ContentStore
from desk_app.storage.database import database
from desk_app.storage.policy_store import read_sections
from desk_app.sync.attachment_content import (
    TransferFailed,
    TransferReport,
    contents_on_server,
    download,
    upload,
)
from desk_app.sync.local import LocalRunner, run_here

log = logging.getLogger(__name__)


def local_store() -> ContentStore:
    """The open desk's attachment store."""
    return ContentStore.beside(database.database)


def share_contents(conn: psycopg.Connection, login: str, local: LocalRunner = run_here,
                   store_of: Callable[[], ContentStore] = local_store) -> TransferReport:
    """Upload what the team lacks, then prefetch my tickets' contents (policy)."""
    report = TransferReport()
    store = local(store_of)
    pending = local(unsent_contents)
    held = contents_on_server(conn, [sha for sha, _ in pending])
    sent = sorted(held)
    for sha256, size in pending:
        if sha256 in held or not store.has(sha256):
            continue  # known to the team, or another desk's file we never fetched
        try:
            report.bytes_up += upload(conn, store, sha256, size)
        except (TransferFailed, OSError, EnvironmentProblem) as error:
            report.problems.append(f"attachment {sha256[:12]}... not sent: {error}")
            continue
        report.uploaded.append(sha256)
        sent.append(sha256)
    if sent:
        local(lambda: mark_sent(sent))
    rules = local(lambda: AttachmentRules.from_section(read_sections().get("attachments")))
    if rules.prefetch_mine:
        wanted = [sha for sha, _ in local(lambda: contents_of_my_tickets(login))
                  if not store.has(sha)]
        # a content its desk has not sent yet comes at a later sync: not a problem
        ready = contents_on_server(conn, wanted)
        for sha256 in wanted:
            if sha256 not in ready:
                continue
            try:
                report.bytes_down += download(conn, store, sha256)
            except (TransferFailed, OSError, EnvironmentProblem) as error:
                report.problems.append(f"attachment {sha256[:12]}... not fetched: {error}")
                continue
            report.downloaded.append(sha256)
    for problem in report.problems:
        log.warning("%s", problem)
    return report
