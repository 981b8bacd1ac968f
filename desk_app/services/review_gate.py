"""The closure rule of major incidents: with the policy's ``major_review.required``
(the default), a major incident stays open until its post-incident review is complete."""

from typing import Any

from desk_app.core.errors import Refused
from desk_app.core.ids import natural_id
from desk_app.core.major_review import ReviewStatus
from desk_app.core.policy import Policy
from desk_app.storage.models import MajorReview, Ticket


def review_required(sections: dict[str, Any]) -> bool:
    """Whether the policy keeps a major incident open until its review is complete."""
    return bool((sections.get("major_review") or {}).get("required", True))


def review_missing(ticket: Ticket, policy: Policy) -> str | None:
    """Why the ticket may not close yet for want of its review, or None when it may."""
    if not ticket.major or not review_required(policy.sections):
        return None
    row = MajorReview.get_or_none(MajorReview.id == natural_id("major_review", ticket.id))
    if row is not None and row.status == ReviewStatus.COMPLETE:
        return None
    state = "has not been started" if row is None else "is still a draft"
    return f"post-incident review {state}"


def check_review_before_closure(ticket: Ticket, policy: Policy) -> None:
    """Refuse, naming ``review``, to close a major incident whose review the policy
    requires and which is missing or still a draft."""
    missing = review_missing(ticket, policy)
    if missing is not None:
        raise Refused("review", f"{ticket.number} is a major incident: its {missing}; "
                                f"complete it before closing (desk-app review show "
                                f"{ticket.number})")
