"""The desk ↔ central contract: the tables, functions, roles and statements both sides rely on.

A desk talks to central's PostgreSQL with plain SQL under its own login (``ld_desk_<name>``,
role ``loyalty_desk``): it pushes operations into ``inbound_operation`` and reads their verdicts
there, reads ``change_feed`` (row-level security gives it its own scope), fetches a member it does
not hold and reserves member numbers through central's functions. Central's applier (role
``loyalty_applier``) claims the pushed rows and writes the verdicts. ``central.py`` and
``central_feed.py`` create the tables' extras, the functions and the roles named here; ``push.py``,
``outcomes.py``, ``pull.py``, ``member_requests.py``, ``feed.py`` and ``applier.py`` send the
statements below.
"""

from __future__ import annotations

from sqlalchemy import text

# --- roles and logins -----------------------------------------------------------------------------
APPLIER_ROLE = "loyalty_applier"
DESK_ROLE = "loyalty_desk"
DESK_LOGIN_PREFIX = "ld_desk_"

# --- tables ---------------------------------------------------------------------------------------
INBOUND_TABLE = "inbound_operation"  # what the desks pushed, with central's verdict
FEED_TABLE = "change_feed"  # every change of a replicated table, for the desks to pull
DESK_TABLE = "central_desk"  # the desks central knows: login, name, branch
NUMBER_BLOCK_TABLE = "member_no_block"  # member-number blocks reserved by desks

# Tables the desks replicate, with their primary key columns. Adding a table is one line.
REPLICATED: dict[str, tuple[str, ...]] = {
    "branch": ("id",),
    "staff": ("id",),
    "staff_credential": ("staff_id",),
    "rule_setting": ("section",),
    "rule_change": ("id",),
    "campaign": ("id",),
    "segment": ("id",),
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
    "tier_override": ("id",),
    "hint_response": ("id",),
}

# --- an inbound operation's status ----------------------------------------------------------------
RECEIVED, POSTED, REJECTED = "received", "posted", "rejected"

# --- central's functions a desk calls ---------------------------------------------------------------
FEED_HORIZON_FUNCTION = "ld_feed_horizon"  # txid below which every transaction has finished
FETCH_MEMBER_FUNCTION = "ld_fetch_member"  # a member outside the desk's scope, counted per day
RESERVE_NUMBERS_FUNCTION = "ld_reserve_member_numbers"  # a block of member numbers for a joined desk
DESK_POSITION_FUNCTION = "ld_desk_position"  # where the desk's pull has reached, for central status
FETCH_LIMIT_PER_DAY = 200  # members from outside its branches one desk may fetch a day (a stolen login cannot walk the directory)
FETCH_LIMIT_STATE = "LDF01"  # SQLSTATE of the refusal

# --- desk → central: push and verdicts ----------------------------------------------------------------
PUSH_OPERATION = text(
    f"INSERT INTO {INBOUND_TABLE} (operation_id, desk, kind, payload, payload_digest, origin, staff_id, offline, made_at, signatures, "
    "status, received_at) "
    "VALUES (:id, current_user, :kind, CAST(:payload AS json), :digest, :origin, :staff, :offline, :made_at, "
    f"CAST(:signatures AS json), '{RECEIVED}', "
    "clock_timestamp() AT TIME ZONE 'UTC') ON CONFLICT (operation_id) DO NOTHING RETURNING operation_id"
)  # the time of each insert, not of the push's transaction: a push's operations are applied in the order the desk made them
PUSHED_DIGEST = text(f"SELECT payload_digest FROM {INBOUND_TABLE} WHERE operation_id = :id")
READ_VERDICTS = text(
    f"SELECT operation_id, status, reason_code, reason_params FROM {INBOUND_TABLE} WHERE operation_id = ANY(:ids) AND status <> '{RECEIVED}'"
)

# --- desk → central: members and member numbers ---------------------------------------------------
FETCH_MEMBER = text(f"SELECT entity, payload FROM {FETCH_MEMBER_FUNCTION}(:kind, :handle)")
RESERVE_MEMBER_NUMBERS = text(f"SELECT first_serial, last_serial FROM {RESERVE_NUMBERS_FUNCTION}(:n)")
REPORT_POSITION = text(f"SELECT {DESK_POSITION_FUNCTION}(:txid, :seq)")

# --- desk ← central: the change feed ---------------------------------------------------------------
FEED_COLUMNS = "txid, seq, entity, entity_key, payload"
FEED_HORIZON = text(f"SELECT {FEED_HORIZON_FUNCTION}()")
FEED_PAGE = text(
    f"SELECT {FEED_COLUMNS} FROM {FEED_TABLE} "
    "WHERE (txid, seq) > (:txid, :seq) AND txid < :horizon ORDER BY txid, seq LIMIT :limit"
)
FEED_REST_OF_TRANSACTION = text(f"SELECT {FEED_COLUMNS} FROM {FEED_TABLE} WHERE txid = :txid AND seq > :seq ORDER BY seq")
FEED_WAITING = text(f"SELECT count(*) FROM {FEED_TABLE} WHERE (txid, seq) > (:txid, :seq)")
FEED_WAITING_BY_ENTITY = text(
    f"SELECT entity, count(*) FROM {FEED_TABLE} WHERE (txid, seq) > (:txid, :seq) AND txid < :horizon GROUP BY entity"
)
FEED_LAST_OF_ENTITY = text(
    f"SELECT txid, seq FROM {FEED_TABLE} WHERE entity = :e AND (txid, seq) > (:t, :s) AND txid < :h ORDER BY txid DESC, seq DESC LIMIT 1"
)

