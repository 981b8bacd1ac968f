"""The team database: an append-only change log, ticket-number bookkeeping, the
server-side functions clients call, and the technician and admin roles.

Clients never write the log directly: they COPY a push into the session's temporary
inbox, which ``desk.open_push_inbox`` creates as the owner's (the caller may only insert
into it), and ``desk.append_inbox``, run with the owner's rights, checks it (policy and
technicians only from administrators, clocks) and appends it with the author taken from
the login (up to version 4: ``desk.push_staged``, run with the caller's rights, handed
the caller's own staging table to ``desk.append_changes`` as an array);
``desk.claim_numbers`` and ``desk.reserve_numbers`` keep ticket numbers
unique. Technicians may read the log and call those functions.

No function needs a superuser: the schema's owner (the database owner running
``server init``) owns every table and function, and every SECURITY DEFINER function
pins its ``search_path``. The two group roles (technicians, administrators) are created
by init when the owner has CREATEROLE, or created beforehand by the server's
administrator and named to init (managed services); their names are kept in
``desk.team_role``.
"""

import re
import uuid
from dataclasses import dataclass

import psycopg
from psycopg import sql

from desk_app.core.errors import InvalidValue
from desk_app.sync.errors import SchemaError, SetupRefused

SCHEMA_VERSION = 6
MIN_SERVER_VERSION = 130000
MAX_NAME = 63  # PostgreSQL's longest identifier, in bytes
# Version 1's group roles (one pair for the whole server); from version 2 each team
# database names its own in desk.team_role.
V1_ROLES = ("desk_technician", "desk_admin")
ADMIN_ROLE = V1_ROLES[1]
MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000
POLICY_REFUSED = "DK001"   # SQLSTATE raised when a non-admin pushes policy
CLOCK_REFUSED = "DK002"    # SQLSTATE raised for a clock too far in the server's future
PEOPLE_REFUSED = "DK003"   # SQLSTATE raised when a non-admin changes technicians
CATALOGUE_REFUSED = "DK004"  # SQLSTATE raised when a non-admin changes the catalogue
CATALOGUE_ENTITIES = ("service", "configuration_item")

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
    """CREATE FUNCTION desk.claim_numbers(p_ticket_ids text[], p_numbers text[])
        RETURNS TABLE (ticket_id text, number text)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = desk, pg_temp AS $$
    #variable_conflict use_column
    BEGIN
        INSERT INTO desk.ticket_number AS t (number, ticket_id)
        SELECT n, i FROM unnest(p_numbers, p_ticket_ids) AS u(n, i)
        ON CONFLICT (number) DO NOTHING;
        INSERT INTO desk.number_counter AS c (prefix, next)
        SELECT substr(n, 1, 3), max(substr(n, 5)::bigint) + 1
          FROM unnest(p_numbers) AS u(n) WHERE n ~ '^[A-Z]{3}-[0-9]{6}$'
         GROUP BY 1
        ON CONFLICT (prefix) DO UPDATE SET next = greatest(c.next, excluded.next);
        RETURN QUERY
        SELECT u.i, u.n FROM unnest(p_numbers, p_ticket_ids) AS u(n, i)
          JOIN desk.ticket_number t ON t.number = u.n
         WHERE t.ticket_id <> u.i;
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
        INSERT INTO desk.number_counter AS c (prefix, next) VALUES (p_prefix, 1 + p_count)
        ON CONFLICT (prefix) DO UPDATE SET next = c.next + p_count
        RETURNING next - p_count INTO first_number;
        INSERT INTO desk.number_block (prefix, first, last, device_id)
        VALUES (p_prefix, first_number, first_number + p_count - 1, p_device);
        RETURN first_number;
    END $$""",
]

