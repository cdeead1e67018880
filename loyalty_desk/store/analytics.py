"""The analytics aggregates' SQL: the triggers that keep them, their rebuild, their check and their compaction.

Every row the aggregates count is written by some path (the operation runner, central's applier
and its ``COPY``, the jobs, imports, a desk's feed pulls and its provisional rows giving way), so
they are kept by triggers in the database itself, in the transaction that writes the row: they can
never disagree with the ledger, whatever wrote it. The triggers only append delta rows (insert-only,
no row updated by two transactions: concurrent appliers never queue on a hot aggregate row); the
queries sum them, and ``compact`` folds a closed month's rows into one row per key dated the month's
first day.

What a row counts under (its key) is one SELECT per source table, written once here and used three
ways: by the triggers over the rows just written (a trigger's ``NEW``/``OLD`` row on SQLite, the
statement's transition table on PostgreSQL), by ``rebuild`` over the whole table and by ``verify``,
which compares the aggregates with the same SELECT over the ledger.

An entry counts under its member's home branch and tier as they are now, like the liability report
always counted: when a member's branch or tier changes (or the member row arrives after its entries,
as a desk's feed may bring it), the member's history moves between keys (``member`` triggers). A
member not held (a row whose member is not in the store) counts under no branch and tier.

SQLite: row triggers (``INSERT``, ``UPDATE`` of the counted columns, ``DELETE``). PostgreSQL:
statement triggers with transition tables (one ``INSERT ... SELECT ... GROUP BY`` however many rows a
``COPY`` wrote) on the append-only tables, row triggers with a ``WHEN`` on ``member`` so that the
balance updates of every operation do not call them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from loyalty_desk.store.models import Base

ENTRY_TABLE = "analytics_entry_day"
LOT_TABLE = "analytics_lot_day"
ACTIVITY_TABLE = "analytics_activity_day"
SERVED_TABLE = "analytics_served"
ACTIVE_TABLE = "analytics_active_month"
ACTIVE_GAP_TABLE = "analytics_active_gap"
SPEND_TABLE = "analytics_member_spend"
CAMPAIGN_TABLE = "analytics_campaign_month"
AGGREGATE_TABLES = (ENTRY_TABLE, LOT_TABLE, ACTIVITY_TABLE, SERVED_TABLE, ACTIVE_TABLE, ACTIVE_GAP_TABLE, SPEND_TABLE, CAMPAIGN_TABLE)

# Desk work that serves a member at a branch: these entries when a staff member posted them.
SERVED_KINDS = ("redeem", "reversal", "adjust")
# A member is active in a month when they earned or redeemed in it (an entry of these kinds dated in it).
ACTIVE_KINDS = ("earn", "redeem")
PREFIX = "ld_analytics_"
TIER_KIND = "tier"  # services/tier_changes.py: a zero-point entry whose details name the tiers

_ENTRY_COLUMNS = "day, branch_id, tier, desk_branch_id, kind, source, points, entries, amount_fen"
_LOT_COLUMNS = "day, branch_id, tier, expires_on, points"
_ACTIVITY_COLUMNS = "day, branch_id, activity, count"
_SPEND_COLUMNS = "day, member_id, amount_fen, purchases"
# The earning rules whose entries carry card spend (services/earning/service.py: a purchase's base award,
# a refund's clawback, each with the transaction's ``amount`` in its details).
CARD_SPEND_RULE = "card_spend"
CARD_REFUND_RULE = "card_refund"


def _detail(alias: str, name: str, postgres: bool) -> str:
    return f"({alias}.details ->> '{name}')" if postgres else f"json_extract({alias}.details, '$.{name}')"


def _source(alias: str, reversed_alias: str, postgres: bool) -> str:
    """An earning's rule, a reversal's reversed kind, a tier change's ``reason:from>to`` (the programme
    results count moves up and down from it), any other entry's rule."""
    moved = f"{alias}.rule || ':' || {_detail(alias, 'from_tier', postgres)} || '>' || {_detail(alias, 'to_tier', postgres)}"
    return (
        f"CASE WHEN {alias}.kind = 'reversal' THEN {reversed_alias}.kind "
        f"WHEN {alias}.kind = '{TIER_KIND}' THEN COALESCE({moved}, {alias}.rule) ELSE {alias}.rule END"
    )


def _date_of(expression: str, postgres: bool) -> str:
    return f"CAST({expression} AS date)" if postgres else f"date({expression})"


