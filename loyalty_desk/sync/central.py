"""Central PostgreSQL: what only central needs on top of the shared Alembic schema.

``install(engine)`` is idempotent and runs after ``upgrade_to_head`` on every ``central init``:

* the change feed: AFTER triggers on every replicated table append each inserted, updated or
  deleted row (``to_jsonb``) with the writing transaction's id (``pg_current_xact_id``) to
  ``change_feed`` (inserts once per statement from its transition table, the rest per row),
  tagged with the members, home branches or staff branch the row concerns (``MEMBER_SCOPE``,
  ``CREDENTIAL_SCOPE``; the scope columns are added here, not in the models);
* append-only guards: ``ledger_entry``, ``lot_movement``, ``audit_event``, ``change_feed``
  (and the stock movements when present) refuse UPDATE and DELETE for everybody, owner included;
* ``CHECK (posted_balance >= 0)`` on ``member`` (a desk's SQLite replica may show a negative
  balance for an offline redemption central has not judged yet; central never does);
* roles: ``loyalty_applier`` (read everything, insert, update projections only) and
  ``loyalty_desk`` (insert its own inbound operations, read its own outcomes and its part of the
  feed — row-level security by region, fetched members and credential branch — and fetch one
  member by exact handle; nothing else; docs/sync.md, "What a desk may read"). ``add_desk``
  makes one LOGIN role per desk in the ``loyalty_desk`` group.

Why not an Alembic revision: revisions above 0001 are regenerated from the models while the
release is being worked on (``tools/make_migration.py --working``), which would drop
hand-written PostgreSQL DDL; this module is re-applied by every ``central init`` instead.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from loyalty_desk.store.db import make_engine, upgrade_to_head
from loyalty_desk.store.models import Base
from loyalty_desk.sync import protocol
from loyalty_desk.sync.protocol import (
    APPLIER_ROLE,
    DESK_LOGIN_PREFIX,
    DESK_ROLE,
    FEED_HORIZON_FUNCTION,
    FEED_TABLE,
    FETCH_MEMBER_FUNCTION,
    INBOUND_TABLE,
    RECEIVED,
    REJECTED,
    REPLICATED,
    RESERVE_NUMBERS_FUNCTION,
)

APPEND_ONLY = ("ledger_entry", "lot_movement", "audit_event", FEED_TABLE, "reward_stock_movement")
# The applier may DELETE nothing but these (a renamed member's old name keys).
APPLIER_DELETE = ("member_name_key",)

# Who may read a feed row (docs/sync.md, "What a desk may read"). Each expression reads one row as
# ``t`` (a transition-table row, a trigger's OLD/NEW, or a payload put back into its row type) and
# gives the members the row concerns; the row goes to the desks holding any of them (their home
# branches' regions, or a desk that fetched one of them). A table in neither dict is global.
MEMBER_SCOPE: dict[str, str] = {
    "member": "ARRAY[t.id]",
    "member_name_key": "ARRAY[t.member_id]",
    "operation": "ARRAY[t.member_id]",  # an operation without a member (catalogue, stock) is global
    "ledger_entry": "ARRAY[t.member_id]",
    "lot": "ARRAY[t.member_id]",
    "lot_movement": "ARRAY[(SELECT l.member_id FROM lot l WHERE l.id = t.lot_id)]",
    "redemption": "ARRAY[t.member_id]",
    "adjustment_request": "ARRAY[t.member_id]",
    "adjustment_approval": "ARRAY[(SELECT r.member_id FROM adjustment_request r WHERE r.id = t.request_id)]",
    # a referral (and each of its rewards) concerns all three members: a desk holding one of them
    # fetches the others it lacks (their rows are the referral's foreign keys)
    "referral": "ARRAY[t.referee_member_id, t.referrer_member_id, t.second_level_member_id]",
    "referral_reward": (
        "coalesce((SELECT ARRAY[r.referee_member_id, r.referrer_member_id, r.second_level_member_id] "
        "FROM referral r WHERE r.id = t.referral_id), ARRAY[NULL::bigint])"
    ),
    "earning_txn": "ARRAY[t.member_id]",
}
# Tables whose every row concerns a member (the rest of MEMBER_SCOPE may name none: then global).
MEMBER_REQUIRED = frozenset(MEMBER_SCOPE) - {"operation"}
# Password verifiers and signing keys go only where the person may sign in: the desks of their
# branch; a head-office supervisor's to every desk (rules: a supervisor of head office may approve
# at any branch's desk).
CREDENTIAL_SCOPE: dict[str, str] = {
    "staff_credential": "ld_credential_branch(t.staff_id)",
    # a password change carries the new verifier and wrapped key: it goes where the credential goes
    "operation": "CASE WHEN t.kind = 'staff.password_change' THEN ld_credential_branch(t.staff_id) END",
}


_SCOPE_FUNCTIONS = """
CREATE OR REPLACE FUNCTION ld_scope_branches(entity text, members bigint[], required boolean, strict boolean) RETURNS bigint[]
LANGUAGE plpgsql STABLE SET search_path FROM CURRENT AS $$
DECLARE
    wanted bigint[] := ARRAY(SELECT DISTINCT x FROM unnest(members) AS x WHERE x IS NOT NULL);
    found bigint[];
    n int;
