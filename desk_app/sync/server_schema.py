"""The team database: an append-only change log, ticket-number bookkeeping, the
server-side functions clients call, and the technician and admin roles.

Clients never write tables directly: ``desk.push_staged`` appends the changes a
client copied into its session's temporary ``push_stage`` table (author taken from the
login, clocks checked), ``desk.claim_numbers`` and ``desk.reserve_numbers`` keep
ticket numbers unique. Technicians may read the log and call those functions; only
members of ``desk_admin`` may push policy changes.
"""

import re
import uuid

import psycopg
from psycopg import sql

from desk_app.core.errors import InvalidValue
from desk_app.sync.errors import SchemaError

SCHEMA_VERSION = 1
TECHNICIAN_ROLE = "desk_technician"
ADMIN_ROLE = "desk_admin"
MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000
POLICY_REFUSED = "DK001"   # SQLSTATE raised when a non-admin pushes policy
CLOCK_REFUSED = "DK002"    # SQLSTATE raised for a clock too far in the server's future

_LOGIN = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")

_VERSION_1 = [
    "CREATE SCHEMA IF NOT EXISTS desk",
    """CREATE TABLE desk.schema_info (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        version integer NOT NULL,
        server_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now())""",
    # txid orders the log for pulls: every change of a transaction below the oldest
    # running transaction (pg_snapshot_xmin) is final, whatever order commits came in.
    """CREATE TABLE desk.change (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        device_id text NOT NULL,
        op_id text NOT NULL,
        entity text NOT NULL,
        row_id text NOT NULL,
        field text,
        value jsonb,
        hlc text NOT NULL,
        author text NOT NULL DEFAULT session_user,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (txid, seq),
        UNIQUE (device_id, op_id))""",
    "CREATE INDEX change_row ON desk.change (entity, row_id)",
    """CREATE TABLE desk.ticket_number (
        number text PRIMARY KEY, ticket_id text NOT NULL,
        claimed_by text NOT NULL DEFAULT session_user)""",
    "CREATE TABLE desk.number_counter (prefix text PRIMARY KEY, next bigint NOT NULL)",
    """CREATE TABLE desk.number_block (
        prefix text NOT NULL, first bigint NOT NULL, last bigint NOT NULL,
        device_id text NOT NULL, reserved_by text NOT NULL DEFAULT session_user,
        reserved_at timestamptz NOT NULL DEFAULT now())""",
    # Pushes arrive by COPY into the session's own temporary table push_stage (see
    # desk_app.sync.outgoing), then this function checks and appends them.
    f"""CREATE FUNCTION desk.push_staged(p_device text) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = desk, pg_temp AS $$
    DECLARE
        has_policy boolean;
        latest bigint;
        inserted integer;
        horizon bigint := (extract(epoch FROM clock_timestamp()) * 1000)::bigint
                          + {MAX_CLOCK_AHEAD_MS};
    BEGIN
        SELECT bool_or(c.entity = 'policy_section'), max(left(c.hlc, 13)::bigint)
          INTO has_policy, latest FROM pg_temp.push_stage c;
        IF has_policy AND NOT pg_has_role(session_user, '{ADMIN_ROLE}', 'MEMBER') THEN
            RAISE EXCEPTION USING ERRCODE = '{POLICY_REFUSED}',
                MESSAGE = format('policy: %s is not an administrator of the team database',
                                 session_user);
        END IF;
        IF latest > horizon THEN
            RAISE EXCEPTION USING ERRCODE = '{CLOCK_REFUSED}',
                MESSAGE = format('clock: a change is stamped %s s ahead of the server',
                                 (latest - horizon + {MAX_CLOCK_AHEAD_MS}) / 1000);
        END IF;
        INSERT INTO desk.change (device_id, op_id, entity, row_id, field, value, hlc, author)
        SELECT p_device, c.op_id, c.entity, c.row_id, c.field, c.value::jsonb, c.hlc,
               session_user
          FROM pg_temp.push_stage c
        ON CONFLICT (device_id, op_id) DO NOTHING;
        GET DIAGNOSTICS inserted = ROW_COUNT;
        TRUNCATE pg_temp.push_stage;
        RETURN inserted;
    END $$""",
    # Numbers: claims and reservations take one lock, so a block is never reserved
    # over a number being claimed. A claim moves the counter past every number a desk
    # reports (any width), and a number inside another device's block is not claimed
    # (that device may have spent it offline): it is returned as taken.
    """CREATE FUNCTION desk.claim_numbers(p_device text, p_ticket_ids text[],
                                          p_numbers text[])
        RETURNS TABLE (ticket_id text, number text)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = desk, pg_temp AS $$
    #variable_conflict use_column
    BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('desk-app numbers'));
        INSERT INTO desk.ticket_number AS t (number, ticket_id)
        SELECT w.n, w.i FROM unnest(p_numbers, p_ticket_ids) AS w(n, i)
         WHERE NOT EXISTS (
               SELECT 1 FROM desk.number_block b
                WHERE w.n ~ '^[A-Z]{3}-[0-9]{6,18}$' AND b.prefix = substr(w.n, 1, 3)
                  AND substr(w.n, 5)::bigint BETWEEN b.first AND b.last
                  AND b.device_id <> p_device)
        ON CONFLICT (number) DO NOTHING;
        INSERT INTO desk.number_counter AS c (prefix, next)
        SELECT substr(w.n, 1, 3), max(substr(w.n, 5)::bigint) + 1
          FROM unnest(p_numbers) AS w(n) WHERE w.n ~ '^[A-Z]{3}-[0-9]{6,18}$'
         GROUP BY 1
        ON CONFLICT (prefix) DO UPDATE SET next = greatest(c.next, excluded.next);
        RETURN QUERY
        SELECT w.i, w.n FROM unnest(p_numbers, p_ticket_ids) AS w(n, i)
          LEFT JOIN desk.ticket_number t ON t.number = w.n
         WHERE t.ticket_id IS DISTINCT FROM w.i;
    END $$""",
    """CREATE FUNCTION desk.reserve_numbers(p_device text, p_prefix text, p_count integer)
        RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = desk, pg_temp AS $$
    DECLARE
        first_number bigint;
    BEGIN
        IF p_count < 1 OR p_count > 100000 THEN
            RAISE EXCEPTION 'count: % is not between 1 and 100000', p_count;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('desk-app numbers'));
        INSERT INTO desk.number_counter AS c (prefix, next) VALUES (p_prefix, 1 + p_count)
        ON CONFLICT (prefix) DO UPDATE SET next = c.next + p_count
        RETURNING next - p_count INTO first_number;
        INSERT INTO desk.number_block (prefix, first, last, device_id)
        VALUES (p_prefix, first_number, first_number + p_count - 1, p_device);
        RETURN first_number;
    END $$""",
]