# --- what a source row counts under (``src`` is a table, a transition table or a NEW/OLD row) ----------


def _same_day(expression: str) -> str:
    return expression


DayOf = Callable[[str], str]  # the key's day from a row's date: the day itself, or (verify) its month


def entry_select(src: str, postgres: bool, sign: int = 1, by: DayOf = _same_day) -> str:
    return (
        f"SELECT {by('n.occurred_on')} AS day, m.branch_id AS branch_id, m.tier AS tier, n.branch_id AS desk_branch_id, n.kind AS kind, "
        f"{_source('n', 'r', postgres)} AS source, {sign} * SUM(n.points) AS points, {sign} * COUNT(*) AS entries, "
        f"{sign} * SUM({_spend_fen('n', 'r', postgres)}) AS amount_fen "
        f"FROM {src} n LEFT JOIN member m ON m.id = n.member_id LEFT JOIN ledger_entry r ON r.id = n.reverses_entry_id "
        f"GROUP BY {by('n.occurred_on')}, m.branch_id, m.tier, n.branch_id, n.kind, {_source('n', 'r', postgres)}"
    )


def lot_select(src: str, sign: int = 1, by: DayOf = _same_day) -> str:
    return (
        f"SELECT {by('n.earned_on')} AS day, m.branch_id AS branch_id, m.tier AS tier, n.expires_on AS expires_on, {sign} * SUM(n.original) AS points "
        f"FROM {src} n LEFT JOIN member m ON m.id = n.member_id GROUP BY {by('n.earned_on')}, m.branch_id, m.tier, n.expires_on"
    )


def movement_select(src: str, sign: int = 1, by: DayOf = _same_day) -> str:
    return (
        f"SELECT {by('e.occurred_on')} AS day, m.branch_id AS branch_id, m.tier AS tier, l.expires_on AS expires_on, {sign} * SUM(n.points) AS points "
        f"FROM {src} n LEFT JOIN lot l ON l.id = n.lot_id LEFT JOIN ledger_entry e ON e.id = n.entry_id "
        f"LEFT JOIN member m ON m.id = l.member_id GROUP BY {by('e.occurred_on')}, m.branch_id, m.tier, l.expires_on"
    )


def _fen(alias: str, postgres: bool) -> str:
    """An entry's ``amount`` (CNY, as its details hold it) in fen, 0 when it has none."""
    if postgres:
        return f"COALESCE(CAST(ROUND(CAST({_detail(alias, 'amount', True)} AS numeric) * 100) AS bigint), 0)"
    return f"COALESCE(CAST(ROUND(CAST({_detail(alias, 'amount', False)} AS REAL) * 100) AS INTEGER), 0)"


def _spend_fen(alias: str, reversed_alias: str, postgres: bool) -> str:
    """The card spend in fen an entry (``alias``; the entry it reverses, ``reversed_alias``) carries: a
    purchase its amount, a refund's clawback minus its amount, a reversal minus what it reverses, else 0."""
    n, r = alias, reversed_alias
    spend, refund = f"'{CARD_SPEND_RULE}'", f"'{CARD_REFUND_RULE}'"
    return (
        f"CASE WHEN {n}.kind = 'reversal' THEN (CASE WHEN {r}.rule = {spend} THEN -{_fen(r, postgres)} WHEN {r}.rule = {refund} THEN {_fen(r, postgres)} "
        f"ELSE 0 END) WHEN {n}.rule = {spend} THEN {_fen(n, postgres)} WHEN {n}.rule = {refund} THEN -{_fen(n, postgres)} ELSE 0 END"
    )


def spend_select(src: str, postgres: bool, sign: int = 1) -> str:
    """(month, member, amount in fen, purchases) of card spend: a purchase's entry adds its amount and one
    purchase, a refund's clawback takes its amount off, a reversal undoes the entry it reverses (in the
    reversal's own month, as every aggregate counts a reversal on its day)."""
    spend, refund = f"'{CARD_SPEND_RULE}'", f"'{CARD_REFUND_RULE}'"
    counted = "CASE WHEN n.kind = 'reversal' THEN r.rule ELSE n.rule END"
    undo = "CASE WHEN n.kind = 'reversal' THEN -1 ELSE 1 END"
    amount = _spend_fen("n", "r", postgres)
    month = month_start("n.occurred_on", postgres)
    return (
        f"SELECT {month} AS day, n.member_id AS member_id, {sign} * SUM({amount}) AS amount_fen, "
        f"{sign} * SUM(CASE WHEN {counted} = {spend} THEN {undo} ELSE 0 END) AS purchases "
        f"FROM {src} n LEFT JOIN ledger_entry r ON r.id = n.reverses_entry_id "
        f"WHERE (n.kind <> 'reversal' AND n.rule IN ({spend}, {refund})) OR (n.kind = 'reversal' AND r.rule IN ({spend}, {refund})) "
        f"GROUP BY {month}, n.member_id"
    )