BEGIN
    IF cardinality(wanted) = 0 THEN
        IF required AND strict THEN
            RAISE EXCEPTION 'change feed: the %% row names no member it belongs to', entity;
        END IF;
        RETURN CASE WHEN required THEN '{}'::bigint[] END;  -- unknown: nobody's (never everybody's)
    END IF;
    SELECT array_agg(DISTINCT m.branch_id), count(*) INTO found, n FROM member m WHERE m.id = ANY(wanted);
    IF n < cardinality(wanted) AND strict THEN
        RAISE EXCEPTION 'change feed: a member of the %% row is not written yet', entity;
    END IF;
    RETURN coalesce(found, '{}');
END $$;

CREATE OR REPLACE FUNCTION ld_scope_missing(entity text, strict boolean) RETURNS bigint[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF strict THEN
        RAISE EXCEPTION 'change feed: the member of a %% row is not written yet', entity;
    END IF;
    RETURN '{}'::bigint[];  -- unknown: nobody's (never everybody's)
END $$;

CREATE OR REPLACE FUNCTION ld_credential_branch(staff bigint) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path FROM CURRENT AS $$
DECLARE
    branch bigint;
    everywhere boolean;
BEGIN
    SELECT s.branch_id, (s.role = 'supervisor' AND b.is_head_office) INTO branch, everywhere
      FROM staff s JOIN branch b ON b.id = s.branch_id WHERE s.id = staff;
    IF branch IS NULL THEN
        RAISE EXCEPTION 'change feed: credential of unknown staff %%', staff;
    END IF;
    RETURN CASE WHEN everywhere THEN NULL ELSE branch END;
END $$;
"""

_FEED_COLUMNS = "txid, entity, entity_key, payload, made_at, scope_members, scope_branches, credential_branch"


_SINGLE_MEMBER = re.compile(r"ARRAY\[([^,]*)\]")


def _key_expression(keys: tuple[str, ...], row_json: str) -> str:
    """``change_feed.entity_key`` of a row given as jsonb: its key columns joined by ``|``."""
    return " || '|' || ".join(f"coalesce({row_json} ->> '{k}', '')" for k in keys)


def _scope_select(table: str, *, strict: bool = True) -> tuple[str, str]:
    """(a ``CROSS JOIN LATERAL`` giving the row's members once as ``s.m``, the select-list items
    ``scope_members, scope_branches, credential_branch``) for the row ``t`` of ``table``."""
    members = MEMBER_SCOPE.get(table)
    credential = CREDENTIAL_SCOPE.get(table, "NULL::bigint")
    if members is None:
        return "", f"NULL::bigint[], NULL::bigint[], {credential}"
    required = table in MEMBER_REQUIRED
    distinct = "ARRAY(SELECT DISTINCT x FROM unnest(s.m) AS x WHERE x IS NOT NULL)"
    strict_sql = str(strict).lower()
    single = _SINGLE_MEMBER.fullmatch(members)
    if single is None:  # several members (a referral): rare rows, one function call each
        return (
            f" CROSS JOIN LATERAL (SELECT {members} AS m) AS s",
            f"{distinct if required else f'nullif({distinct}, ARRAY[]::bigint[])'}, "
            f"ld_scope_branches('{table}', s.m, {str(required).lower()}, {strict_sql}), {credential}",
        )
    # one member: a join, set-wise for a whole statement's rows (the applier's hot path)
    missing = f"ld_scope_missing('{table}', {strict_sql})"
    home = "t.branch_id" if table == "member" else "m.branch_id"
    join = "" if table == "member" else " LEFT JOIN member m ON m.id = s.mid"
    return (
        f" CROSS JOIN LATERAL (SELECT {single.group(1)} AS mid) AS s{join}",
        f"CASE WHEN s.mid IS NULL THEN {'ARRAY[]::bigint[]' if required else 'NULL::bigint[]'} ELSE ARRAY[s.mid] END, "
        f"CASE WHEN s.mid IS NULL THEN {missing if required else 'NULL::bigint[]'} "
        f"{'' if table == 'member' else f'WHEN m.id IS NULL THEN {missing} '}ELSE ARRAY[{home}] END, {credential}",
    )


def _inserted_rows_function(table: str, keys: tuple[str, ...]) -> str:
    """The feed rows of one INSERT statement, however many rows it inserted, in one statement: the
    applier writes a batch's rows with multi-row INSERTs, and a trigger per row would cost more
    than the insert itself. Updates and deletes have a row trigger (``_changed_row_function``)."""
    key_expression = _key_expression(keys, "r.j")
    lateral, scope = _scope_select(table)
    return f"""
