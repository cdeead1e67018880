"""Central PostgreSQL: what only central needs on top of the shared Alembic schema.

``install(engine)`` is idempotent and runs after ``upgrade_to_head`` on every ``central init``:

* the change feed (``sync/central_feed.py``): AFTER triggers on every replicated table append each
  inserted, updated or deleted row with the writing transaction's id to ``change_feed``, tagged
  with the members, home branches or staff branch the row concerns (the scope columns are added
  there, not in the models);
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
from loyalty_desk.sync.central_feed import (
    HORIZON_FUNCTION,
    SCOPE_FUNCTIONS,
    add_scope_columns,
    backfill_feed,
    changed_row_function,
    grant_functions,
    inserted_rows_function,
    install_desk_scope,
    replace_policy,
    replace_trigger,
    scope_existing_feed,
)
from loyalty_desk.sync.protocol import (
    APPLIER_ROLE,
    DESK_LOGIN_PREFIX,
    DESK_POSITION_FUNCTION,
    DESK_ROLE,
    FEED_TABLE,
    INBOUND_TABLE,
    REPLICATED,
    RESERVE_NUMBERS_FUNCTION,
    WAITING_START_INDEX,
)

APPEND_ONLY = ("ledger_entry", "lot_movement", "audit_event", FEED_TABLE, "reward_stock_movement")
# The applier may DELETE nothing but these (a renamed member's old name keys).
APPLIER_DELETE = ("member_name_key",)

_APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION ld_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- the one exception: the feed trigger of an older transaction dropping a newer transaction's
    -- feed row for the same row, which no reader can have had yet (central_feed.changed_row_function)
    IF TG_TABLE_NAME = 'change_feed' AND TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
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


# A desk says where its pull has reached (on the primary: a replica it pulls from is read-only).
_DESK_POSITION = f"""
CREATE OR REPLACE FUNCTION {DESK_POSITION_FUNCTION}(reached_txid bigint, reached_seq bigint) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    UPDATE central_desk SET pulled_at = now() AT TIME ZONE 'UTC', feed_txid = reached_txid, feed_seq = reached_seq
    WHERE login = session_user;
$$;
"""


def _install_desk_position(connection: Connection) -> None:
    connection.exec_driver_sql(_DESK_POSITION)
    grant_functions(connection, {f"{DESK_POSITION_FUNCTION}(bigint, bigint)": (DESK_ROLE,)})


def _install_member_numbers(connection: Connection) -> None:
    connection.exec_driver_sql(_MEMBER_NUMBERS)
    grant_functions(connection, {"ld_member_serials(integer)": (APPLIER_ROLE,), f"{RESERVE_NUMBERS_FUNCTION}(integer)": (DESK_ROLE,)})


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
        unscoped_feed = add_scope_columns(connection)
        for statement in (SCOPE_FUNCTIONS, HORIZON_FUNCTION, _APPEND_ONLY_FUNCTION, _INBOUND_NOTIFY_FUNCTION):
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_change_feed_txid_seq ON change_feed (txid, seq)")
        # a row's feed rows by key, for an older transaction's change superseding a newer one's (central_feed.py)
        connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_change_feed_entity_key ON change_feed (entity, entity_key, txid)")
        # one member's feed rows and current rows, for a desk fetching a member online
        connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_member_name_key_member_id ON member_name_key (member_id)")
        # the queued operations by the start of their id, for the applier's look-up of waiting prerequisites (protocol.py)
        connection.exec_driver_sql(WAITING_START_INDEX)
        for table, keys in REPLICATED.items():
            if table not in tables:
                continue
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS ld_feed ON {table}")  # the single row trigger of older centrals
            connection.exec_driver_sql(inserted_rows_function(table, keys))
            replace_trigger(
                connection, table, "ld_feed_insert",
                f"AFTER INSERT ON {table} REFERENCING NEW TABLE AS ld_inserted FOR EACH STATEMENT EXECUTE FUNCTION ld_feed_inserted_{table}()",
            )
            connection.exec_driver_sql(changed_row_function(table, keys))
            replace_trigger(
                connection, table, "ld_feed_change", f"AFTER UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION ld_feed_changed_{table}()"
            )
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS ld_feed_capture()")  # the one row function of older centrals
        if unscoped_feed:
            scope_existing_feed(connection, tables)
        for table in APPEND_ONLY:
            if table not in tables:
                continue
            replace_trigger(
                connection, table, "ld_append_only", f"BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ld_append_only()"
            )
        replace_trigger(
            connection, INBOUND_TABLE, "ld_inbound_notify", f"AFTER INSERT ON {INBOUND_TABLE} FOR EACH STATEMENT EXECUTE FUNCTION ld_inbound_notify()"
        )
        has_check = connection.scalar(text("SELECT 1 FROM pg_constraint WHERE conname = 'ck_member_posted_balance_not_negative'"))
        if not has_check:
            connection.exec_driver_sql("ALTER TABLE member ADD CONSTRAINT ck_member_posted_balance_not_negative CHECK (posted_balance >= 0)")
        _deferrable_foreign_keys(connection)
        _install_roles(connection, tables)
        _install_member_numbers(connection)
        _install_desk_position(connection)
        install_desk_scope(connection)
        backfill_feed(connection, tables)


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
    replace_policy(connection, INBOUND_TABLE, "desk_own", f"TO {DESK_ROLE} USING (desk = current_user) WITH CHECK (desk = current_user)")
    replace_policy(connection, INBOUND_TABLE, "applier_all", f"TO {APPLIER_ROLE} USING (true) WITH CHECK (true)")


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
            connection.execute(
                text("INSERT INTO central_desk_branch (login, branch_id) VALUES (:login, :b) ON CONFLICT DO NOTHING"), {"login": role, "b": held_id}
            )
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
