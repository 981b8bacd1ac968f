"""Hostile input for the records a version 2 export adds: each bad article, knowledge
use, major-incident row or review is refused naming the file, the record and the
field, and nothing at all is written."""

import copy
import json

import pytest

from desk_app.app import open_desk
from desk_app.core.errors import BatchRefused, InvalidValue
from desk_app.services.transfer.files import import_file

from .whole_desk import build_desk, exported, table_rows


@pytest.fixture
def document(session, clock):
    """The export of a desk with every kind of row."""
    numbers = build_desk(session, clock)
    return numbers, exported(session)


@pytest.fixture
def other(document, tmp_path, clock):
    """An empty desk to import into (opened after the export was made)."""
    desk = open_desk(tmp_path / "other", login="alice", now_fn=clock)
    yield desk
    desk.close()


def ticket(document: dict, number: str) -> dict:
    return next(t for t in document["tickets"] if t["number"] == number)


def refusals(other, tmp_path, document: dict) -> list[str]:
    """Why importing ``document`` is refused (asserting that nothing was written)."""
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document))
    before = table_rows()
    with pytest.raises(BatchRefused) as err:
        import_file(other.session, path)
    assert table_rows() == before
    return [str(problem) for problem in err.value.problems]


def check(other, tmp_path, base: dict, cases) -> None:
    """Each (change, expected message) refuses the file with a problem holding it."""
    for change, expected in cases:
        bad = copy.deepcopy(base)
        change(bad)
        found = refusals(other, tmp_path, bad)
        assert any(expected in reason for reason in found), (expected, found)


def test_bad_articles_are_refused_naming_article_and_field(document, other, tmp_path):
    _, base = document
    first = base["articles"][0]["number"]

    def set_field(name, value, index=0):
        return lambda d: d["articles"][index].__setitem__(name, value)

    def twice(d):
        d["articles"].append(dict(d["articles"][0], id=None, history=[]))

    def same_id(d):
        d["articles"][1]["id"] = d["articles"][0]["id"]

    def history_twice(d):
        entries = d["articles"][0]["history"]
        entries.append(dict(entries[0]))

    def history(d):
        del d["articles"][0]["history"][0]["field"]

    check(other, tmp_path, base, [
        (lambda d: d["articles"][0].pop("title"), f"article 1 ({first}): title: is required"),
        (set_field("number", 123), "number: must be an article number as text"),
        (set_field("number", "KB-1"), "number: 'KB-1' is not an article number"),
        (set_field("status", "lost"), "status: must be one of"),
        (set_field("created_at", "yesterday"), "created_at: 'yesterday' is not an ISO"),
        (set_field("created_at", "2999-01-01T00:00:00+00:00"), "created_at: is in the future"),
        (set_field("author", ["bob"]), "author: must be text"),
        (set_field("colour", "red"), "colour: is not a field of this format"),
        (history, "history entry 1: field: is required"),
        (history_twice, "article history id"),
        (set_field("source_ticket", "INC-999999", 1),
         "source_ticket: INC-999999 is neither in the import nor on this desk"),
        (twice, f"article 3 ({first}): number: {first} appears twice (first at article 1)"),
        (same_id, "article id"),
        (lambda d: d["articles"].append("x"), "article 3: must be an object of article"),
    ])
    path = tmp_path / "not-a-list.json"
    path.write_text(json.dumps(dict(base, articles="x")))
    with pytest.raises(InvalidValue, match="articles: must be a list"):
        import_file(other.session, path)


def test_bad_knowledge_uses_are_refused(document, other, tmp_path):
    numbers, base = document
    incident = numbers["incident"]

    def use(index, **values):
        return lambda d: ticket(d, incident)["knowledge_uses"][index].update(values)

    def duplicate(d):
        uses = ticket(d, incident)["knowledge_uses"]
        uses.append(dict(uses[0]))

    def drop_articles(d):
        d["articles"] = []

    check(other, tmp_path, base, [
        (use(0, kind="magic"), "knowledge_uses entry 1: kind: must be one of"),
        (use(0, at=None), "knowledge_uses entry 1: at: is required"),
        (use(0, by=7), "knowledge_uses entry 1: by: must be text"),
        (use(0, target="INC-000001", kind="article"), "is not an article number"),
        (use(0, target=None, kind="ticket"), "target: must be a ticket number as text"),
        (use(0, target="KB-00000-00000", kind="article"),
         "knowledge_uses article: KB-00000-00000 is neither in the import nor on this desk"),
        (use(0, target="PRB-999999", kind="known_error"),
         "knowledge_uses known_error: PRB-999999 is neither"),
        (duplicate, "appears twice (first in entry 1)"),
        # its article refused: the ticket that names it goes too
        (drop_articles, f"({incident}): knowledge_uses article: "),
    ])


