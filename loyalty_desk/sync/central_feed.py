"""Central's change feed: AFTER triggers on every replicated table append each inserted, updated or
deleted row (``to_jsonb``) with the writing transaction's id (``pg_current_xact_id``) to
``change_feed`` (inserts once per statement from its transition table, the rest per row), tagged
with the members, home branches or staff branch the row concerns (``MEMBER_SCOPE``,
``CREDENTIAL_SCOPE``); the horizon function the readers use (``sync/feed.py``); and the row-level
security that gives each desk its own part of the feed (docs/sync.md, "What a desk may read").
Installed by ``central.install`` on every ``central init``.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from loyalty_desk.sync import protocol
from loyalty_desk.sync.protocol import APPLIER_ROLE, DESK_ROLE, FEED_HORIZON_FUNCTION, FEED_TABLE, FETCH_MEMBER_FUNCTION, REPLICATED

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
    "tier_override": "ARRAY[t.member_id]",
    "hint_response": "ARRAY[t.member_id]",
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


SCOPE_FUNCTIONS = """
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


def _feed_insert(table: str, keys: tuple[str, ...], row_json: str, rows: str) -> str:
    """The end of a feed trigger function: the feed rows of ``rows`` (each row ``t`` of ``table``,
    given as jsonb by ``row_json``), with their key and scope."""
    lateral, scope = _scope_select(table)
    return f"""    INSERT INTO change_feed ({_FEED_COLUMNS})
    SELECT pg_current_xact_id()::text::bigint, TG_TABLE_NAME, {_key_expression(keys, row_json)}, {row_json}::json, clock_timestamp() AT TIME ZONE 'UTC',
           {scope}
      FROM {rows}{lateral};
    RETURN NULL;
END $$;
"""


def inserted_rows_function(table: str, keys: tuple[str, ...]) -> str:
    """The feed rows of one INSERT statement, however many rows it inserted, in one statement: the
    applier writes a batch's rows with multi-row INSERTs, and a trigger per row would cost more
    than the insert itself. Updates and deletes have a row trigger (``changed_row_function``)."""
    return f"""
CREATE OR REPLACE FUNCTION ld_feed_inserted_{table}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
{_feed_insert(table, keys, "r.j", "ld_inserted t CROSS JOIN LATERAL (SELECT to_jsonb(t) AS j) AS r")}"""