def referral_select(src: str, sign: int = 1, by: DayOf = _same_day) -> str:
    return (
        f"SELECT {by('n.registered_on')} AS day, n.branch_id AS branch_id, 'referral' AS activity, {sign} * COUNT(*) AS count "
        f"FROM {src} n GROUP BY {by('n.registered_on')}, n.branch_id"
    )


def adjustment_select(src: str, postgres: bool, sign: int = 1, by: DayOf = _same_day) -> str:
    day = by(_date_of("n.created_at", postgres))
    return (
        f"SELECT {day} AS day, n.branch_id AS branch_id, 'adjustment_request' AS activity, {sign} * COUNT(*) AS count "
        f"FROM {src} n GROUP BY {day}, n.branch_id"
    )


def served_selects(tables: dict[str, str], postgres: bool) -> list[str]:
    """(branch, day, member) of members served, from the given source of each table that serves."""
    kinds = ", ".join(f"'{kind}'" for kind in SERVED_KINDS)
    selects = []
    if "ledger_entry" in tables:
        selects.append(
            f"SELECT DISTINCT n.branch_id, n.occurred_on, n.member_id FROM {tables['ledger_entry']} n "
            f"WHERE n.branch_id IS NOT NULL AND n.staff_id IS NOT NULL AND n.kind IN ({kinds})"
        )
    if "referral" in tables:
        selects.append(f"SELECT DISTINCT n.branch_id, n.registered_on, n.referrer_member_id FROM {tables['referral']} n WHERE n.branch_id IS NOT NULL")
    if "adjustment_request" in tables:
        day = _date_of("n.created_at", postgres)
        selects.append(f"SELECT DISTINCT n.branch_id, {day}, n.member_id FROM {tables['adjustment_request']} n WHERE n.branch_id IS NOT NULL")
    return selects


def _served_insert(select: str) -> str:
    return f"INSERT INTO {SERVED_TABLE} (branch_id, day, member_id) {select} ON CONFLICT DO NOTHING"


def active_select(src: str, postgres: bool) -> str:
    """(month, member) of the members who earned or redeemed, from ``src``'s entries."""
    kinds = ", ".join(f"'{kind}'" for kind in ACTIVE_KINDS)
    return f"SELECT DISTINCT {month_start('n.occurred_on', postgres)}, n.member_id FROM {src} n WHERE n.kind IN ({kinds})"


def campaign_select(src: str, postgres: bool) -> str:
    """(campaign, month, member) of the members a campaign awarded: earnings carrying its code."""
    return (
        f"SELECT DISTINCT n.campaign_code, {month_start('n.occurred_on', postgres)}, n.member_id FROM {src} n "
        "WHERE n.kind = 'earn' AND n.campaign_code IS NOT NULL"
    )


def _campaign_insert(select: str) -> str:
    return f"INSERT INTO {CAMPAIGN_TABLE} (campaign_code, month, member_id) {select} ON CONFLICT DO NOTHING"


def _active_insert(select: str) -> str:
    return f"INSERT INTO {ACTIVE_TABLE} (month, member_id) {select} ON CONFLICT DO NOTHING"


def _gaps_of(rows: str) -> str:
    """(month, the member's active month before it) of every row of ``rows`` (month, member_id)."""
    return f"SELECT g.month AS month, LAG(g.month) OVER (PARTITION BY g.member_id ORDER BY g.month) AS previous_month FROM ({rows}) AS g"


def active_gap_select() -> str:
    """The gap aggregate's rows (day, previous_month, count) recomputed from the active members."""
    gaps = _gaps_of(f"SELECT month, member_id FROM {ACTIVE_TABLE}")
    return f"SELECT month AS day, previous_month, COUNT(*) AS count FROM ({gaps}) AS gaps GROUP BY month, previous_month"