# The function that checks pushed changes and appends them to the log (version 2;
# version 4 changes how it stores values).
_APPEND_CHANGES = f"""CREATE FUNCTION desk.append_changes(p_device text,
                                         p_changes desk.staged_change[])
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = desk, pg_temp AS $$
    DECLARE
        is_admin boolean := desk.is_team_admin();
        has_policy boolean;
        person text;
        latest bigint;
        inserted integer;
        horizon bigint := (extract(epoch FROM clock_timestamp()) * 1000)::bigint
                          + {MAX_CLOCK_AHEAD_MS};
    BEGIN
        SELECT bool_or(c.entity = 'policy_section'), max(left(c.hlc, 13)::bigint)
          INTO has_policy, latest FROM unnest(p_changes) c;
        IF has_policy AND NOT is_admin THEN
            RAISE EXCEPTION USING ERRCODE = '{POLICY_REFUSED}',
                MESSAGE = format('policy: %s is not an administrator of the team database',
                                 session_user);
        END IF;
        -- A technician login may bring a person the team does not know yet (as a
        -- service-desk or support technician only); every other change to
        -- technicians is an administrator's.
        IF NOT is_admin THEN
            SELECT c.row_id INTO person FROM unnest(p_changes) c
             WHERE c.entity = 'technician'
               AND (c.field IS NOT NULL
                    OR coalesce(c.value::jsonb ->> 'role', '')
                       NOT IN ('service_desk', 'support')
                    OR EXISTS (SELECT 1 FROM desk.change d
                                WHERE d.entity = 'technician' AND d.row_id = c.row_id
                                  AND (d.device_id, d.op_id) <> (p_device, c.op_id)))
             LIMIT 1;
            IF person IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = '{PEOPLE_REFUSED}',
                    MESSAGE = format('technicians: %s is not an administrator of the team '
                                     'database; roles, groups and active flags are the '
                                     'team''s', session_user);
            END IF;
        END IF;
        IF latest > horizon THEN
            RAISE EXCEPTION USING ERRCODE = '{CLOCK_REFUSED}',
                MESSAGE = format('clock: a change is stamped %s s ahead of the server',
                                 (latest - horizon + {MAX_CLOCK_AHEAD_MS}) / 1000);
        END IF;
        INSERT INTO desk.change (device_id, op_id, entity, row_id, field, value, hlc, author)
        SELECT p_device, c.op_id, c.entity, c.row_id, c.field,
               c.value::jsonb, c.hlc, session_user
          FROM unnest(p_changes) c
        ON CONFLICT (device_id, op_id) DO NOTHING;
        GET DIAGNOSTICS inserted = ROW_COUNT;
        RETURN inserted;
    END $$"""

def _edited(text: str, *edits: tuple[str, str] | tuple[str, str, int]) -> str:
    """``text`` with each (old, new[, count]) replacement made; a piece that is not
    there is refused (a later version's function is written as an edit of an earlier
    one, and a silent miss would ship the earlier behaviour)."""
    for old, new, *count in edits:
        if old not in text:
            raise ValueError(f"server schema: {old[:60]!r} is not in the text it edits")
        text = text.replace(old, new, *count)
    return text


