"""The README's picture of a post-incident review: a P1 major incident resolved with a
workaround, its review half written, a problem record raised and two corrective actions
(one done), written inside the screenshot run's rehearsal so nothing of it stays."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from desk_app.services import major_review
from desk_app.services.intake import NewTicket, log_ticket
from desk_app.services.workflow import resolve, start_work
from desk_app.ui.driving import run_on_worker, wait_until
from desk_app.ui.major_review import ReviewForm

SHOT = "12-major-review.png"


def _reviewed_major(session: Any) -> str:
    """A worked major incident with a review in progress; returns its number."""
    now = session.now_fn()
    number = log_ticket(session, NewTicket(
        summary="Email down for every user: mailbox servers unreachable",
        description="Outlook and webmail fail for everyone since 07:40.",
        reporter="Dana Whitfield", contact="dana.whitfield@example.com", channel="phone",
        service="Email", impact="high", urgency="high",
        detected_at=now - timedelta(minutes=25), category="Email",
        subcategory="Mailbox")).number
    start_work(session, number)
    resolve(session, number, "workaround", "Solved (work around)",
            "Traffic moved to the standby mailbox server; the primary needs a new disk.",
            may_recur=True)
    major_review.edit_review(
        session, number,
        detection="Found by users calling the desk 20 minutes after the disk failed; the "
                  "storage alarm went to an unread mailbox. A storage alert to the on-call "
                  "phone would have found it at once.",
        communication="Stakeholders heard by mail 12 minutes after the declaration; the "
                      "status page was updated only once.",
        team="Commander, communications lead and two messaging resolvers; the vendor "
             "joined the bridge after an hour.")
    major_review.link_review_problem(session, number, create=True)
    owner = session.login
    today = now.date()
    major_review.add_action(session, number, "Route storage alarms to the on-call phone",
                            owner, (today + timedelta(days=7)).isoformat())
    done = major_review.add_action(session, number, "Status page update in the comms "
                                   "checklist", owner, (today + timedelta(days=3)).isoformat())
    major_review.add_action(session, number, "Replace the mailbox server's failed disk",
                            owner, (today + timedelta(days=14)).isoformat())
    major_review.mark_action_done(session, number, major_review.action_ref(done.id))
    return number


def review_shot(worker: Any, session: Any, out_dir: Path) -> str:
    """Write the review form's picture; returns its path."""
    number = run_on_worker(worker, lambda: _reviewed_major(session))
    form = ReviewForm(number, worker, session)
    form.resize(1240, 860)
    form.show()
    wait_until(lambda: worker.idle and form.view is not None)
    QApplication.processEvents()
    path = out_dir / SHOT
    if not form.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    form.close()
    form.deleteLater()
    return str(path)
