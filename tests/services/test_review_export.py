"""The review as Markdown: every section with its question, the timeline with what is
not recorded, the actions as a table whose cells survive pipes and line breaks."""

from desk_app.core.major_review import SECTIONS
from desk_app.services.review_export import NOT_RECORDED, review_markdown

VIEW = {
    "number": "INC-000042", "summary": "VPN | down", "priority": "P1",
    "ticket_status": "closed", "status": "complete", "completed_by": "meg",
    "completed_at": "2026-11-24T10:00:00+00:00", "problem": "PRB-000007",
    "sections": {s.key: f"{s.title} text" for s in SECTIONS} | {"reporting": ""},
    "timeline": [{"key": "detected", "label": "Detected", "at": "2026-11-23T08:30:00+00:00"},
                 {"key": "first_update", "label": "First update", "at": None}],
    "actions": [{"ref": "a1b2c3", "text": "Fix | the\nalarm", "owner": "amy",
                 "due": "2026-11-30", "status": "open", "overdue": True,
                 "done_at": None, "done_by": None}],
}


def test_the_markdown_holds_every_part_of_the_review():
    text = review_markdown(VIEW)
    assert text.startswith("# Post-incident review: INC-000042\n")
    assert "- Review: Complete (meg, 2026-11-24 10:00)" in text
    assert "- Problem record: PRB-000007" in text
    assert "| Detected | 2026-11-23 08:30 |" in text
    assert f"| First update | {NOT_RECORDED} |" in text
    for section in SECTIONS:
        assert f"## {section.title}\n\n*{section.questions}*" in text
    assert "Detection text" in text and "*(not written yet)*" in text  # reporting
    assert "| a1b2c3 | Fix \\| the alarm | amy | 2026-11-30 | Overdue |" in text


def test_a_review_without_actions_says_so():
    assert "None recorded." in review_markdown({**VIEW, "actions": []})
