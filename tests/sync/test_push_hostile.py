"""A hostile review of the first push (CSV lines SQLite writes, version 6's plain
insert, the session's temporary buffers): framing, repeats, guards and sessions."""

import psycopg
import pytest

from desk_app.sync.remote import PUSH_TEMP_BUFFERS, _hold_a_push_in_memory


@pytest.mark.parametrize("autocommit", [True, False])
def test_a_session_that_used_temporary_tables_already_still_connects(team_db, autocommit):
    """A pooled server session may have used temporary tables before the desk asks for
    more buffers, which PostgreSQL then refuses: the desk keeps the session's buffers
    and the session stays usable."""
    with psycopg.connect(team_db.url("tech_kim"), autocommit=autocommit) as conn:
        conn.execute("CREATE TEMP TABLE used_before (a int)")
        conn.execute("INSERT INTO used_before VALUES (1)")
        conn.commit()
        _hold_a_push_in_memory(conn)
        assert conn.execute("SELECT pg_size_bytes(current_setting('temp_buffers'))"
                            ).fetchone()[0] < PUSH_TEMP_BUFFERS
        assert conn.execute("SELECT count(*) FROM used_before").fetchone()[0] == 1