CREATE OR REPLACE FUNCTION ld_feed_inserted_{table}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO change_feed ({_FEED_COLUMNS})
    SELECT pg_current_xact_id()::text::bigint, TG_TABLE_NAME, {key_expression}, r.j::json, clock_timestamp() AT TIME ZONE 'UTC',
           {scope}
      FROM ld_inserted t CROSS JOIN LATERAL (SELECT to_jsonb(t) AS j) AS r{lateral};
    RETURN NULL;
END $$;
"""


def _changed_row_function(table: str, keys: tuple[str, ...]) -> str:
    key_expression = _key_expression(keys, "j")
    lateral, scope = _scope_select(table)
    return f"""
CREATE OR REPLACE FUNCTION ld_feed_changed_{table}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    t {table}%%ROWTYPE;
    j jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        t := OLD;
        j := to_jsonb(OLD) || '{{"_deleted": true}}'::jsonb;
    ELSE
        t := NEW;
        j := to_jsonb(NEW);
    END IF;
    INSERT INTO change_feed ({_FEED_COLUMNS})
    SELECT pg_current_xact_id()::text::bigint, TG_TABLE_NAME, {key_expression}, j::json, clock_timestamp() AT TIME ZONE 'UTC',
           {scope}
      FROM (SELECT) AS nothing{lateral};
    RETURN NULL;
END $$;
"""


# The feed horizon: the oldest transaction *of this database* still running (rows of transactions
# at or above it are held back). Transactions of other databases on the same server have xids
# too; a cluster-wide pg_snapshot_xmin would let any long transaction anywhere stall the feed.
# s1 is taken first; a transaction in s1's in-progress list that is no longer running when
# pg_stat_activity is read has committed before the caller's next statement (which reads the
# page with a newer snapshot), so its rows are seen. Without the right to see other sessions'
# xids (superuser or pg_read_all_stats), fall back to the cluster-wide xmin: slower, still safe.


_HORIZON_FUNCTION = """
CREATE OR REPLACE FUNCTION ld_feed_horizon() RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    s1 pg_snapshot := pg_current_snapshot();
    oldest bigint;
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') THEN
        RETURN pg_snapshot_xmin(s1)::text::bigint;
    END IF;
    PERFORM pg_stat_clear_snapshot();
    SELECT min(x::text::bigint) INTO oldest
      FROM pg_snapshot_xip(s1) AS x
     WHERE xid(x) IN (SELECT backend_xid FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL);
    RETURN coalesce(oldest, pg_snapshot_xmax(s1)::text::bigint);
END $$;
"""

_APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION ld_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table %% is append-only: %% refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
"""

_INBOUND_NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION ld_inbound_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ld_inbound', '');
    RETURN NULL;
END $$;
"""


# Member numbers: one sequence for head office's imports, registrations applied at central and the
# blocks desks reserve, so no number is ever given twice. It ends below the provisional serials
# (``domain.identity.PROVISIONAL_SERIAL_FROM``) a desk gives while it holds no number of central's.
# ``ld_member_serials`` first moves past the highest number already held (members a copy or an older
# release numbered outside the sequence); the advisory lock keeps two callers' setval from crossing.
_MEMBER_NUMBERS = """
CREATE SEQUENCE IF NOT EXISTS member_no_serial AS bigint MINVALUE 1 MAXVALUE 899999999 NO CYCLE;