def _active_gap_insert(src: str, postgres: bool) -> str:
    """Before ``_active_insert``: the gap rows the (month, member) rows ``src``'s entries are about to add
    change, as the members' gaps with the new months minus their gaps without (a backdated month splits a
    gap in two). Only the members with a month not yet counted are read again."""
    kinds = ", ".join(f"'{kind}'" for kind in ACTIVE_KINDS)
    month = month_start("n.occurred_on", postgres)
    added = (
        f"SELECT DISTINCT {month} AS month, n.member_id AS member_id FROM {src} n WHERE n.kind IN ({kinds}) "
        f"AND NOT EXISTS (SELECT 1 FROM {ACTIVE_TABLE} z WHERE z.month = {month} AND z.member_id = n.member_id)"
    )
    theirs = f"SELECT a.month AS month, a.member_id AS member_id FROM {ACTIVE_TABLE} a WHERE a.member_id IN (SELECT x.member_id FROM ({added}) AS x)"
    with_added = f"{theirs} UNION SELECT y.month, y.member_id FROM ({added}) AS y"
    return (
        f"INSERT INTO {ACTIVE_GAP_TABLE} (day, previous_month, count) SELECT month, previous_month, SUM(count) FROM ("
        f"SELECT w.month AS month, w.previous_month AS previous_month, 1 AS count FROM ({_gaps_of(with_added)}) AS w "
        f"UNION ALL SELECT v.month, v.previous_month, -1 FROM ({_gaps_of(theirs)}) AS v"
        f") AS d GROUP BY month, previous_month HAVING SUM(count) <> 0"
    )


# --- a member's history moving between keys ------------------------------------------------------------


def _member_history(member: str, branch: str, tier: str, sign: int, postgres: bool) -> list[str]:
    """Statements adding ``sign`` times member ``member``'s entries and lots under ``branch`` and ``tier``."""
    return [
        f"INSERT INTO {ENTRY_TABLE} ({_ENTRY_COLUMNS}) "
        f"SELECT e.occurred_on, {branch}, {tier}, e.branch_id, e.kind, {_source('e', 'r', postgres)}, {sign} * SUM(e.points), {sign} * COUNT(*), "
        f"{sign} * SUM({_spend_fen('e', 'r', postgres)}) "
        f"FROM ledger_entry e LEFT JOIN ledger_entry r ON r.id = e.reverses_entry_id WHERE e.member_id = {member} "
        f"GROUP BY e.occurred_on, e.branch_id, e.kind, {_source('e', 'r', postgres)}",
        f"INSERT INTO {LOT_TABLE} ({_LOT_COLUMNS}) SELECT l.earned_on, {branch}, {tier}, l.expires_on, {sign} * SUM(l.original) "
        f"FROM lot l WHERE l.member_id = {member} GROUP BY l.earned_on, l.expires_on",
        f"INSERT INTO {LOT_TABLE} ({_LOT_COLUMNS}) SELECT e.occurred_on, {branch}, {tier}, l.expires_on, {sign} * SUM(v.points) "
        f"FROM lot l JOIN lot_movement v ON v.lot_id = l.id LEFT JOIN ledger_entry e ON e.id = v.entry_id "
        f"WHERE l.member_id = {member} GROUP BY e.occurred_on, l.expires_on",
    ]


def _member_moves(event: str, postgres: bool) -> list[str]:
    """A member row inserted: its rows written before it (counted under no branch) move under its
    branch and tier; deleted: the other way; updated: from the old branch and tier to the new."""
    attach = _member_history("NEW.id", "NULL", "NULL", -1, postgres) + _member_history("NEW.id", "NEW.branch_id", "NEW.tier", 1, postgres)
    detach = _member_history("OLD.id", "OLD.branch_id", "OLD.tier", -1, postgres) + _member_history("OLD.id", "NULL", "NULL", 1, postgres)
    if event == "INSERT":
        return attach
    if event == "DELETE":
        return detach
    if event == "MOVE":
        return _member_history("OLD.id", "OLD.branch_id", "OLD.tier", -1, postgres) + _member_history("NEW.id", "NEW.branch_id", "NEW.tier", 1, postgres)
    return detach + attach  # the id changed


# --- triggers -------------------------------------------------------------------------------------------


def _row_source(table: str, which: str) -> str:
    """SQLite: a trigger's NEW or OLD row as a one-row derived table (trigger bodies allow no WITH)."""
    columns = ", ".join(f"{which}.{column.name} AS {column.name}" for column in Base.metadata.tables[table].columns)
    return f"(SELECT {columns})"


