"""The README's team set-up, followed as written: the administrator's SQL (run by an
administrator with CREATEROLE and CREATEDB but no superuser, as on a managed service),
then ``server init``, ``server add-user``, ``remote set`` and ``sync``, against a real
PostgreSQL, with an owner and logins that are not superusers. Names are made unique
(roles are shared by the whole test server); the host becomes the test server's socket
and TLS is off (the test server has no certificate)."""

import json
import re
import shlex
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import psycopg
import pytest

from tests.team_database import ensure_login

README = Path(__file__).parents[2] / "README.md"
LOG = ["log", "--summary", "Mail will not send", "--description", "Since this morning",
       "--reporter", "Ann", "--contact", "ann@example.com", "--channel", "email",
       "--service", "Mail", "--impact", "low", "--urgency", "low",
       "--category", "Software", "--subcategory", "Office suite"]


def _team_section() -> str:
    """The set-up part of the team section (backups, copies and leaving follow it)."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## Team database")
    return text[start:text.index("### Backups and restores", start)]


def _blocks() -> list[list[str]]:
    """The indented code blocks of the README's team section, as lists of lines."""
    blocks, current = [], []
    for line in _team_section().splitlines():
        if line.startswith("    "):
            current.append(line[4:])
        elif line.strip() or not current:
            if current:
                blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


class Readme:
    """The README's set-up with this test's names and server."""

    def __init__(self, postgres_url: str) -> None:
        self.superuser = postgres_url
        params = psycopg.conninfo.conninfo_to_dict(postgres_url)
        self.host, self.port = params.get("host", "127.0.0.1"), params.get("port", "5432")
        tag = uuid.uuid4().hex[:8]
        self.administrator = f"cloud_{tag}"
        ensure_login(postgres_url, self.administrator, "LOGIN CREATEROLE CREATEDB")
        self.names = {"team_desk_technician": f"team_{tag}_technician",
                      "team_desk_admin": f"team_{tag}_admin",
                      "team_desk": f"team_{tag}", "desk_owner": f"owner_{tag}",
                      "kim": f"kim_{tag}", "ada": f"ada_{tag}"}

    def text(self, line: str) -> str:
        for word, name in self.names.items():
            line = re.sub(rf"\b{word}\b", name, line)
        return re.sub(r"@db\.example\.com/(\w+)\?sslmode=verify-full",
                      lambda m: f"@/{m[1]}?host={quote(self.host, safe='')}&port={self.port}"
                                "&sslmode=disable", line)

    def sql(self, block: list[str]) -> None:
        """Run an administrator's SQL block as an administrator that is no superuser."""
        url = psycopg.conninfo.make_conninfo(self.superuser, user=self.administrator)
        with psycopg.connect(url, autocommit=True) as conn:
            for statement in " ".join(block).split(";"):
                if statement.strip():
                    conn.execute(self.text(statement))

    def command(self, line: str) -> list[str]:
        assert line.startswith("desk-app "), line
        return shlex.split(self.text(line))[1:]

    def drop(self) -> None:
        with psycopg.connect(self.superuser, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.names["team_desk"]}" WITH (FORCE)')
            for word in ("kim", "ada", "team_desk_admin", "team_desk_technician",
                         "desk_owner"):
                conn.execute(f'DROP ROLE IF EXISTS "{self.names[word]}"')
            conn.execute(f'DROP ROLE IF EXISTS "{self.administrator}"')


@pytest.fixture
def readme(postgres_url, monkeypatch):
    setup = Readme(postgres_url)
    # add-user asks for the password on a terminal, as it would for the administrator
    monkeypatch.setattr("sys.stdin", SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr("desk_app.cli.sync_commands.getpass.getpass", lambda _: "pw")
    yield setup
    setup.drop()


def _sql_blocks() -> list[list[str]]:
    return [b for b in _blocks() if b[0].startswith("SET password_encryption")]


def _commands(starting: str) -> list[str]:
    return [line for block in _blocks() for line in block if line.startswith(starting)]


def _no_superuser(readme: Readme) -> None:
    with psycopg.connect(readme.superuser, autocommit=True) as conn:
        names = [readme.names[w] for w in ("desk_owner", "kim", "ada")]
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s) "
                            "AND rolsuper", (names,)).fetchone()[0] == 0


def _desk(monkeypatch, tmp_path: Path, name: str) -> None:
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(tmp_path / name))


