"""A desk exported to JSON and imported into an empty desk comes back whole: tickets,
knowledge articles and their history, knowledge uses, major-incident rows, reviews and
corrective actions; a second import brings nothing twice; an older (version 1) export
still imports."""

import json

import pytest

from desk_app.app import open_desk
from desk_app.core.errors import BatchRefused
from desk_app.services.intake import log_ticket
from desk_app.services.search import search
from desk_app.services.transfer.files import import_file
from desk_app.storage.models import CorrectiveAction, KnowledgeArticle, MajorReview, Outbox

from ...conftest import new_ticket
from .whole_desk import TABLES, build_desk, exported, table_rows


def test_every_table_comes_back_whole_in_an_empty_desk(session, clock, tmp_path, desk):
    build_desk(session, clock)
    document = exported(session)
    assert document["version"] == 2 and len(document["articles"]) == 2
    before = table_rows()
    assert all(before[table] for table in TABLES)  # the desk holds every kind
    path = tmp_path / "desk.json"
    path.write_text(json.dumps(document))
    desk.close()

    other = open_desk(tmp_path / "other", login="alice", now_fn=clock)
    try:
        result = import_file(other.session, path)
        assert (result.imported, result.articles) == (len(document["tickets"]), 2)
        after = table_rows()
        for table in TABLES:
            assert after[table] == before[table], table
        assert exported(other.session) == document
        found = search(other.session, "certificate", kind="article")
        assert [hit.label for hit in found] == [document["articles"][0]["number"]]
        queued = {(e, r) for e, r in Outbox.select(Outbox.entity, Outbox.row_id).tuples()}
        own_rows = [("knowledge_article", a) for (a,) in KnowledgeArticle.select(
            KnowledgeArticle.id).tuples()]
        own_rows += [("major_review", r) for (r,) in MajorReview.select(MajorReview.id).tuples()]
        own_rows += [("corrective_action", a) for (a,) in CorrectiveAction.select(
            CorrectiveAction.id).tuples()]
        assert set(own_rows) <= queued  # they reach the team database

        with pytest.raises(BatchRefused) as err:  # a second import brings nothing twice
            import_file(other.session, path)
        reasons = [str(problem) for problem in err.value.problems]
        assert any("article 1 (KB-" in r and "already on this desk" in r for r in reasons)
        skipped = import_file(other.session, path, skip_bad=True)
        assert (skipped.imported, skipped.articles) == (0, 0)
        assert table_rows() == after
    finally:
        other.close()


def test_a_version_1_export_still_imports(session, clock, tmp_path):
    log_ticket(session, new_ticket())
    document = exported(session)
    old = {"format": "desk-app tickets", "version": 1, "tickets": [
        {key: value for key, value in ticket.items() if key not in (
            "knowledge_uses", "major_team", "major_timeline", "major_updates", "review")}
        for ticket in document["tickets"]]}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    other = open_desk(tmp_path / "other", login="alice", now_fn=clock)
    try:
        result = import_file(other.session, path)
        assert (result.imported, result.articles) == (1, 0)
        assert exported(other.session)["tickets"] == document["tickets"]
    finally:
        other.close()