def _writes(table: str, src: str, sign: int, postgres: bool) -> list[str]:
    """The aggregate rows one source's rows (``src``) add, times ``sign``."""
    if table == "ledger_entry":
        statements = [
            f"INSERT INTO {ENTRY_TABLE} ({_ENTRY_COLUMNS}) {entry_select(src, postgres, sign)}",
            f"INSERT INTO {SPEND_TABLE} ({_SPEND_COLUMNS}) {spend_select(src, postgres, sign)}",
        ]
        if sign > 0:
            statements += [_served_insert(select) for select in served_selects({table: src}, postgres)]
            statements.append(_active_gap_insert(src, postgres))
            statements.append(_active_insert(active_select(src, postgres)))
            statements.append(_campaign_insert(campaign_select(src, postgres)))
        return statements
    if table == "lot":
        return [f"INSERT INTO {LOT_TABLE} ({_LOT_COLUMNS}) {lot_select(src, sign)}"]
    if table == "lot_movement":
        return [f"INSERT INTO {LOT_TABLE} ({_LOT_COLUMNS}) {movement_select(src, sign)}"]
    if table == "referral":
        statements = [f"INSERT INTO {ACTIVITY_TABLE} ({_ACTIVITY_COLUMNS}) {referral_select(src, sign)}"]
        if sign > 0:
            statements += [_served_insert(select) for select in served_selects({table: src}, postgres)]
        return statements
    if table == "adjustment_request":
        statements = [f"INSERT INTO {ACTIVITY_TABLE} ({_ACTIVITY_COLUMNS}) {adjustment_select(src, postgres, sign)}"]
        if sign > 0:
            statements += [_served_insert(select) for select in served_selects({table: src}, postgres)]
        return statements
    raise ValueError(table)


# The columns whose change moves a row between keys (an UPDATE of any other column counts nothing).
# A reversal re-pointed at central's copy of the entry it reverses keeps its key: the copy is of the same kind.
COUNTED_COLUMNS = {
    "ledger_entry": ("member_id", "kind", "rule", "points", "occurred_on", "branch_id"),
    "lot": ("member_id", "earned_on", "expires_on", "original"),
    "lot_movement": ("entry_id", "lot_id", "points"),
    "referral": ("registered_on", "branch_id"),
    "adjustment_request": ("created_at", "branch_id"),
}


def _changed(columns: Iterable[str]) -> str:
    return " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in columns)


def _lot_update_extra() -> list[str]:
    """A lot moved to another member or expiry date takes its movements with it (SQLite rows)."""
    def movements(which: str, sign: int) -> str:
        return (
            f"INSERT INTO {LOT_TABLE} ({_LOT_COLUMNS}) SELECT e.occurred_on, m.branch_id, m.tier, {which}.expires_on, {sign} * SUM(v.points) "
            f"FROM lot_movement v LEFT JOIN ledger_entry e ON e.id = v.entry_id LEFT JOIN member m ON m.id = {which}.member_id "
            f"WHERE v.lot_id = {which}.id GROUP BY e.occurred_on, m.branch_id, m.tier"
        )
    return [movements("OLD", -1), movements("NEW", 1)]


def sqlite_triggers() -> list[str]:
    statements = []
    for table in COUNTED_COLUMNS:
        new, old = _row_source(table, "NEW"), _row_source(table, "OLD")
        bodies = {
            "INSERT": ("", _writes(table, new, 1, False)),
            "DELETE": ("", _writes(table, old, -1, False)),
            "UPDATE": (f" WHEN {_changed(COUNTED_COLUMNS[table])}", _writes(table, old, -1, False) + _writes(table, new, 1, False)),
        }
        if table == "lot":
            bodies["UPDATE"] = (bodies["UPDATE"][0], bodies["UPDATE"][1] + _lot_update_extra())
        for event, (when, body) in bodies.items():
            statements.append(
                f"CREATE TRIGGER {PREFIX}{table}_{event.lower()} AFTER {event} ON {table}{when} BEGIN\n  "
                + ";\n  ".join(body)
                + ";\nEND"
            )
    member_events = {
        "insert": ("INSERT", "", _member_moves("INSERT", False)),
        "delete": ("DELETE", "", _member_moves("DELETE", False)),
        "move": ("UPDATE", " WHEN OLD.id = NEW.id AND (OLD.branch_id IS NOT NEW.branch_id OR OLD.tier IS NOT NEW.tier)", _member_moves("MOVE", False)),
        "renumber": ("UPDATE", " WHEN OLD.id IS NOT NEW.id", _member_moves("RENUMBER", False)),
    }
    for name, (event, when, body) in member_events.items():
        statements.append(f"CREATE TRIGGER {PREFIX}member_{name} AFTER {event} ON member{when} BEGIN\n  " + ";\n  ".join(body) + ";\nEND")
    return statements


