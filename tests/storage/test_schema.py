from pathlib import Path

import desk_app.storage.migrations
from desk_app.storage.database import database
from desk_app.storage.models import ALL_MODELS

MIGRATIONS = Path(desk_app.storage.migrations.__file__).parent


def test_migrated_schema_matches_the_models(desk):
    for model in ALL_MODELS:
        table = model._meta.table_name
        actual = {c.name for c in database.get_columns(table)}
        expected = {f.column_name for f in model._meta.sorted_fields}
        assert actual == expected, table


def test_pragmas(desk):
    pragma = lambda name: database.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("synchronous") == 2  # FULL: unsynced work survives power loss


def test_reopening_an_existing_database_applies_nothing_again(desk, tmp_path, clock):
    from desk_app.app import open_desk

    again = open_desk(tmp_path / "data", login="alice", now_fn=clock)
    assert again.first_run is False
    applied = [r[0] for r in database.execute_sql("SELECT name FROM schema_migration")]
    scripts = sorted(p.stem for p in MIGRATIONS.glob("0*.py"))
    assert scripts[:5] == ["0001_initial", "0002_sync", "0003_demo_marker",
                           "0004_recorded_author", "0005_notifications"]
    assert applied == scripts  # each once, in order