def test_bad_major_rows_are_refused(document, other, tmp_path):
    numbers, base = document
    major = numbers["major"]

    def entry(key, index=0, **values):
        return lambda d: ticket(d, major)[key][index].update(values)

    def twice(key):
        return lambda d: ticket(d, major)[key].append(dict(ticket(d, major)[key][0]))

    check(other, tmp_path, base, [
        (entry("major_team", role="boss"), "major_team entry 1: role: 'boss' is not one of"),
        (lambda d: ticket(d, major)["major_team"][0].pop("technician"),
         "major_team entry 1: technician: is required"),
        (entry("major_team", id="not-an-id"), "id: 'not-an-id' is not an id"),
        (twice("major_team"), "id"),
        (entry("major_timeline", kind="rumour"), "major_timeline entry 1: kind: must be one of"),
        (entry("major_timeline", text=""), "major_timeline entry 1: text: is required"),
        (entry("major_timeline", at="2999-01-01T00:00:00"),
         "major_timeline entry 1: at: is in the future"),
        (entry("major_updates", sequence=0), "major_updates entry 1: sequence: must be at least 1"),
        (entry("major_updates", final="maybe"), "final: must be true or false"),
        (entry("major_updates", next_update_at=12), "next_update_at: must be an ISO 8601"),
        (twice("major_updates"), "appears twice in this record"),
        (lambda d: ticket(d, major).__setitem__("major_updates", {}),
         "major_updates: must be a list"),
    ])


def test_bad_reviews_are_refused(document, other, tmp_path):
    numbers, base = document
    major = numbers["major"]

    def review(**values):
        return lambda d: ticket(d, major)["review"].update(values)

    def action(index=0, **values):
        return lambda d: ticket(d, major)["review"]["actions"][index].update(values)

    def shared_action(d):
        other_ticket = ticket(d, numbers["incident"])
        other_ticket["review"] = dict(ticket(d, major)["review"])

    check(other, tmp_path, base, [
        (lambda d: ticket(d, major).__setitem__("review", []), "review: must be an object"),
        (review(status="done"), "review: status: must be one of"),
        (review(blame="Bob"), "review: blame: is not a field of this format"),
        (review(detection=5), "review: detection: must be text"),
        (review(completed_at="2999-01-01T00:00:00"), "review: completed_at: is in the future"),
        (action(due="2026-02-30"), "review: actions entry 1: due: '2026-02-30' is not a date"),
        (action(due=20261201), "is not a date (YYYY-MM-DD)"),
        (action(owner=""), "review: actions entry 1: owner: is required"),
        (action(status="half"), "review: actions entry 1: status: must be one of"),
        (lambda d: ticket(d, major)["review"]["actions"][0].pop("created_at"),
         "review: actions entry 1: created_at: is required"),
        (shared_action, "actions id"),
    ])


def test_major_row_ids_already_on_the_desk_are_refused(document, session, tmp_path):
    """An article or a ticket's rows imported again under another number keep their ids:
    refused."""
    numbers, base = document
    record = dict(ticket(base, numbers["major"]), id=None, number="INC-777777", history=[],
                  worklog=[], ticks=[], links=[], review=None)
    article = dict(base["articles"][0], number="KB-00000-00001")
    path = tmp_path / "again.json"
    path.write_text(json.dumps({"articles": [article], "tickets": [record]}))
    with pytest.raises(BatchRefused) as err:
        import_file(session, path)
    reasons = sorted(str(problem) for problem in err.value.problems)
    assert reasons[0].startswith("again.json: article 1 (KB-00000-00001): article id ")
    assert reasons[0].endswith("is already on this desk")
    assert "(INC-777777): major_" in reasons[1] and "is already on this desk" in reasons[1]