def sqlite_trigger_names() -> list[str]:
    return [f"{PREFIX}{table}_{event}" for table in COUNTED_COLUMNS for event in ("insert", "delete", "update")] + [
        f"{PREFIX}member_{name}" for name in ("insert", "delete", "move", "renumber")
    ]


def _pg_function(name: str, body: list[str]) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN\n  "
        + ";\n  ".join(body)
        + ";\n  RETURN NULL;\nEND $f$"
    )


def postgres_triggers() -> list[str]:
    statements = []
    for table in COUNTED_COLUMNS:
        for event, transition, sign in (("INSERT", "NEW", 1), ("DELETE", "OLD", -1)):
            function = f"{PREFIX}{table}_{event.lower()}"
            statements.append(_pg_function(function, _writes(table, "ld_rows", sign, True)))
            statements.append(
                f"CREATE TRIGGER {function} AFTER {event} ON {table} REFERENCING {transition} TABLE AS ld_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
        function = f"{PREFIX}{table}_update"
        body = _writes(table, _pg_row("OLD", table), -1, True) + _writes(table, _pg_row("NEW", table), 1, True)
        if table == "lot":
            body += _lot_update_extra()
        statements.append(_pg_function(function, body))
        changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in COUNTED_COLUMNS[table])
        statements.append(f"CREATE TRIGGER {function} AFTER UPDATE ON {table} FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {function}()")
    for name, event, when in (
        ("insert", "INSERT", ""),
        ("delete", "DELETE", ""),
        ("move", "UPDATE", " WHEN (OLD.id = NEW.id AND (OLD.branch_id IS DISTINCT FROM NEW.branch_id OR OLD.tier IS DISTINCT FROM NEW.tier))"),
        ("renumber", "UPDATE", " WHEN (OLD.id IS DISTINCT FROM NEW.id)"),
    ):
        function = f"{PREFIX}member_{name}"
        statements.append(_pg_function(function, _member_moves(name.upper(), True)))
        statements.append(f"CREATE TRIGGER {function} AFTER {event} ON member FOR EACH ROW{when} EXECUTE FUNCTION {function}()")
    return statements


def _pg_row(which: str, table: str) -> str:
    """PostgreSQL: a row trigger's OLD or NEW row as a one-row derived table."""
    columns = ", ".join(f"{which}.{column.name} AS {column.name}" for column in Base.metadata.tables[table].columns)
    return f"(SELECT {columns})"


def postgres_trigger_names() -> list[tuple[str, str]]:
    """(trigger = function name, table)."""
    names = [(f"{PREFIX}{table}_{event}", table) for table in COUNTED_COLUMNS for event in ("insert", "delete", "update")]
    return names + [(f"{PREFIX}member_{name}", "member") for name in ("insert", "delete", "move", "renumber")]


def create_triggers(postgres: bool) -> list[str]:
    return postgres_triggers() if postgres else sqlite_triggers()


def drop_triggers(postgres: bool) -> list[str]:
    if postgres:
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in postgres_trigger_names()] + [
            f"DROP FUNCTION IF EXISTS {name}()" for name, _ in postgres_trigger_names()
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in sqlite_trigger_names()]


# --- rebuild, compaction, verification -----------------------------------------------------------------


def _full_sources() -> dict[str, str]:
    return {table: table for table in COUNTED_COLUMNS}


