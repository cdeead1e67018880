"""Central PostgreSQL: what only central needs on top of the shared Alembic schema.

``install(engine)`` is idempotent and runs after ``upgrade_to_head`` on every ``central init``:

* the change feed: AFTER triggers on every replicated table append each inserted, updated or
  deleted row (``to_jsonb``) with the writing transaction's id (``pg_current_xact_id``) to
  ``change_feed`` (inserts once per statement from its transition table, the rest per row);
* append-only guards: ``ledger_entry``, ``lot_movement``, ``audit_event``, ``change_feed``
  (and the stock movements when present) refuse UPDATE and DELETE for everybody, owner included;
* ``CHECK (posted_balance >= 0)`` on ``member`` (a desk's SQLite replica may show a negative
  balance for an offline redemption central has not judged yet; central never does);
* roles: ``loyalty_applier`` (read everything, insert, update projections only) and
  ``loyalty_desk`` (insert its own inbound operations, read its own outcomes and the feed;
  nothing else). ``add_desk`` makes one LOGIN role per desk in the ``loyalty_desk`` group.

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

# Tables the desks replicate, with their primary key columns. Adding a table is one line.
REPLICATED: dict[str, tuple[str, ...]] = {
    "branch": ("id",),
    "staff": ("id",),
    "staff_credential": ("staff_id",),
    "rule_setting": ("section",),
    "campaign": ("id",),
    "member": ("id",),
    "member_name_key": ("key", "member_id"),
    "operation": ("id",),
    "ledger_entry": ("id",),
    "lot": ("id",),
    "lot_movement": ("id",),
    "reward": ("id",),
    "reward_stock": ("branch_id", "reward_id"),
    "reward_stock_movement": ("id",),
    "redemption": ("id",),
    "adjustment_request": ("id",),
    "adjustment_approval": ("id",),
    "referral": ("id",),
    "referral_reward": ("id",),
    "earning_txn": ("txn_id",),
}
APPEND_ONLY = ("ledger_entry", "lot_movement", "audit_event", "change_feed", "reward_stock_movement")
# The applier may DELETE nothing but these (a renamed member's old name keys).
APPLIER_DELETE = ("member_name_key",)

APPLIER_ROLE = "loyalty_applier"
DESK_ROLE = "loyalty_desk"
DESK_LOGIN_PREFIX = "ld_desk_"

_FEED_FUNCTION = """
CREATE OR REPLACE FUNCTION ld_feed_capture() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    row_data jsonb;
    key_text text := '';
    i int;
BEGIN
    IF TG_OP = 'DELETE' THEN
        row_data := to_jsonb(OLD) || '{"_deleted": true}'::jsonb;
    ELSE
        row_data := to_jsonb(NEW);
    END IF;
    FOR i IN 0 .. TG_NARGS - 1 LOOP
        key_text := key_text || CASE WHEN i > 0 THEN '|' ELSE '' END || coalesce(row_data ->> TG_ARGV[i], '');
    END LOOP;
    INSERT INTO change_feed (txid, entity, entity_key, payload, made_at)
    VALUES (pg_current_xact_id()::text::bigint, TG_TABLE_NAME, key_text, row_data::json, clock_timestamp() AT TIME ZONE 'UTC');
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


