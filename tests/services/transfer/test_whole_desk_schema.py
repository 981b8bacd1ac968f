"""The schemas of the records a version 2 export adds, against any JSON value in any of
their fields: a record is accepted, or refused with a message that starts with the
place of the field that was changed (never another error)."""

import copy
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.services.transfer.extras_schema import ArticleRecord, WholeTicketRecord
from desk_app.services.transfer.records import BadRecord, validated

ZONE = ZoneInfo("Europe/London")
AT = "2026-11-23T09:00:00+00:00"
ARTICLE = {"id": "0193a0b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", "number": "KB-7Q2MC-X0F4A",
           "title": "VPN drops", "symptoms": "", "cause": "", "solution": "Renew",
           "category": None, "service": None, "ci_type": None, "status": "published",
           "author": "alice", "source_ticket": "INC-000001", "created_at": AT,
           "updated_at": AT, "reviewed_at": None,
           "history": [{"id": None, "at": AT, "by": "alice", "field": "title", "old": None,
                        "new": "VPN drops"}]}
TICKET = {"number": "INC-000002", "type": "incident", "status": "in_progress",
          "priority": "P2", "impact": "high", "urgency": "medium", "major": True,
          "summary": "VPN down", "logged_at": AT,
          "knowledge_uses": [{"kind": "article", "target": "KB-7Q2MC-X0F4A", "at": AT,
                              "by": "alice"}],
          "major_team": [{"id": None, "technician": "bob", "role": "commander", "at": AT,
                          "by": "alice"}],
          "major_timeline": [{"id": None, "kind": "decision", "text": "Fail over", "at": AT,
                              "by": "alice"}],
          "major_updates": [{"id": None, "sequence": 1, "status": "Investigating",
                             "impact": "All", "actions": "Fail over", "workaround": "None",
                             "next_update_at": AT, "final": False, "at": AT, "by": "alice"}],
          "review": {"detection": "Alarm", "status": "draft", "completed_at": None,
                     "actions": [{"id": None, "text": "Add a check", "owner": "bob",
                                  "due": "2026-12-01", "status": "open", "done_at": None,
                                  "done_by": None, "created_at": AT,
                                  "created_by": "alice"}]}}
# (schema, record, path of a field, the place a refusal must start with)
FIELDS = [(ArticleRecord, ARTICLE, [name], name) for name in ARTICLE if name != "history"]
FIELDS += [(ArticleRecord, ARTICLE, ["history"], "history")]
FIELDS += [(ArticleRecord, ARTICLE, ["history", 0, name], "history entry 1: " + name)
           for name in ARTICLE["history"][0]]
for key in ("knowledge_uses", "major_team", "major_timeline", "major_updates"):
    FIELDS += [(WholeTicketRecord, TICKET, [key], key)]
    FIELDS += [(WholeTicketRecord, TICKET, [key, 0, name], f"{key} entry 1")
               for name in TICKET[key][0]]
FIELDS += [(WholeTicketRecord, TICKET, ["review", name], f"review: {name}")
           for name in TICKET["review"]]
FIELDS += [(WholeTicketRecord, TICKET, ["review", "actions", 0, name],
            "review: actions entry 1") for name in TICKET["review"]["actions"][0]]

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.sampled_from([AT, "2026-02-30", "KB-00000-00000", "INC-1",
                                              "commander", "", "draft", "done", "x" * 300]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=5)


def test_the_samples_are_valid():
    validated(ArticleRecord, ARTICLE, ZONE)
    validated(WholeTicketRecord, TICKET, ZONE)


def _set(record: dict, path: list, value: Any) -> dict:
    changed = copy.deepcopy(record)
    place = changed
    for step in path[:-1]:
        place = place[step]
    place[path[-1]] = value
    return changed


@settings(max_examples=400, deadline=None)
@given(field=st.sampled_from(FIELDS), value=JSON)
def test_any_value_is_accepted_or_refused_naming_its_field(field, value):
    schema, record, path, place = field
    try:
        validated(schema, _set(record, path, value), ZONE)
    except BadRecord as bad:
        assert str(bad).startswith(place), (path, value, str(bad))