def rebuild_statements(postgres: bool) -> list[str]:
    """Every aggregate row again from the ledger and the tables it counts (then ``compact_statements``)."""
    statements = [f"DELETE FROM {table}" for table in AGGREGATE_TABLES]
    for table in COUNTED_COLUMNS:
        # made once below, from every source
        kept_apart = tuple(f"INSERT INTO {name}" for name in (SERVED_TABLE, ACTIVE_TABLE, ACTIVE_GAP_TABLE, CAMPAIGN_TABLE))
        statements += [statement for statement in _writes(table, table, 1, postgres) if not statement.startswith(kept_apart)]
    statements += [_served_insert(select) for select in served_selects(_full_sources(), postgres)]
    statements.append(_active_insert(active_select("ledger_entry", postgres)))
    statements.append(f"INSERT INTO {ACTIVE_GAP_TABLE} (day, previous_month, count) {active_gap_select()}")
    statements.append(_campaign_insert(campaign_select("ledger_entry", postgres)))
    return statements


def month_start(expression: str, postgres: bool) -> str:
    """SQL for the first day of the month of the date ``expression``, in the dialect's words."""
    return f"CAST(date_trunc('month', {expression}) AS date)" if postgres else f"date({expression}, 'start of month')"


@dataclass(frozen=True)
class _Shape:
    table: str
    keys: tuple[str, ...]  # besides the day
    sums: tuple[str, ...]


SHAPES = (
    _Shape(ENTRY_TABLE, ("branch_id", "tier", "desk_branch_id", "kind", "source"), ("points", "entries", "amount_fen")),
    _Shape(LOT_TABLE, ("branch_id", "tier", "expires_on"), ("points",)),
    _Shape(ACTIVITY_TABLE, ("branch_id", "activity"), ("count",)),
    _Shape(ACTIVE_GAP_TABLE, ("previous_month",), ("count",)),
    _Shape(SPEND_TABLE, ("member_id",), ("amount_fen", "purchases")),
)


def compact_statements(postgres: bool) -> list[str]:
    """Rows dated before ``:before`` (a month's first day) become one row per month and key.

    PostgreSQL: one statement per table that deletes the rows and inserts their sums (``DELETE ...
    RETURNING`` in a CTE), so a row another transaction commits meanwhile is never deleted unsummed.
    SQLite has one writer at a time: the sums are inserted, then the rows up to the highest id seen deleted.
    """
    statements = []
    for shape in SHAPES:
        keys = ", ".join(shape.keys)
        columns = ", ".join(("day", *shape.keys, *shape.sums))
        sums = ", ".join(f"SUM({name})" for name in shape.sums)
        nonzero = " OR ".join(f"SUM({name}) <> 0" for name in shape.sums)
        if postgres:
            statements.append(
                f"WITH gone AS (DELETE FROM {shape.table} WHERE day < :before RETURNING {columns}) "
                f"INSERT INTO {shape.table} ({columns}) SELECT {month_start('day', True)}, {keys}, {sums} FROM gone "
                f"GROUP BY {month_start('day', True)}, {keys} HAVING {nonzero}"
            )
        else:
            statements.append("CREATE TEMP TABLE IF NOT EXISTS ld_compact_top (top INTEGER)")
            statements.append("DELETE FROM ld_compact_top")
            statements.append(f"INSERT INTO ld_compact_top SELECT COALESCE(MAX(id), 0) FROM {shape.table}")
            statements.append(
                f"INSERT INTO {shape.table} ({columns}) SELECT {month_start('day', False)}, {keys}, {sums} FROM {shape.table} "
                f"WHERE day < :before AND id <= (SELECT top FROM ld_compact_top) GROUP BY {month_start('day', False)}, {keys} HAVING {nonzero}"
            )
            statements.append(f"DELETE FROM {shape.table} WHERE day < :before AND id <= (SELECT top FROM ld_compact_top)")
    return statements


def _expected(shape: _Shape, postgres: bool) -> str:
    """The ledger's figures in the shape of ``shape``'s rows (month, keys..., sums...), grouped by month at once."""
    def by(day: str) -> str:
        return month_start(day, postgres)

    if shape.table == ENTRY_TABLE:
        return entry_select("ledger_entry", postgres, by=by)
    if shape.table == LOT_TABLE:
        return f"{lot_select('lot', by=by)} UNION ALL {movement_select('lot_movement', by=by)}"
    if shape.table == ACTIVE_GAP_TABLE:  # from the active members, which active_difference_query checks against the ledger
        return active_gap_select()
    if shape.table == SPEND_TABLE:
        return spend_select("ledger_entry", postgres)
    return f"{referral_select('referral', by=by)} UNION ALL {adjustment_select('adjustment_request', postgres, by=by)}"