def _inserted_rows_function(table: str, keys: tuple[str, ...]) -> str:
    """The feed rows of one INSERT statement, however many rows it inserted, in one statement: the
    applier writes a batch's rows with multi-row INSERTs, and a trigger per row would cost more
    than the insert itself. Updates and deletes keep the row trigger (``ld_feed_capture``)."""
    key_expression = " || '|' || ".join(f"coalesce(j ->> '{k}', '')" for k in keys)
    return f"""
CREATE OR REPLACE FUNCTION ld_feed_inserted_{table}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO change_feed (txid, entity, entity_key, payload, made_at)
    SELECT pg_current_xact_id()::text::bigint, TG_TABLE_NAME, {key_expression}, j::json, clock_timestamp() AT TIME ZONE 'UTC'
      FROM (SELECT to_jsonb(t) AS j FROM ld_inserted t) AS inserted;
    RETURN NULL;
END $$;
"""


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
        for statement in (_FEED_FUNCTION, _HORIZON_FUNCTION, _APPEND_ONLY_FUNCTION, _INBOUND_NOTIFY_FUNCTION):
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_change_feed_txid_seq ON change_feed (txid, seq)")
        for table, keys in REPLICATED.items():
            if table not in tables:
                continue
            args = ", ".join(f"'{k}'" for k in keys)
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS ld_feed ON {table}")  # the single row trigger of older centrals
            connection.exec_driver_sql(_inserted_rows_function(table, keys))
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS ld_feed_insert ON {table}")
            connection.exec_driver_sql(
                f"CREATE TRIGGER ld_feed_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS ld_inserted "
                f"FOR EACH STATEMENT EXECUTE FUNCTION ld_feed_inserted_{table}()"
            )
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS ld_feed_change ON {table}")
            connection.exec_driver_sql(
                f"CREATE TRIGGER ld_feed_change AFTER UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION ld_feed_capture({args})"
            )
        for table in APPEND_ONLY:
            if table not in tables:
                continue
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS ld_append_only ON {table}")
            connection.exec_driver_sql(
                f"CREATE TRIGGER ld_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ld_append_only()"
            )
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS ld_inbound_notify ON inbound_operation")
        connection.exec_driver_sql(
            "CREATE TRIGGER ld_inbound_notify AFTER INSERT ON inbound_operation FOR EACH STATEMENT EXECUTE FUNCTION ld_inbound_notify()"
        )
        has_check = connection.scalar(text("SELECT 1 FROM pg_constraint WHERE conname = 'ck_member_posted_balance_not_negative'"))
        if not has_check:
            connection.exec_driver_sql("ALTER TABLE member ADD CONSTRAINT ck_member_posted_balance_not_negative CHECK (posted_balance >= 0)")
        _deferrable_foreign_keys(connection)
        _install_roles(connection, tables)
        _backfill_feed(connection, tables)


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
    connection.exec_driver_sql(f"REVOKE INSERT ON change_feed FROM {APPLIER_ROLE}")  # only the feed trigger writes it
    # a desk: its own inbound operations (insert, read the outcome) and the feed; nothing else
    connection.exec_driver_sql(f"GRANT SELECT, INSERT ON inbound_operation TO {DESK_ROLE}")
    connection.exec_driver_sql(f"GRANT SELECT ON change_feed TO {DESK_ROLE}")
    connection.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION ld_feed_horizon() TO {DESK_ROLE}, {APPLIER_ROLE}")
    connection.exec_driver_sql("ALTER TABLE inbound_operation ENABLE ROW LEVEL SECURITY")
    connection.exec_driver_sql("DROP POLICY IF EXISTS desk_own ON inbound_operation")
    connection.exec_driver_sql(f"CREATE POLICY desk_own ON inbound_operation TO {DESK_ROLE} USING (desk = current_user) WITH CHECK (desk = current_user)")
    connection.exec_driver_sql("DROP POLICY IF EXISTS applier_all ON inbound_operation")
    connection.exec_driver_sql(f"CREATE POLICY applier_all ON inbound_operation TO {APPLIER_ROLE} USING (true) WITH CHECK (true)")


def _backfill_feed(connection: Connection, tables: set[str]) -> None:
    """A central that held data before its feed existed: one snapshot row per existing row, once."""
    if connection.scalar(text("SELECT EXISTS (SELECT 1 FROM change_feed)")):
        return
    for table, keys in REPLICATED.items():
        if table not in tables:
            continue
        key_expr = " || '|' || ".join(f"coalesce(to_jsonb(t) ->> '{k}', '')" for k in keys)
        order = ", ".join(keys)
        connection.exec_driver_sql(
            f"INSERT INTO change_feed (txid, entity, entity_key, payload, made_at) "
            f"SELECT pg_current_xact_id()::text::bigint, '{table}', {key_expr}, to_jsonb(t)::json, now() AT TIME ZONE 'UTC' "
            f"FROM {table} t ORDER BY {order}"
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


def add_desk(engine: Engine, desk: str, *, branch_code: str) -> DeskCredentials:
    """A LOGIN role for one desk in the desk group; the password is generated and returned once."""
    role = desk_role_name(desk)
    password = secrets.token_urlsafe(24)
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(7407)"))
        branch_id = connection.scalar(text("SELECT id FROM branch WHERE code = :c"), {"c": branch_code})
        if branch_id is None:
            raise LookupError(f"no branch with code {branch_code!r} on central")
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
    return DeskCredentials(desk=desk, role=role, password=password, branch_code=branch_code)


def _literal(connection: Connection, value: str) -> str:
    return str(connection.scalar(text("SELECT quote_literal(:v)"), {"v": value}))


def replicated_tables() -> dict[str, tuple[str, ...]]:
    """The replicated tables that exist in this release's models."""
    return {t: k for t, k in REPLICATED.items() if t in Base.metadata.tables}
