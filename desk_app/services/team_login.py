"""Who acts on a desk that has joined a team: the login it syncs with.

The team database records the login that pushed each change as its author, so a team
desk works as that login only. ``--as`` (or DESK_APP_TECHNICIAN) names who works on a
desk that has no team; on a team desk ``--as`` may only name the sync login. To work as
another login, set the remote to that login with its password (``desk-app remote set
postgresql://OTHER:PASSWORD@host/db``): the server checks the password at every sync.
"""

import json

from desk_app.core.errors import Refused
from desk_app.storage.meta import get_meta


def team_login() -> str | None:
    """The login this desk syncs with once it has joined a team database (None before
    its first sync, or without a team)."""
    remote = get_meta("remote")
    if not remote or not get_meta("server_id"):
        return None
    return json.loads(remote)["user"]


def acting_login(requested: str | None, default: str) -> str:
    """The technician who acts: the sync login on a team desk (refusing ``--as`` for
    anyone else), else ``requested`` or ``default``."""
    joined = team_login()
    if joined is None:
        return requested or default
    if requested and requested != joined:
        raise Refused("technician", f"this desk works for its team as {joined}, the login "
                      f"it syncs with; it cannot act as {requested}. To work as "
                      f"{requested}, run: desk-app remote set "
                      f"postgresql://{requested}:PASSWORD@HOST/DATABASE (after a sync)")
    return joined