CREATE OR REPLACE FUNCTION ld_member_serials(wanted integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    highest bigint;
    first_serial bigint;
BEGIN
    IF wanted IS NULL OR wanted < 1 OR wanted > 100000 THEN
        RAISE EXCEPTION 'member numbers are taken 1 to 100000 at a time, not %%', wanted USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(7408);
    SELECT coalesce(substr(max(member_no), 2, 9)::bigint, 0) INTO highest FROM member WHERE member_no < 'M900000000';
    first_serial := greatest(nextval('member_no_serial'), CASE WHEN highest > 0 THEN highest + 1 ELSE 100000000 END);
    PERFORM setval('member_no_serial', first_serial + wanted - 1, true);
    RETURN first_serial;
END $$;

CREATE OR REPLACE FUNCTION ld_reserve_member_numbers(wanted integer) RETURNS TABLE (first_serial bigint, last_serial bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    desk_name text;
    first_one bigint;
BEGIN
    SELECT d.desk INTO desk_name FROM central_desk d WHERE d.login = session_user;
    IF desk_name IS NULL THEN
        RAISE EXCEPTION 'only a desk registered with central add-desk reserves member numbers' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF wanted IS NULL OR wanted < 1 OR wanted > 1000 THEN
        RAISE EXCEPTION 'a desk reserves 1 to 1000 member numbers at a time, not %%', wanted USING ERRCODE = 'invalid_parameter_value';
    END IF;
    first_one := ld_member_serials(wanted);
    INSERT INTO member_no_block (desk, first_serial, last_serial, next_serial, reserved_at)
    VALUES (desk_name, first_one, first_one + wanted - 1, first_one, now() AT TIME ZONE 'UTC');
    RETURN QUERY SELECT first_one, first_one + wanted - 1;
END $$;
"""


def _install_member_numbers(connection: Connection) -> None:
    connection.exec_driver_sql(_MEMBER_NUMBERS)
    _grant_functions(connection, {"ld_member_serials(integer)": (APPLIER_ROLE,), f"{RESERVE_NUMBERS_FUNCTION}(integer)": (DESK_ROLE,)})


def _existing_tables(connection: Connection) -> set[str]:
    rows = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
    return {row[0] for row in rows}


def _role_exists(connection: Connection, name: str) -> bool:
    return connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}) is not None


def install(engine: Engine) -> None:
    """The central-only DDL; safe to run again (each ``central init`` does)."""
    with engine.begin() as connection:
        # Roles are cluster-wide: two inits at once (tests) must not race on CREATE ROLE.
        connection.execute(text("SELECT pg_advisory_xact_lock(7407)"))
        tables = _existing_tables(connection)
        unscoped_feed = _add_scope_columns(connection)
        for statement in (_SCOPE_FUNCTIONS, _HORIZON_FUNCTION, _APPEND_ONLY_FUNCTION, _INBOUND_NOTIFY_FUNCTION):
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_change_feed_txid_seq ON change_feed (txid, seq)")
        # one member's feed rows and current rows, for a desk fetching a member online
        connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_member_name_key_member_id ON member_name_key (member_id)")
        for table, keys in REPLICATED.items():
            if table not in tables:
                continue
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS ld_feed ON {table}")  # the single row trigger of older centrals
            connection.exec_driver_sql(_inserted_rows_function(table, keys))
            _replace_trigger(
                connection, table, "ld_feed_insert",
                f"AFTER INSERT ON {table} REFERENCING NEW TABLE AS ld_inserted FOR EACH STATEMENT EXECUTE FUNCTION ld_feed_inserted_{table}()",
            )
            connection.exec_driver_sql(_changed_row_function(table, keys))
            _replace_trigger(
                connection, table, "ld_feed_change", f"AFTER UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION ld_feed_changed_{table}()"
            )
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS ld_feed_capture()")  # the one row function of older centrals
        if unscoped_feed:
            _scope_existing_feed(connection, tables)
        for table in APPEND_ONLY:
            if table not in tables:
                continue
            _replace_trigger(
                connection, table, "ld_append_only", f"BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ld_append_only()"
            )
        _replace_trigger(
            connection, INBOUND_TABLE, "ld_inbound_notify", f"AFTER INSERT ON {INBOUND_TABLE} FOR EACH STATEMENT EXECUTE FUNCTION ld_inbound_notify()"
        )
        has_check = connection.scalar(text("SELECT 1 FROM pg_constraint WHERE conname = 'ck_member_posted_balance_not_negative'"))
        if not has_check:
            connection.exec_driver_sql("ALTER TABLE member ADD CONSTRAINT ck_member_posted_balance_not_negative CHECK (posted_balance >= 0)")
        _deferrable_foreign_keys(connection)
        _install_roles(connection, tables)
        _install_member_numbers(connection)
        _install_desk_scope(connection)
        _backfill_feed(connection, tables)


def _replace_trigger(connection: Connection, table: str, name: str, definition: str) -> None:
    connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    connection.exec_driver_sql(f"CREATE TRIGGER {name} {definition}")


def _replace_policy(connection: Connection, table: str, name: str, definition: str) -> None:
    connection.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {table}")
    connection.exec_driver_sql(f"CREATE POLICY {name} ON {table} {definition}")


def _grant_functions(connection: Connection, grants: dict[str, tuple[str, ...]]) -> None:
    """Each function (``name(argument types)``) executable by the given roles only (PostgreSQL grants
    EXECUTE to PUBLIC by default)."""
    for function, roles in grants.items():
        connection.exec_driver_sql(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        if roles:
            connection.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {', '.join(roles)}")


def _add_scope_columns(connection: Connection) -> bool:
    """The feed's scope columns; True when they were added to a feed that already held rows."""
    present = connection.scalar(
        text("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'change_feed' AND column_name = 'scope_members'")
    )
    if present:
        return False
    connection.exec_driver_sql(
        "ALTER TABLE change_feed ADD COLUMN scope_members bigint[], ADD COLUMN scope_branches bigint[], ADD COLUMN credential_branch bigint"
    )
    return bool(connection.scalar(text("SELECT EXISTS (SELECT 1 FROM change_feed)")))


def _scope_existing_feed(connection: Connection, tables: set[str]) -> None:
    """A feed written before rows had a scope: every row gets the scope its trigger would give it now
    (read back from its payload); a row whose member cannot be found any more goes to nobody."""
    connection.exec_driver_sql("ALTER TABLE change_feed DISABLE TRIGGER ld_append_only")
    for table in REPLICATED:
        if table not in tables or (table not in MEMBER_SCOPE and table not in CREDENTIAL_SCOPE):
            continue
        lateral, scope = _scope_select(table, strict=False)
        connection.exec_driver_sql(
            f"UPDATE change_feed f SET (scope_members, scope_branches, credential_branch) = ("
            f"SELECT {scope} FROM json_populate_record(NULL::{table}, f.payload) AS t{lateral}) WHERE f.entity = '{table}'"
        )
    connection.exec_driver_sql("ALTER TABLE change_feed ENABLE TRIGGER ld_append_only")


def _deferrable_foreign_keys(connection: Connection) -> None:
    """Foreign keys may be checked at commit: the applier writes a batch of operations in one flush,
    which orders tables by name rather than by their keys, and asks for ``SET CONSTRAINTS ALL
    DEFERRED``; everyone else still has them checked at once (``INITIALLY IMMEDIATE``)."""
    rows = connection.execute(
        text(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE contype = 'f' AND NOT condeferrable AND connamespace = current_schema()::regnamespace"
        )
    ).all()
    for table, name in rows:
        connection.exec_driver_sql(f'ALTER TABLE {table} ALTER CONSTRAINT "{name}" DEFERRABLE INITIALLY IMMEDIATE')


def _install_roles(connection: Connection, tables: set[str]) -> None:
    for role in (APPLIER_ROLE, DESK_ROLE):
        if not _role_exists(connection, role):
            connection.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
    database = connection.scalar(text("SELECT current_database()"))
    for role in (APPLIER_ROLE, DESK_ROLE):
        connection.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO {role}')
        connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {role}")
        connection.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
    # the applier: reads and inserts everywhere, updates projections, never edits the ledger or the trail
    connection.exec_driver_sql(f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {APPLIER_ROLE}")
    connection.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APPLIER_ROLE}")
    for table in sorted(tables - set(APPEND_ONLY) - {"alembic_version"}):
        connection.exec_driver_sql(f"GRANT UPDATE ON {table} TO {APPLIER_ROLE}")
    for table in APPLIER_DELETE:
        if table in tables:
            connection.exec_driver_sql(f"GRANT DELETE ON {table} TO {APPLIER_ROLE}")
    connection.exec_driver_sql(f"REVOKE INSERT ON {FEED_TABLE} FROM {APPLIER_ROLE}")  # only the feed trigger writes it
    # a desk: its own inbound operations (insert, read the outcome) and the feed; nothing else
    connection.exec_driver_sql(f"GRANT SELECT, INSERT ON {INBOUND_TABLE} TO {DESK_ROLE}")
    connection.exec_driver_sql(f"GRANT SELECT ON {FEED_TABLE} TO {DESK_ROLE}")
    connection.exec_driver_sql(f"ALTER TABLE {INBOUND_TABLE} ENABLE ROW LEVEL SECURITY")
    _replace_policy(connection, INBOUND_TABLE, "desk_own", f"TO {DESK_ROLE} USING (desk = current_user) WITH CHECK (desk = current_user)")
    _replace_policy(connection, INBOUND_TABLE, "applier_all", f"TO {APPLIER_ROLE} USING (true) WITH CHECK (true)")


# The rows a desk may hold: the members of its branches (those configured for it in
# central_desk_branch, else every branch of its branch's region; branches without a region form the
# national default region), the members it fetched online, and the credentials of staff who may
# sign in at its branch. session_user is the desk's login even inside these SECURITY DEFINER
# functions, and no desk can change it.
_DESK_SCOPE_FUNCTIONS = """
CREATE OR REPLACE FUNCTION ld_desk_branch() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT d.branch_id FROM central_desk d WHERE d.login = session_user
$$;

CREATE OR REPLACE FUNCTION ld_desk_member_branches() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT coalesce(
        (SELECT array_agg(c.branch_id) FROM central_desk_branch c WHERE c.login = session_user),
        (SELECT array_agg(b.id) FROM central_desk d JOIN branch own ON own.id = d.branch_id
           JOIN branch b ON b.region IS NOT DISTINCT FROM own.region WHERE d.login = session_user),
        ARRAY[]::bigint[])
$$;

CREATE OR REPLACE FUNCTION ld_desk_members() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT coalesce(array_agg(c.member_id), ARRAY[]::bigint[]) FROM central_desk_member c WHERE c.login = session_user
$$;

CREATE OR REPLACE FUNCTION ld_fetch_member(kind text, handle text) RETURNS TABLE (entity text, payload json)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
    found bigint[];
    target bigint;
    fetched_today int;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM central_desk d WHERE d.login = session_user) THEN
        RAISE EXCEPTION 'only a registered desk may fetch a member' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF kind = 'member_no' THEN
        found := ARRAY(SELECT m.id FROM member m WHERE m.member_no = handle LIMIT 2);
    ELSIF kind = 'card' THEN
        found := ARRAY(SELECT m.id FROM member m WHERE m.card_no = handle LIMIT 2);
    ELSIF kind = 'mobile' THEN
        found := ARRAY(SELECT m.id FROM member m WHERE m.mobile = handle LIMIT 2);
    ELSIF kind = 'id_number' THEN
        found := ARRAY(SELECT m.id FROM member m WHERE m.id_number = handle LIMIT 2);
    ELSIF kind = 'referral_party' THEN
        -- another member of a referral the desk holds (the referral's rows name them)
        found := ARRAY(
            SELECT DISTINCT m.id FROM member m JOIN referral r ON m.id IN (r.referee_member_id, r.referrer_member_id, r.second_level_member_id)
             WHERE m.id = handle::bigint AND EXISTS (
                SELECT 1 FROM member o WHERE o.id IN (r.referee_member_id, r.referrer_member_id, r.second_level_member_id)
                   AND (o.branch_id = ANY (ld_desk_member_branches()) OR o.id = ANY (ld_desk_members()))));
    ELSE
        RAISE EXCEPTION 'unknown handle kind %%', kind USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF cardinality(found) <> 1 THEN
        RETURN;  -- nobody, or a handle several members share: not one member
    END IF;
    target := found[1];
    IF NOT EXISTS (SELECT 1 FROM member m WHERE m.id = target AND (m.branch_id = ANY (ld_desk_member_branches()) OR m.id = ANY (ld_desk_members()))) THEN
        IF kind <> 'referral_party' THEN
            SELECT count(*) INTO fetched_today FROM central_desk_member c
             WHERE c.login = session_user AND c.fetched_at >= date_trunc('day', now() AT TIME ZONE 'UTC');
            IF fetched_today >= %(limit)s THEN
                RAISE EXCEPTION 'this desk has fetched %% members from other regions today', fetched_today
                    USING ERRCODE = '%(limit_state)s', HINT = 'the limit is %(limit)s a day per desk';
            END IF;
        END IF;
        INSERT INTO central_desk_member (login, member_id, fetched_at) VALUES (session_user, target, now() AT TIME ZONE 'UTC')
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN QUERY
        SELECT 'member', to_jsonb(t)::json FROM member t WHERE t.id = target
        UNION ALL SELECT 'member_name_key', to_jsonb(t)::json FROM member_name_key t WHERE t.member_id = target
        UNION ALL SELECT 'operation', to_jsonb(t)::json FROM operation t WHERE t.member_id = target
        UNION ALL SELECT 'ledger_entry', to_jsonb(t)::json FROM ledger_entry t WHERE t.member_id = target
        UNION ALL SELECT 'lot', to_jsonb(t)::json FROM lot t WHERE t.member_id = target
        UNION ALL SELECT 'lot_movement', to_jsonb(t)::json FROM lot_movement t JOIN lot l ON l.id = t.lot_id WHERE l.member_id = target
        UNION ALL SELECT 'redemption', to_jsonb(t)::json FROM redemption t WHERE t.member_id = target
        UNION ALL SELECT 'adjustment_request', to_jsonb(t)::json FROM adjustment_request t WHERE t.member_id = target
        UNION ALL SELECT 'adjustment_approval', to_jsonb(t)::json FROM adjustment_approval t
                   JOIN adjustment_request r ON r.id = t.request_id WHERE r.member_id = target
        UNION ALL SELECT 'referral', to_jsonb(t)::json FROM referral t
                   WHERE target IN (t.referee_member_id, t.referrer_member_id, t.second_level_member_id)
        UNION ALL SELECT 'referral_reward', to_jsonb(t)::json FROM referral_reward t JOIN referral r ON r.id = t.referral_id
                   WHERE target IN (r.referee_member_id, r.referrer_member_id, r.second_level_member_id)
        UNION ALL SELECT 'earning_txn', to_jsonb(t)::json FROM earning_txn t WHERE t.member_id = target;
END $$;
"""


def _install_desk_scope(connection: Connection) -> None:
    connection.exec_driver_sql(_DESK_SCOPE_FUNCTIONS.replace("%(limit)s", str(protocol.FETCH_LIMIT_PER_DAY)).replace("%(limit_state)s", protocol.FETCH_LIMIT_STATE))
    _grant_functions(connection, {
        **dict.fromkeys(("ld_desk_branch()", "ld_desk_member_branches()", "ld_desk_members()", f"{FETCH_MEMBER_FUNCTION}(text, text)"), (DESK_ROLE,)),
        f"{FEED_HORIZON_FUNCTION}()": (DESK_ROLE, APPLIER_ROLE),
        # called only by the feed triggers, with their owner's rights
        **dict.fromkeys(("ld_scope_branches(text, bigint[], boolean, boolean)", "ld_scope_missing(text, boolean)", "ld_credential_branch(bigint)"), ()),
    })
    connection.exec_driver_sql(f"ALTER TABLE {FEED_TABLE} ENABLE ROW LEVEL SECURITY")
    _replace_policy(
        connection, FEED_TABLE, "desk_scope",
        f"FOR SELECT TO {DESK_ROLE} USING ("
        "(scope_members IS NULL AND scope_branches IS NULL AND credential_branch IS NULL)"
        " OR scope_branches && (SELECT ld_desk_member_branches())"
        " OR scope_members && (SELECT ld_desk_members())"
        " OR credential_branch = (SELECT ld_desk_branch()))",
    )
    _replace_policy(connection, FEED_TABLE, "applier_all", f"FOR SELECT TO {APPLIER_ROLE} USING (true)")


def _backfill_feed(connection: Connection, tables: set[str]) -> None:
    """A central that held data before its feed existed: one snapshot row per existing row, once."""
    if connection.scalar(text("SELECT EXISTS (SELECT 1 FROM change_feed)")):
        return
    for table, keys in REPLICATED.items():
        if table not in tables:
            continue
        key_expr = _key_expression(keys, "to_jsonb(t)")
        order = ", ".join(f"t.{k}" for k in keys)
        lateral, scope = _scope_select(table, strict=False)
        connection.exec_driver_sql(
            f"INSERT INTO change_feed ({_FEED_COLUMNS}) "
            f"SELECT pg_current_xact_id()::text::bigint, '{table}', {key_expr}, to_jsonb(t)::json, now() AT TIME ZONE 'UTC', {scope} "
            f"FROM {table} t{lateral} ORDER BY {order}"
        )


def init_central(url: str) -> None:
    """``central init``: the shared schema to head, then the central-only DDL and roles."""
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
        install(engine)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class DeskCredentials:
    desk: str
    role: str
    password: str
    branch_code: str

    def url(self, central_url: str) -> str:
        """The central URL with this desk's login in place of the administrator's."""
        base = make_url(_driver_url(central_url))
        return base.set(username=self.role, password=self.password).render_as_string(hide_password=False).replace(
            "postgresql+psycopg://", "postgresql://", 1
        )


def _driver_url(url: str) -> str:
    return "postgresql+psycopg://" + url.removeprefix("postgresql://") if url.startswith("postgresql://") else url


def desk_role_name(desk: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]{1,40}", desk):
        raise ValueError("desk name: 1 to 40 lower-case letters, digits or underscores")
    return DESK_LOGIN_PREFIX + desk


def add_desk(engine: Engine, desk: str, *, branch_code: str, holds: tuple[str, ...] = ()) -> DeskCredentials:
    """A LOGIN role for one desk in the desk group; the password is generated and returned once.

    ``holds``: codes of the branches whose members the desk holds; empty, its branch's region."""
    role = desk_role_name(desk)
    password = secrets.token_urlsafe(24)
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(7407)"))
        branch_id = _branch_id(connection, branch_code)
        quoted = connection.scalar(text("SELECT quote_literal(:p)"), {"p": password})
        if _role_exists(connection, role):
            connection.exec_driver_sql(f"ALTER ROLE {role} LOGIN PASSWORD {quoted}")
        else:
            connection.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD {quoted} IN ROLE {DESK_ROLE}")
        connection.exec_driver_sql(f"COMMENT ON ROLE {role} IS {_literal(connection, 'loyalty desk, branch ' + branch_code)}")
        connection.execute(
            text(
                "INSERT INTO central_desk (login, desk, branch_id, created_at) VALUES (:login, :desk, :branch, now() AT TIME ZONE 'UTC') "
                "ON CONFLICT (login) DO UPDATE SET branch_id = EXCLUDED.branch_id"
            ),
            {"login": role, "desk": desk, "branch": branch_id},
        )
        held = [_branch_id(connection, code) for code in holds]
        connection.execute(text("DELETE FROM central_desk_branch WHERE login = :login"), {"login": role})
        for held_id in held:
            connection.execute(text("INSERT INTO central_desk_branch (login, branch_id) VALUES (:login, :b) ON CONFLICT DO NOTHING"), {"login": role, "b": held_id})
    return DeskCredentials(desk=desk, role=role, password=password, branch_code=branch_code)


def _branch_id(connection: Connection, code: str) -> int:
    branch_id = connection.scalar(text("SELECT id FROM branch WHERE code = :c"), {"c": code})
    if branch_id is None:
        raise LookupError(f"no branch with code {code!r} on central")
    return int(branch_id)


def _literal(connection: Connection, value: str) -> str:
    return str(connection.scalar(text("SELECT quote_literal(:v)"), {"v": value}))


def replicated_tables() -> dict[str, tuple[str, ...]]:
    """The replicated tables that exist in this release's models."""
    return {t: k for t, k in REPLICATED.items() if t in Base.metadata.tables}


def register_central_key(engine: Engine, *, key_id: str, public_key: str) -> bool:
    """Registers central's own public key in ``staff_key`` (a row without a staff member); True when new.
    The private half stays in its file (``services.signing.load_central_key``)."""
    with engine.begin() as connection:
        inserted = connection.execute(
            text(
                "INSERT INTO staff_key (key_id, staff_id, version, public_key, valid_from, valid_until) "
                "VALUES (:key_id, NULL, coalesce((SELECT max(version) FROM staff_key WHERE staff_id IS NULL), 0) + 1, :public_key, "
                "now() AT TIME ZONE 'UTC', NULL) ON CONFLICT (key_id) DO NOTHING RETURNING key_id"
            ),
            {"key_id": key_id, "public_key": public_key},
        ).scalar()
    return inserted is not None


@dataclass(frozen=True)
class Rejection:
    operation_id: str
    desk: str
    kind: str
    staff_id: int | None
    reason_code: str | None
    reason_params: dict | None
    applied_at: object


@dataclass(frozen=True)
class CentralStatus:
    waiting: int
    oldest_waiting_at: object
    rejections: tuple[Rejection, ...]


def central_status(engine: Engine, *, recent: int = 20) -> CentralStatus:
    """``central status``: what waits in ``inbound_operation`` and the latest rejections with their reasons."""
    with engine.connect() as connection:
        waiting = connection.execute(
            text(f"SELECT count(*), min(received_at) FROM {INBOUND_TABLE} WHERE status = '{RECEIVED}'")
        ).one()
        rows = connection.execute(
            text(f"SELECT operation_id, desk, kind, staff_id, reason_code, reason_params, applied_at FROM {INBOUND_TABLE} "
                 f"WHERE status = '{REJECTED}' ORDER BY applied_at DESC, operation_id LIMIT :n"),
            {"n": recent},
        ).all()
    return CentralStatus(
        waiting=int(waiting[0]),
        oldest_waiting_at=waiting[1],
        rejections=tuple(Rejection(r.operation_id, r.desk, r.kind, r.staff_id, r.reason_code, r.reason_params, r.applied_at) for r in rows),
    )