# Version 2: no superuser needed. The group roles are named in desk.team_role; pushes
# are read from the caller's temporary table by an invoker function and appended by a
# definer function; changes to technicians are the team administrators'.
_VERSION_2 = [
    """CREATE TABLE desk.team_role (
        kind text PRIMARY KEY CHECK (kind IN ('technician', 'admin')),
        role_name text NOT NULL)""",
    """CREATE TYPE desk.staged_change AS (
        op_id text, entity text, row_id text, field text, value text, hlc text)""",
    """CREATE FUNCTION desk.is_team_admin() RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = desk, pg_temp AS $$
        SELECT coalesce(pg_has_role(session_user, r.role_name::name, 'MEMBER'), false)
          FROM desk.team_role r WHERE r.kind = 'admin' $$""",
    _APPEND_CHANGES,
    # Runs with the caller's rights: the staging table is the caller's own.
    """CREATE OR REPLACE FUNCTION desk.push_staged(p_device text) RETURNS integer
        LANGUAGE plpgsql SECURITY INVOKER SET search_path = desk, pg_temp AS $$
    DECLARE
        inserted integer;
    BEGIN
        SELECT desk.append_changes(p_device, coalesce(array_agg(
                   ROW(s.op_id, s.entity, s.row_id, s.field, s.value, s.hlc)
                   ::desk.staged_change), '{}'))
          INTO inserted FROM pg_temp.push_stage s;
        TRUNCATE pg_temp.push_stage;
        RETURN inserted;
    END $$""",
    # Number claims know the claiming device (a number inside another device's block is
    # not claimed) and move the counter for any width; version 1 took no device.
    "DROP FUNCTION desk.claim_numbers(text[], text[])",
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
    """CREATE OR REPLACE FUNCTION desk.reserve_numbers(p_device text, p_prefix text,
                                                       p_count integer)
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

# Version 3: attachment contents, by SHA-256, in chunks of a few MB (keyed by their size
# too, so desks that cut a content differently never mix their chunks). A chunk must
# hash to its stated hash (a chunk damaged on the way up is refused); a content row is
# added once all its chunks are there, so a desk downloads only complete contents.
# Technicians may read and add; nothing is ever updated or deleted.
_VERSION_3_FILES = [
    """CREATE TABLE desk.attachment_chunk (
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        chunk_bytes integer NOT NULL CHECK (chunk_bytes > 0),
        idx integer NOT NULL CHECK (idx >= 0),
        chunk_sha256 bytea NOT NULL,
        data bytea NOT NULL CHECK (octet_length(data) <= chunk_bytes),
        CONSTRAINT attachment_chunk_hash CHECK (sha256(data) = chunk_sha256),
        PRIMARY KEY (sha256, chunk_bytes, idx))""",
    """CREATE TABLE desk.attachment_content (
        sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size bigint NOT NULL CHECK (size >= 0),
        chunk_bytes integer NOT NULL CHECK (chunk_bytes > 0),
        chunks integer NOT NULL CHECK (chunks >= 0),
        uploaded_by text NOT NULL DEFAULT session_user,
        uploaded_at timestamptz NOT NULL DEFAULT now())""",
]

# Version 3: the service catalogue and configuration items are the administrators'
# (they carry SLA targets and major-incident criteria, like the policy): a trigger on
# the change log refuses them from anyone else, whichever function appends them.
_VERSION_3_CATALOGUE = [
    f"""CREATE FUNCTION desk.refuse_catalogue_change() RETURNS trigger
        LANGUAGE plpgsql SET search_path = desk, pg_temp AS $$
    BEGIN
        IF NOT desk.is_team_admin() THEN
            RAISE EXCEPTION USING ERRCODE = '{CATALOGUE_REFUSED}',
                MESSAGE = format('catalogue: %s is not an administrator of the team '
                                 'database; services and configuration items are the '
                                 'administrators''', session_user);
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER change_catalogue_admins_only BEFORE INSERT ON desk.change
        FOR EACH ROW WHEN (NEW.entity IN ('service', 'configuration_item'))
        EXECUTE FUNCTION desk.refuse_catalogue_change()""",
]

# Version 3: incoming mail. One desk of a team polls a mailbox at a time: it holds the
# mailbox's lease, renewed while it polls; a lease that ran out may be taken by another.
_VERSION_3_MAIL = [
    """CREATE TABLE desk.mailbox_lease (
        mailbox text PRIMARY KEY,
        holder text NOT NULL,
        holder_login text NOT NULL,
        expires_at timestamptz NOT NULL)""",
    """CREATE FUNCTION desk.take_mailbox_lease(p_mailbox text, p_device text,
                                               p_seconds integer)
        RETURNS TABLE (holder text, holder_login text, expires_at timestamptz)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = desk, pg_temp AS $$
    BEGIN
        IF p_seconds < 10 OR p_seconds > 86400 THEN
            RAISE EXCEPTION 'seconds: % is not between 10 and 86400', p_seconds;
        END IF;
        INSERT INTO desk.mailbox_lease AS l (mailbox, holder, holder_login, expires_at)
        VALUES (p_mailbox, p_device, session_user, now() + make_interval(secs => p_seconds))
        ON CONFLICT (mailbox) DO UPDATE
           SET holder = excluded.holder, holder_login = excluded.holder_login,
               expires_at = excluded.expires_at
         WHERE l.holder = excluded.holder OR l.expires_at < now();
        RETURN QUERY SELECT l.holder, l.holder_login, l.expires_at
                       FROM desk.mailbox_lease l WHERE l.mailbox = p_mailbox;
    END $$""",
    """CREATE FUNCTION desk.release_mailbox_lease(p_mailbox text, p_device text)
        RETURNS boolean
        LANGUAGE sql SECURITY DEFINER SET search_path = desk, pg_temp AS $$
        WITH gone AS (DELETE FROM desk.mailbox_lease
                       WHERE mailbox = p_mailbox AND holder = p_device RETURNING 1)
        SELECT EXISTS (SELECT 1 FROM gone)
    $$""",
]

_VERSION_3 = _VERSION_3_FILES + _VERSION_3_CATALOGUE + _VERSION_3_MAIL

# Version 4: a faster push. Values are kept as the JSON text the desk sent (json, which
# the server still checks is well-formed) instead of being rebuilt as jsonb for every
# row of a push; a row of up to a page is stored as it is rather than compressed and
# cut into TOAST chunks first. The append function is version 2's apart from the cast
# and its working memory: each scan of the pushed array is held in a tuplestore, which
# spilled to temporary files at the default 4 MB (a push chunk is several MB).
_VERSION_4 = [
    "ALTER TABLE desk.change ALTER COLUMN value TYPE json USING value::json",
    "ALTER TABLE desk.change SET (toast_tuple_target = 8160)",
    _edited(_APPEND_CHANGES, ("c.value::jsonb", "c.value::json"),
            ("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
            ("SET search_path = desk, pg_temp AS",
             "SET search_path = desk, pg_temp SET work_mem = '256MB' AS", 1)),
]

# Version 5: a faster push. Pushes are COPYed into a temporary inbox that the schema's
# owner creates for the session (``desk.open_push_inbox``) and the caller may only
# insert into; ``desk.append_inbox`` checks and appends it straight from that table,
# with version 4's guards. The definer reads only a table it owns (the caller cannot
# add a trigger, rule, policy or view to it, so no code of the caller's runs with the
# owner's rights), and nothing is rebuilt as an array of records first (that copy and
# its scans were a fifth of the server's time). The log's key columns compare bytewise
# (collation "C"): nothing orders by them, and every change is entered in their indexes.
_INBOX_CHECK = """
        SELECT c.relowner INTO holder FROM pg_class c
         WHERE c.oid = to_regclass('pg_temp.push_inbox');
        IF holder <> (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user) THEN
            RAISE EXCEPTION 'push: this session has a push_inbox of its own; '
                'drop it and push again';
        END IF;"""
_VERSION_5_PUSH = [
    "DROP TRIGGER change_catalogue_admins_only ON desk.change",
    """ALTER TABLE desk.change ALTER COLUMN device_id TYPE text COLLATE "C",
        ALTER COLUMN op_id TYPE text COLLATE "C", ALTER COLUMN entity TYPE text COLLATE "C",
        ALTER COLUMN row_id TYPE text COLLATE "C" """,
    _VERSION_3_CATALOGUE[1],
    f"""CREATE FUNCTION desk.open_push_inbox() RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = desk, pg_temp AS $$
    DECLARE
        holder oid;
    BEGIN
        IF to_regclass('pg_temp.push_inbox') IS NULL THEN
            CREATE TEMP TABLE push_inbox (op_id text, entity text, row_id text, field text,
                                          value text, hlc text) ON COMMIT DELETE ROWS;
            EXECUTE format('GRANT INSERT ON pg_temp.push_inbox TO %I', session_user);
        END IF;{_INBOX_CHECK}
    END $$""",
    _edited(_APPEND_CHANGES,
            ("desk.append_changes(p_device text,\n                                         "
             "p_changes desk.staged_change[])", "desk.append_inbox(p_device text)"),
            ("unnest(p_changes)", "pg_temp.push_inbox"),
            ("c.value::jsonb", "c.value::json"),
            ("SET search_path = desk, pg_temp AS",
             "SET search_path = desk, pg_temp SET work_mem = '256MB' AS", 1),
            ("        horizon bigint", "        holder oid;\n        horizon bigint", 1),
            ("    BEGIN\n", "    BEGIN" + _INBOX_CHECK + "\n", 1),
            ("GET DIAGNOSTICS inserted = ROW_COUNT;",
             "GET DIAGNOSTICS inserted = ROW_COUNT;\n        TRUNCATE pg_temp.push_inbox;")),
]


# Version 5 (satisfaction): scheduled report mail. The first desk to claim a report's
# key sends it; the claim is kept, so no other desk ever sends the same report.
_VERSION_5_SATISFACTION = [
    """CREATE TABLE desk.report_claim (
        report text PRIMARY KEY,
        holder text NOT NULL,
        holder_login text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE FUNCTION desk.claim_report(p_report text, p_device text)
        RETURNS TABLE (holder text, holder_login text, claimed_at timestamptz)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = desk, pg_temp AS $$
    BEGIN
        IF length(p_report) > 200 OR length(p_device) > 200 THEN
            RAISE EXCEPTION 'report: a key or device id longer than 200 characters';
        END IF;
        INSERT INTO desk.report_claim AS c (report, holder, holder_login)
        VALUES (p_report, p_device, session_user)
        ON CONFLICT (report) DO NOTHING;
        RETURN QUERY SELECT c.holder, c.holder_login, c.claimed_at
                       FROM desk.report_claim c WHERE c.report = p_report;
    END $$""",
]

# The push's statements first: they retype desk.change's columns, which nothing after
# them may depend on.
_VERSION_5 = _VERSION_5_PUSH + _VERSION_5_SATISFACTION

_INSERT_ONCE = ("INSERT INTO desk.change (device_id, op_id, entity, row_id, field, value, "
                "hlc, author)" """
        SELECT p_device, c.op_id, c.entity, c.row_id, c.field,
               c.value::json, c.hlc, session_user
          FROM pg_temp.push_inbox c
        ON CONFLICT (device_id, op_id) DO NOTHING;
        GET DIAGNOSTICS inserted = ROW_COUNT;""")  # as version 5 appends

# Version 6: a faster push. A push is appended by a plain INSERT, and only when it
# holds a change the log has already (a push repeated after its acknowledgement was
# lost) by INSERT ... ON CONFLICT DO NOTHING: the speculative insertion that skips
# duplicates cost a third of the server's time on every push. The session's inbox
# keeps rows of up to a page as they are, not compressed on the way in and out. The
# log's row index is keyed by row id alone (every lookup names the ids; the entity is
# checked on the few rows of an id): a push's rows then go in at one end of the index
# instead of at one place per entity.
_VERSION_6 = [
    "DROP INDEX desk.change_row",
    "CREATE INDEX change_row ON desk.change (row_id)",
    _edited(_VERSION_5_PUSH[3], ("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
            ("ON COMMIT DELETE ROWS",
             "WITH (toast_tuple_target = 8160) ON COMMIT DELETE ROWS")),
    _edited(_VERSION_5_PUSH[4], ("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
            (_INSERT_ONCE, """BEGIN
            INSERT INTO desk.change (device_id, op_id, entity, row_id, field, value, hlc,
                                     author)
            SELECT p_device, c.op_id, c.entity, c.row_id, c.field, c.value::json, c.hlc,
                   session_user
              FROM pg_temp.push_inbox c;
            GET DIAGNOSTICS inserted = ROW_COUNT;
        EXCEPTION WHEN unique_violation THEN
            """ + _INSERT_ONCE.replace("\n        ", "\n            ") + """
        END;""")),
]

MIGRATIONS: dict[int, list[str]] = {1: _VERSION_1, 2: _VERSION_2, 3: _VERSION_3,
                                    4: _VERSION_4, 5: _VERSION_5, 6: _VERSION_6}


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


@dataclass(frozen=True)
class TeamRoles:
    """The two group roles of a team database: every technician login is a member of
    ``technician``; administrators are members of ``admin`` too."""

    technician: str
    admin: str

    @classmethod
    def default(cls, database: str) -> "TeamRoles":
        """``<database>_technician`` and ``<database>_admin``: roles belong to the whole
        server, so each team database gets its own pair."""
        def named(suffix: str) -> str:
            room = MAX_NAME - len(suffix.encode())
            return database.encode()[:room].decode(errors="ignore") + suffix
        return cls(named("_technician"), named("_admin"))


def team_roles(conn: psycopg.Connection) -> TeamRoles:
    """The group roles the team database was set up with (before set-up: the default
    names for this database)."""
    default = TeamRoles.default(conn.info.dbname)
    names = dict(conn.execute("SELECT kind, role_name FROM desk.team_role").fetchall()) \
        if _exists(conn, "desk.team_role") else {}
    return TeamRoles(names.get("technician", default.technician),
                     names.get("admin", default.admin))


def _exists(conn: psycopg.Connection, relation: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (relation,)).fetchone()[0]


def _role_exists(conn: psycopg.Connection, role: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() \
        is not None


def _rights(conn: psycopg.Connection) -> tuple[bool, bool]:
    """(superuser, CREATEROLE) of the login running the set-up."""
    row = conn.execute("SELECT rolsuper, rolcreaterole FROM pg_roles "
                       "WHERE rolname = current_user").fetchone()
    return bool(row[0]), bool(row[1])


def _quoted(conn: psycopg.Connection, name: str) -> str:
    return sql.Identifier(name).as_string(conn)


def check_setup_rights(conn: psycopg.Connection) -> None:
    """Refuse (:class:`SetupRefused`, naming the missing right and what to run) when
    ``server init`` cannot create or upgrade the schema with this login (the server's
    version, CREATE on the database, the schema's owner); changes nothing."""
    version = conn.info.server_version
    if version < MIN_SERVER_VERSION:
        raise SetupRefused(f"the server runs PostgreSQL {version // 10000}; desk-app needs "
                           "PostgreSQL 13 or newer")
    user, database = conn.info.user, conn.info.dbname
    owner = conn.execute("SELECT pg_get_userbyid(nspowner) FROM pg_namespace "
                         "WHERE nspname = 'desk'").fetchone()
    if owner is None and not conn.execute(
            "SELECT has_database_privilege(current_database(), 'CREATE')").fetchone()[0]:
        raise SetupRefused(
            f"{user} has no CREATE right on the database {database}; run init as the "
            f"database's owner, or an administrator runs: GRANT CREATE ON DATABASE "
            f"{_quoted(conn, database)} TO {_quoted(conn, user)};")
    if owner is not None and not conn.execute(
            "SELECT pg_has_role(current_user, nspowner, 'USAGE') FROM pg_namespace "
            "WHERE nspname = 'desk'").fetchone()[0]:
        raise SetupRefused(f"the desk schema belongs to {owner[0]}; run init as {owner[0]} "
                           f"(or a member of it), not as {user}")
    if not conn.execute("SELECT has_database_privilege(current_database(), 'TEMPORARY')"
                        ).fetchone()[0]:  # the owner makes each session's push inbox
        raise SetupRefused(
            f"{user} has no TEMPORARY right on the database {database}; an administrator "
            f"runs: GRANT TEMPORARY ON DATABASE {_quoted(conn, database)} TO "
            f"{_quoted(conn, user)};")


def _check_role_rights(conn: psycopg.Connection, roles: TeamRoles) -> None:
    """Refuse when a group role is missing and this login may not create it."""
    user = conn.info.user
    superuser, createrole = _rights(conn)
    missing = [r for r in (roles.technician, roles.admin) if not _role_exists(conn, r)]
    if missing and not (superuser or createrole):
        statements = [f"CREATE ROLE {_quoted(conn, r)} NOLOGIN;" for r in missing]
        if roles.admin in missing:
            statements.append(f"GRANT {_quoted(conn, roles.technician)} TO "
                              f"{_quoted(conn, roles.admin)};")
        again = "server init" if roles == TeamRoles.default(conn.info.dbname) else (
            f"server init --technician-role {roles.technician} --admin-role {roles.admin}")
        raise SetupRefused(
            f"{user} has no CREATEROLE right and the role(s) {', '.join(missing)} do not "
            f"exist; an administrator of the server runs: {' '.join(statements)} then "
            f"{user} runs {again} again")


def _ensure_roles(conn: psycopg.Connection, roles: TeamRoles) -> None:
    for role, member_of in ((roles.technician, None), (roles.admin, roles.technician)):
        if _role_exists(conn, role):
            continue
        statement = sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role))
        if member_of:
            statement += sql.SQL(" IN ROLE {}").format(sql.Identifier(member_of))
        conn.execute(statement)
    conn.execute("DELETE FROM desk.team_role")
    conn.execute("INSERT INTO desk.team_role (kind, role_name) VALUES "
                 "('technician', %s), ('admin', %s)", (roles.technician, roles.admin))


def _grant(conn: psycopg.Connection, roles: TeamRoles) -> None:
    groups = sql.SQL(", ").join(sql.Identifier(r) for r in (roles.technician, roles.admin))
    conn.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA desk FROM PUBLIC"))
    conn.execute(sql.SQL("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA desk FROM PUBLIC"))
    # Connecting and the session's own staging table (managed services often revoke
    # these from PUBLIC).
    conn.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
        sql.Identifier(conn.info.dbname), groups))
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA desk TO {}").format(groups))
    conn.execute(sql.SQL("GRANT USAGE ON TYPE desk.staged_change TO {}").format(groups))
    # Desks read the log and the schema's version; the rest is the functions' business.
    conn.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA desk FROM {}").format(groups))
    conn.execute(sql.SQL("GRANT SELECT ON desk.schema_info, desk.change TO {}").format(groups))
    if _exists(conn, "desk.attachment_content"):  # version 3 on
        conn.execute(sql.SQL("GRANT SELECT, INSERT ON desk.attachment_chunk, "
                             "desk.attachment_content TO {}").format(groups))
        conn.execute(sql.SQL("GRANT EXECUTE ON FUNCTION "
                             "desk.take_mailbox_lease(text, text, integer), "
                             "desk.release_mailbox_lease(text, text) TO {}").format(groups))
    if _exists(conn, "desk.report_claim"):  # version 5 on
        conn.execute(sql.SQL("GRANT EXECUTE ON FUNCTION desk.claim_report(text, text) "
                             "TO {}").format(groups))
    conn.execute(sql.SQL("GRANT EXECUTE ON FUNCTION desk.push_staged(text), "
                         "desk.append_changes(text, desk.staged_change[]), "
                         "desk.is_team_admin(), "
                         "desk.claim_numbers(text, text[], text[]), "
                         "desk.reserve_numbers(text, text, integer) TO {}").format(groups))
    if conn.execute("SELECT to_regprocedure('desk.append_inbox(text)') IS NOT NULL"
                    ).fetchone()[0]:  # version 5 on
        conn.execute(sql.SQL("GRANT EXECUTE ON FUNCTION desk.open_push_inbox(), "
                             "desk.append_inbox(text) TO {}").format(groups))