def verify_queries(postgres: bool) -> dict[str, str]:
    """Per aggregate table: the keys (by month) where the aggregates and the ledger differ, with both
    figures (``a_<sum>`` the aggregates', ``l_<sum>`` the ledger's)."""
    queries = {}
    for shape in SHAPES:
        keys = ", ".join(("day", *shape.keys))
        other_keys = ", ".join(shape.keys)
        month = month_start("day", postgres)
        ours = ", ".join([*(f"{name} AS a_{name}" for name in shape.sums), *(f"0 AS l_{name}" for name in shape.sums)])
        theirs = ", ".join([*(f"0 AS a_{name}" for name in shape.sums), *(f"{name} AS l_{name}" for name in shape.sums)])
        sums = ", ".join(f"SUM(a_{name}) AS a_{name}, SUM(l_{name}) AS l_{name}" for name in shape.sums)
        differ = " OR ".join(f"SUM(a_{name}) <> SUM(l_{name})" for name in shape.sums)
        queries[shape.table] = (
            f"SELECT {keys}, {sums} FROM ("
            f"SELECT {month} AS day, {other_keys}, {ours} FROM {shape.table} "
            f"UNION ALL SELECT day, {other_keys}, {theirs} FROM ({_expected(shape, postgres)}) AS expected"
            f") AS both_sides GROUP BY {keys} HAVING {differ} ORDER BY {keys}"
        )
    return queries


def _set_difference_query(expected: str, table: str, columns: tuple[str, ...]) -> str:
    """The rows (``columns``) of ``expected`` (distinct rows) that ``table`` lacks, and those of
    ``table`` that ``expected`` lacks, counted in one pass over ``expected``: the aggregate's key is
    its primary key, so what it holds beyond the expected rows is its count less the expected rows it has."""
    names = ", ".join(columns)
    same = " AND ".join(f"z.{name} = e.{name}" for name in columns)
    return (
        f"WITH e ({names}) AS ({expected}), "
        f"found AS (SELECT COUNT(*) AS expected, COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM {table} z WHERE {same}) THEN 1 ELSE 0 END), 0) AS held FROM e) "
        f"SELECT expected - held, (SELECT COUNT(*) FROM {table}) - held FROM found"
    )


def served_difference_query(postgres: bool) -> str:
    """Members served that the sources name and the aggregate lacks, and the other way round, counted."""
    return _set_difference_query(" UNION ".join(served_selects(_full_sources(), postgres)), SERVED_TABLE, ("branch_id", "day", "member_id"))


def active_difference_query(postgres: bool) -> str:
    """Active members (month, member) the ledger names and the aggregate lacks, and the other way round, counted."""
    return _set_difference_query(active_select("ledger_entry", postgres), ACTIVE_TABLE, ("month", "member_id"))


def campaign_difference_query(postgres: bool) -> str:
    """Campaign participants (campaign, month, member) the ledger names and the aggregate lacks, and the other way round, counted."""
    return _set_difference_query(campaign_select("ledger_entry", postgres), CAMPAIGN_TABLE, ("campaign_code", "month", "member_id"))


# --- running them -------------------------------------------------------------------------------------

Execute = Callable[[str, dict[str, Any]], Any]


def run(execute: Execute, statements: Iterable[str], params: dict[str, Any] | None = None) -> None:
    for statement in statements:
        execute(statement, params or {})


def rebuild(execute: Execute, postgres: bool, before: date | str) -> None:
    """Every aggregate row again from the ledger, closed months (before ``before``) compacted."""
    run(execute, rebuild_statements(postgres))
    run(execute, compact_statements(postgres), {"before": before})


def install(execute: Execute, postgres: bool, before: date | str) -> None:
    """The triggers (again) and aggregates rebuilt from what the store holds: for the migration and
    for loads that write with the triggers dropped (``suspended``)."""
    run(execute, drop_triggers(postgres))
    rebuild(execute, postgres, before)
    run(execute, create_triggers(postgres))


def uninstall(execute: Execute, postgres: bool) -> None:
    run(execute, drop_triggers(postgres))


def sqlalchemy_execute(connection: Any) -> Execute:
    """``execute`` over a SQLAlchemy connection (statements with ``:name`` parameters)."""
    from sqlalchemy import text

    return lambda sql, params: connection.execute(text(sql), params)


def sqlite3_execute(connection: Any) -> Execute:
    """``execute`` over a raw ``sqlite3`` connection."""
    return lambda sql, params: connection.execute(sql, params)