def test_the_plain_server_set_up_as_the_readme_says(run, readme, tmp_path, monkeypatch):
    plain = _sql_blocks()[0]
    assert "CREATE ROLE desk_owner LOGIN CREATEROLE PASSWORD 'owner-password';" in plain
    readme.sql(plain)
    owner_steps = [c for c in _commands("desk-app server ") if "--technician-role" not in c]
    assert [shlex.split(c)[1:3] for c in owner_steps] == [
        ["server", "init"], ["server", "add-user"], ["server", "add-user"]]
    for step in owner_steps:
        code, out, err = run(*readme.command(step))
        assert code == 0, err
    _no_superuser(readme)

    desk_steps = [c for c in _commands("desk-app ") if not c.startswith("desk-app server")]
    assert [shlex.split(c)[1:3] for c in desk_steps] == [
        ["remote", "set"], ["remote", "test"], ["sync"], ["sync", "status"]]
    kim = readme.names["kim"]
    _desk(monkeypatch, tmp_path, "kim")
    for step in desk_steps:
        code, out, err = run(*readme.command(step))
        assert code == 0, (step, out, err)
    code, out, _ = run(*LOG)
    number = re.search(r"INC-\d{6}", out)[0]
    assert run("sync")[0] == 0
    code, _, err = run("technician", "update", kim, "--role", "administrator")
    assert code == 2 and "manage people needs one of: administrator" in err

    _desk(monkeypatch, tmp_path, "ada")  # the administrator's own desk
    ada_remote = desk_steps[0].replace("kim:", "ada:")
    for step in (ada_remote, "desk-app sync"):
        code, out, err = run(*readme.command(step))
        assert code == 0, err
    code, out, _ = run("show", number, "--json")
    shown = json.loads(out)
    assert shown["logged_by"] == kim and {h["by"] for h in shown["history"]} == {kim}
    code, out, _ = run("technician", "update", kim, "--role", "support")
    assert code == 0  # a team administrator's desk changes technicians...
    assert run("sync")[1].count("note:") == 0  # ...and the server takes it

    _desk(monkeypatch, tmp_path, "kim")
    run("sync")
    assert _people(run)[kim] == "support"

    demote_ada = owner_steps[2].replace("--role admin", "--role technician")
    assert run(*readme.command(demote_ada))[0] == 0  # ada is no team administrator now
    _desk(monkeypatch, tmp_path, "ada")
    assert run("technician", "update", kim, "--role", "incident_manager")[0] == 0
    code, out, _ = run("sync")
    assert code == 0
    assert (f"note: technicians: {readme.names['ada']} is not an administrator of the team "
            "database") in out and "your changes to technicians were not shared" in out
    assert _people(run)[kim] == "support"  # the refused change was rolled back


def _people(run) -> dict[str, str]:
    return {p["login"]: p["role"] for p in json.loads(run("technician", "list", "--json")[1])}


def test_the_managed_server_set_up_as_the_readme_says(run, readme, tmp_path, monkeypatch):
    managed = _sql_blocks()[1]
    assert "CREATE ROLE desk_owner LOGIN PASSWORD 'owner-password';" in managed
    readme.sql(managed)
    [init] = [c for c in _commands("desk-app server init") if "--technician-role" in c]
    code, out, err = run(*readme.command(init))
    assert code == 0, err
    assert readme.names["team_desk_technician"] in out
    add_kim = _commands("desk-app server add-user kim")[0]
    code, _, err = run(*readme.command(add_kim))
    assert code == 1 and "Traceback" not in err
    printed = [line for b in _blocks() for line in b if line.startswith(("CREATE ROLE \"",
                                                                         "GRANT \""))]
    for line in printed:  # the README's example is what add-user prints
        assert readme.text(line) in err
    readme.sql([readme.text(line).replace("<password>", "pw") for line in printed])
    _no_superuser(readme)

    _desk(monkeypatch, tmp_path, "kim")
    for step in (c for c in _commands("desk-app ") if not c.startswith("desk-app server")):
        code, out, err = run(*readme.command(step))
        assert code == 0, (step, out, err)
    run(*LOG)
    code, out, _ = run("sync")
    assert code == 0 and "pushed" in out


def test_server_init_refuses_naming_the_missing_right(run, readme):
    readme.sql(_sql_blocks()[1][:4])  # an owner without CREATEROLE, no roles made
    names = readme.names
    url = readme.text("postgresql://desk_owner@db.example.com/team_desk?sslmode=verify-full")
    code, _, err = run("server", "init", "--technician-role", names["team_desk_technician"],
                       "--admin-role", names["team_desk_admin"], "--url", url)
    assert code == 1 and "Traceback" not in err
    assert f"server init refused: {names['desk_owner']} has no CREATEROLE right" in err
    assert f'CREATE ROLE "{names["team_desk_technician"]}" NOLOGIN;' in err