def init_server(conn: psycopg.Connection, technician_role: str | None = None,
                admin_role: str | None = None) -> tuple[int, int]:
    """Create or upgrade the shared schema (idempotent). The group roles are the ones
    named, else the ones the database was set up with (a version 1 database: the
    server-wide desk_technician and desk_admin), else ``<database>_technician`` and
    ``<database>_admin`` (created when missing: that needs CREATEROLE). Returns
    (version before,
    version after); refuses a schema newer than this client knows, and refuses, naming
    the missing right, what this login cannot do."""
    for option, name in (("technician-role", technician_role), ("admin-role", admin_role)):
        if name is not None and not _LOGIN.match(name):
            raise InvalidValue(option, f"{name!r} is not a valid role name (lower-case "
                               "letters, digits, '_', '.', '-'; starts with a letter)")
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('desk-app schema'))")
        check_setup_rights(conn)
        found = schema_version(conn)
        before = found[0] if found else 0
        if before > SCHEMA_VERSION:
            raise SchemaError(
                f"the team database has schema version {before}, newer than this desk-app "
                f"understands (up to {SCHEMA_VERSION}); install a newer desk-app")
        stored = TeamRoles(*V1_ROLES) if before == 1 else team_roles(conn)
        roles = TeamRoles(technician_role or stored.technician, admin_role or stored.admin)
        _check_role_rights(conn, roles)
        for version in range(before + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            if version == 1:
                conn.execute("INSERT INTO desk.schema_info (version, server_id) VALUES (1, %s)",
                             (str(uuid.uuid4()),))
            else:
                conn.execute("UPDATE desk.schema_info SET version = %s", (version,))
        _ensure_roles(conn, roles)
        _grant(conn, roles)
    return before, SCHEMA_VERSION


def user_statements(conn: psycopg.Connection, name: str, role: str,
                    roles: TeamRoles) -> list[str]:
    """The SQL a server administrator runs to create the login ``name`` for ``role``
    when the set-up login may not (the password left for them to fill in)."""
    login = _quoted(conn, name)
    statements = [f"CREATE ROLE {login} LOGIN PASSWORD '<password>';",
                  f"GRANT {_quoted(conn, roles.technician)} TO {login};"]
    if role == "admin":
        statements.append(f"GRANT {_quoted(conn, roles.admin)} TO {login};")
    return statements


def add_user(conn: psycopg.Connection, name: str, role: str, password: str | None) -> bool:
    """Create (or update) a login for a technician or admin. Returns True if created.
    Without the right to (no CREATEROLE, or no ADMIN OPTION on the team's roles)
    refuses with the SQL a server administrator runs instead."""
    if not _LOGIN.match(name):
        raise InvalidValue("name", f"{name!r} is not a valid login (lower-case letters, "
                           "digits, '_', '.', '-'; starts with a letter)")
    if role not in ("technician", "admin"):
        raise InvalidValue("role", f"{role!r} is not technician or admin")
    login = sql.Identifier(name)
    check_schema(conn)
    roles = team_roles(conn)
    try:
        with conn.transaction():
            exists = _role_exists(conn, name)
            if not exists:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(login))
            if password is not None:
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    login, sql.Literal(password)))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(roles.technician),
                                                          login))
            if role == "admin":
                conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(roles.admin),
                                                              login))
            elif conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')",
                              (name, roles.admin)).fetchone()[0]:
                conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(roles.admin),
                                                                 login))
    except psycopg.errors.InsufficientPrivilege as error:
        reason = (error.diag.message_primary or str(error)).strip()
        raise SetupRefused(
            f"{conn.info.user} may not do this ({reason}); it needs CREATEROLE and the "
            f"ADMIN OPTION on {roles.technician} and {roles.admin}. An administrator of "
            "the server runs: " + " ".join(user_statements(conn, name, role, roles))) \
            from None
    return not exists