MIGRATIONS: dict[int, list[str]] = {1: _VERSION_1}


def schema_version(conn: psycopg.Connection) -> tuple[int, str] | None:
    """The schema version and server id of the team database, or None when it has none."""
    exists = conn.execute("SELECT to_regclass('desk.schema_info') IS NOT NULL").fetchone()[0]
    if not exists:
        return None
    row = conn.execute("SELECT version, server_id FROM desk.schema_info").fetchone()
    return (row[0], row[1]) if row else None


def check_schema(conn: psycopg.Connection) -> tuple[int, str]:
    """The (version, server id) when this client can work with the team database;
    otherwise :class:`SchemaError` saying what to do."""
    found = schema_version(conn)
    if found is None:
        raise SchemaError("the team database has no desk-app schema yet; "
                          "an administrator runs: desk-app server init --url URL")
    version, server_id = found
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"the team database has schema version {version}, newer than this desk-app "
            f"understands (up to {SCHEMA_VERSION}); install a newer desk-app")
    if version < SCHEMA_VERSION:
        raise SchemaError(
            f"the team database has schema version {version}, older than this desk-app "
            f"needs ({SCHEMA_VERSION}); an administrator runs: desk-app server init --url URL")
    return version, server_id


def _ensure_roles(conn: psycopg.Connection) -> None:
    for role, member_of in ((TECHNICIAN_ROLE, None), (ADMIN_ROLE, TECHNICIAN_ROLE)):
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            continue
        statement = sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role))
        if member_of:
            statement += sql.SQL(" IN ROLE {}").format(sql.Identifier(member_of))
        conn.execute(statement)


def _grant(conn: psycopg.Connection) -> None:
    tech = sql.Identifier(TECHNICIAN_ROLE)
    conn.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA desk FROM PUBLIC"))
    conn.execute(sql.SQL("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA desk FROM PUBLIC"))
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA desk TO {}").format(tech))
    conn.execute(sql.SQL("GRANT SELECT ON desk.schema_info, desk.change, desk.ticket_number, "
                         "desk.number_block TO {}").format(tech))
    conn.execute(sql.SQL("GRANT EXECUTE ON FUNCTION desk.push_staged(text), "
                         "desk.claim_numbers(text, text[], text[]), "
                         "desk.reserve_numbers(text, text, integer) TO {}").format(tech))


def init_server(conn: psycopg.Connection) -> tuple[int, int]:
    """Create or upgrade the shared schema (idempotent). Returns (version before,
    version after); refuses a schema newer than this client knows."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('desk-app schema'))")
        found = schema_version(conn)
        before = found[0] if found else 0
        if before > SCHEMA_VERSION:
            raise SchemaError(
                f"the team database has schema version {before}, newer than this desk-app "
                f"understands (up to {SCHEMA_VERSION}); install a newer desk-app")
        _ensure_roles(conn)
        for version in range(before + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            if version == 1:
                conn.execute("INSERT INTO desk.schema_info (version, server_id) VALUES (1, %s)",
                             (str(uuid.uuid4()),))
            else:
                conn.execute("UPDATE desk.schema_info SET version = %s", (version,))
        _grant(conn)
    return before, SCHEMA_VERSION


def add_user(conn: psycopg.Connection, name: str, role: str, password: str | None) -> bool:
    """Create (or update) a login for a technician or admin. Returns True if created."""
    if not _LOGIN.match(name):
        raise InvalidValue("name", f"{name!r} is not a valid login (lower-case letters, "
                           "digits, '_', '.', '-'; starts with a letter)")
    if role not in ("technician", "admin"):
        raise InvalidValue("role", f"{role!r} is not technician or admin")
    login = sql.Identifier(name)
    with conn.transaction():
        check_schema(conn)
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(login))
        if password is not None:
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(login, sql.Literal(password)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(TECHNICIAN_ROLE), login))
        if role == "admin":
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(ADMIN_ROLE), login))
        else:
            conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(ADMIN_ROLE), login))
    return not exists