def changed_row_function(table: str, keys: tuple[str, ...]) -> str:
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
    -- A newer transaction changed this row and committed while this older one waited for the row:
    -- its feed row comes later in (txid, seq) order but holds the earlier version. No reader has it
    -- yet (the horizon is at or below this transaction's id), so it goes; this row supersedes it.
    DELETE FROM change_feed
     WHERE entity = TG_TABLE_NAME AND entity_key = {_key_expression(keys, "j")} AND txid > pg_current_xact_id()::text::bigint;
{_feed_insert(table, keys, "j", "(SELECT) AS nothing")}"""


# The feed horizon: the oldest transaction *of this database* still running (rows of transactions
# at or above it are held back). Transactions of other databases on the same server have xids
# too; a cluster-wide pg_snapshot_xmin would let any long transaction anywhere stall the feed.
# s1 is taken first; a transaction in s1's in-progress list that is no longer running when
# pg_stat_activity is read has committed before the caller's next statement (which reads the
# page with a newer snapshot), so its rows are seen. Without the right to see other sessions'
# xids (superuser or pg_read_all_stats), fall back to the cluster-wide xmin: slower, still safe.
#
# On a hot standby (a read replica, docs/sync.md "Pooled and replica operation") pg_stat_activity
# shows the standby's own read-only sessions, never the primary's writers, so the search above would
# find nothing and return xmax, past transactions still running on the primary: a desk would skip
# their rows when they commit. There the standby's snapshot is the truth: its xip lists every
# transaction id the replayed WAL has shown and whose commit or abort is not replayed yet (ids
# below the newest one seen count as running until then), so its xmin is the oldest transaction
# whose end this replica has not replayed. Rows below it are replayed and visible to the page's
# later snapshot; a lagging or paused replica holds the horizon back, it never moves it ahead.
# The standby cannot tell databases apart: a long transaction anywhere on the primary holds it.


HORIZON_FUNCTION = """
CREATE OR REPLACE FUNCTION ld_feed_horizon() RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    s1 pg_snapshot := pg_current_snapshot();
    oldest bigint;
BEGIN
    IF pg_is_in_recovery() THEN
        RETURN pg_snapshot_xmin(s1)::text::bigint;
    END IF;
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


def replace_trigger(connection: Connection, table: str, name: str, definition: str) -> None:
    connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    connection.exec_driver_sql(f"CREATE TRIGGER {name} {definition}")


def replace_policy(connection: Connection, table: str, name: str, definition: str) -> None:
    connection.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {table}")
    connection.exec_driver_sql(f"CREATE POLICY {name} ON {table} {definition}")


def grant_functions(connection: Connection, grants: dict[str, tuple[str, ...]]) -> None:
    """Each function (``name(argument types)``) executable by the given roles only (PostgreSQL grants
    EXECUTE to PUBLIC by default)."""
    for function, roles in grants.items():
        connection.exec_driver_sql(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        if roles:
            connection.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {', '.join(roles)}")


def add_scope_columns(connection: Connection) -> bool:
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


def scope_existing_feed(connection: Connection, tables: set[str]) -> None:
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


# The rows a desk may hold: the members of its branches (those configured for it in
# central_desk_branch, else every branch of its branch's region; branches without a region form the
# national default region), the members it fetched online, and the credentials of staff who may
# sign in at its branch. session_user is the desk's login even inside these SECURITY DEFINER
# functions, and no desk can change it.
DESK_SCOPE_FUNCTIONS = """
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
        UNION ALL SELECT 'earning_txn', to_jsonb(t)::json FROM earning_txn t WHERE t.member_id = target
        UNION ALL SELECT 'tier_override', to_jsonb(t)::json FROM tier_override t WHERE t.member_id = target
        UNION ALL SELECT 'hint_response', to_jsonb(t)::json FROM hint_response t WHERE t.member_id = target;
END $$;
"""


def install_desk_scope(connection: Connection) -> None:
    connection.exec_driver_sql(
        DESK_SCOPE_FUNCTIONS.replace("%(limit)s", str(protocol.FETCH_LIMIT_PER_DAY)).replace("%(limit_state)s", protocol.FETCH_LIMIT_STATE)
    )
    grant_functions(connection, {
        **dict.fromkeys(("ld_desk_branch()", "ld_desk_member_branches()", "ld_desk_members()", f"{FETCH_MEMBER_FUNCTION}(text, text)"), (DESK_ROLE,)),
        f"{FEED_HORIZON_FUNCTION}()": (DESK_ROLE, APPLIER_ROLE),
        # called only by the feed triggers, with their owner's rights
        **dict.fromkeys(("ld_scope_branches(text, bigint[], boolean, boolean)", "ld_scope_missing(text, boolean)", "ld_credential_branch(bigint)"), ()),
    })
    connection.exec_driver_sql(f"ALTER TABLE {FEED_TABLE} ENABLE ROW LEVEL SECURITY")
    replace_policy(
        connection, FEED_TABLE, "desk_scope",
        f"FOR SELECT TO {DESK_ROLE} USING ("
        "(scope_members IS NULL AND scope_branches IS NULL AND credential_branch IS NULL)"
        " OR scope_branches && (SELECT ld_desk_member_branches())"
        " OR scope_members && (SELECT ld_desk_members())"
        " OR credential_branch = (SELECT ld_desk_branch()))",
    )
    replace_policy(connection, FEED_TABLE, "applier_all", f"FOR SELECT TO {APPLIER_ROLE} USING (true)")


def backfill_feed(connection: Connection, tables: set[str]) -> None:
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