# --- central's applier ------------------------------------------------------------------------------
INBOUND_COLUMNS = "operation_id, desk, kind, payload, payload_digest, origin, staff_id, offline, made_at, received_at, signatures"
CLAIM_OPERATIONS = text(
    f"SELECT {INBOUND_COLUMNS} FROM {INBOUND_TABLE} "
    f"WHERE status = '{RECEIVED}' ORDER BY received_at, operation_id LIMIT :limit FOR UPDATE SKIP LOCKED"
)
RECLAIM_OPERATIONS = text(
    f"SELECT {INBOUND_COLUMNS} FROM {INBOUND_TABLE} "
    f"WHERE operation_id = ANY(:ids) AND status = '{RECEIVED}' ORDER BY received_at, operation_id FOR UPDATE SKIP LOCKED"
)
# One statement for the verdicts of the whole batch (the columns a verdict does not set stay NULL, as they were), sent as
# one JSON document: as text arrays, the driver escaped every quote of the results' JSON in Python.
WRITE_VERDICTS = text(
    f"UPDATE {INBOUND_TABLE} AS i SET status = v.status, applied_at = v.applied_at, result = CAST(v.result AS json), "
    "reason_code = v.code, reason_params = CAST(v.params AS json) "
    "FROM json_to_recordset(CAST(:verdicts AS json)) AS v(operation_id text, status text, applied_at timestamp, result text, code text, params text) "
    "WHERE i.operation_id = v.operation_id"
)
# Desks of a batch with operations received before the batch's first of theirs and still waiting (another applier holds them):
# the batch leaves those desks' operations for later, so a desk's operations are applied in the order it made them.
DESKS_WITH_EARLIER_WAITING = text(
    f"SELECT DISTINCT f.desk FROM unnest(CAST(:desks AS text[]), CAST(:ats AS timestamp[]), CAST(:ids AS text[])) AS f(desk, at, id) "
    f"JOIN {INBOUND_TABLE} i ON i.desk = f.desk AND i.status = '{RECEIVED}' AND (i.received_at, i.operation_id) < (f.at, f.id)"
)
# Waiting operations a batch's operations depend on (``waits_for`` of their handlers: an operation id, or the start of one),
# with the member each names (``member_no`` of its payload), the member an operation waiting for it concerns.
# A reference is matched to the queued operations whose id starts with it, ignoring case. Each reference is looked up in
# ``ix_inbound_operation_waiting_start`` (``central.install``) by its key, the first ``PREREQUISITE_KEY`` characters
# lower-cased (a redemption number carries the first 13 characters of its operation id,
# ``domain.redemption.redemption_operation_start``; an adjustment decision the whole id), compared byte for byte
# (``COLLATE "C"``: equal exactly when equal under the database's collation); the whole prefix is checked on what the key
# found. ``OFFSET 0`` keeps PostgreSQL from flattening the lookup into a join it would hash or merge over every queued
# operation: measured (``tests/bench/bench_waiting_prerequisites.py``), that grows with the queue (~50 ms with 100,000
# queued) while a lookup per reference does not (~1 ms for 200 references). A reference shorter than the key (no
# handler makes one; a malformed payload could) cannot use it and is matched by ``WAITING_PREREQUISITES_SHORT``.
PREREQUISITE_KEY = 13
_WAITING_KEY = f'lower(left({{}}, {PREREQUISITE_KEY})) COLLATE "C"'
WAITING_START_INDEX = (
    f"CREATE INDEX IF NOT EXISTS ix_inbound_operation_waiting_start ON {INBOUND_TABLE} "
    f"(({_WAITING_KEY.format('operation_id')})) WHERE status = '{RECEIVED}'"
)
WAITING_PREREQUISITES = text(
    f"SELECT p.ref, w.operation_id, w.member_no FROM unnest(CAST(:refs AS text[])) AS p(ref) "
    f"CROSS JOIN LATERAL (SELECT i.operation_id, i.payload ->> 'member_no' AS member_no FROM {INBOUND_TABLE} i WHERE i.status = '{RECEIVED}' "
    f"AND {_WAITING_KEY.format('i.operation_id')} = {_WAITING_KEY.format('p.ref')} "
    f"AND lower(left(i.operation_id, length(p.ref))) = lower(p.ref) OFFSET 0) w"
)
WAITING_PREREQUISITES_SHORT = text(
    f"SELECT p.ref, i.operation_id, i.payload ->> 'member_no' AS member_no FROM unnest(CAST(:refs AS text[])) AS p(ref) "
    f"JOIN {INBOUND_TABLE} i ON i.status = '{RECEIVED}' AND lower(left(i.operation_id, length(p.ref))) = lower(p.ref)"
)
PUSHING_DESKS = text(f"SELECT login, desk, branch_id FROM {DESK_TABLE} WHERE login = ANY(:logins)")
# The member-number blocks central handed to the batch's registering desks (``ld_reserve_member_numbers``).
RESERVED_BLOCKS = text(f"SELECT desk, first_serial, last_serial FROM {NUMBER_BLOCK_TABLE} WHERE desk = ANY(:desks)")
