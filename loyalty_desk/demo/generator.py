"""Demo and benchmark data: a local store filled with realistic, deterministic data.

``generate(data_dir, members=2000, seed=7, today=...)`` deletes the local store in
``data_dir`` (if any) and rebuilds it: the same ``seed`` and ``today`` give the same
rows (only the Argon2 salt of the demo password hash differs from run to run).

What it holds
-------------
* 5 branches: ``HQ01`` 总行营业部 (head office, Beijing), ``BJ01`` 北京分行,
  ``SH01`` 上海分行, ``SZ01`` 深圳分行, ``HZ01`` 杭州分行 (ids 1-5 in that order), in three
  regions: ``north`` (HQ01, BJ01), ``east`` (SH01, HZ01), ``south`` (SZ01).
* Staff (``DEMO_PASSWORD`` = ``demo1234`` for every account, hashed once):
  ``officer.<b>1``/``officer.<b>2`` and ``supervisor.<b>1``/``supervisor.<b>2`` for
  every branch ``<b>`` in hq, bj, sh, sz, hz, plus ``admin`` and ``auditor`` at head office.
* Members ``M1000000016`` ... (serial 100000000 + id): common Chinese names (weighted
  surnames; every 500th member from id 7 on is exactly 张伟) with ``name_pinyin`` and the
  ``member_name_key`` rows lookup searches (every suffix of the name and the pinyin key,
  as ``domain.names.name_search_keys`` + ``to_pinyin_key``), ~3 % business members
  (company names, unified social credit codes), valid resident IDs (born 1950-2004),
  unique mobiles, 16-digit ``6222`` cards for ~85 %, addresses in the branch's city,
  ~1 % frozen and ~0.5 % closed.
* 27 months of earning history (24 live months plus 3 already expired): card spend
  (tier multiplier; x2 in the Spring Festival campaign window), financing (high-margin
  products x1.5), on-time repayments, profile / branch event / survey, and the card
  journey bonuses. Every earning is a ledger entry (kind ``earn``) and a lot expiring per
  ``lot_expiry_date``; lots whose expiry date has passed were consumed by one expiry
  entry (kind ``expire``) per member and run date, with ``lot_movement`` rows. The lots
  earned 24 months before ``today`` expire at the end of this month.
  Demo history is imported history: ``operation_id`` is NULL, ``entry_uid`` is
  ``demo:<member_no>:<nn>``. Ids are ``member_id * 64 + n`` (entries, lots share the id of
  their entry, movements), so they do not depend on how the work was split up.
* Tier = the tier whose threshold the qualifying points of the last 12 months reach;
  ``last_upgrade_on`` = the day that threshold was crossed in that window. Card spend and
  financing were multiplied with the multiplier of the member's spending profile (the
  tier they were generated to reach), an approximation of "the tier at the time".
* Redemptions at the desk by 30-70 % of the members who earned (more of the richer spending
  profiles), one to four each on distinct days, posted the way the earnings are: a ``redeem``
  entry (``entry_uid`` ``redeem:<operation id>``, the receipt number as its reference, a branch
  officer as its staff) taking points from the earliest-expiring lots (``lot_movement`` rows, so
  the later expiry takes only what is left), its ``operation`` row and its ``redemption`` row.
  Within the limits: a reward the member can afford, of a tier at most the one their spending
  profile reaches, within its yearly limit, one a day; vouchers, cash rebates and service
  privileges only (a physical gift's stock at the branch was received today).
* Default rule settings, two campaigns (last Spring Festival double points on card spend,
  a current financing campaign), audit events for everything above (valid hash chain).

The bulk load uses the raw ``sqlite3`` module: non-unique indexes are dropped and
re-created afterwards, journal and sync are off while loading, and for large runs two
worker processes build chunks of members in in-memory SQLite databases that the main
process copies in with ``INSERT ... SELECT`` (chunks are seeded by their first member id,
so serial and parallel runs give the same rows).
"""

from __future__ import annotations

import math
import os
import sqlite3
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from loyalty_desk.demo.members import BULK_TABLES, ChunkTables, generate_chunk, worker_chunk, worker_init
from loyalty_desk.demo.reference_data import campaign_windows
from loyalty_desk.demo.staff import DEMO_PASSWORD, demo_accounts, write_reference

Progress = Callable[[int, int, str], None]


PARALLEL_THRESHOLD = 40_000  # below this many members everything runs in this process


CHUNK_MEMBERS = 25_000


INDEXES_KEPT_DURING_LOAD = frozenset({
    "ix_ledger_entry_member_id_id", "ix_ledger_entry_member_id_occurred_on", "ix_ledger_entry_operation_id",
    "ix_ledger_entry_reference", "ix_lot_member_id_expires_on", "ix_lot_movement_entry_id", "ix_lot_movement_lot_id",
})


@dataclass(frozen=True)
class DemoSummary:
    members: int
    entries: int
    lots: int
    seconds: float
    accounts: list[tuple[str, str, str, str]]  # (username, role, branch_code, password)


def _write_campaigns_and_summary(database: Any, today: date, extra: dict[str, int], summary: dict[str, Any]) -> None:
    from loyalty_desk.services.audit import SYSTEM, record
    from loyalty_desk.store.models import Campaign
    from loyalty_desk.store.uow import uow_factory

    now = datetime.combine(today, time(0, 0))
    with uow_factory(database)(write=True) as uow:
        for spec in campaign_windows(today):
            spent = extra.get(spec["code"], 0)
            # budget: a round figure above what the demo history spent (past campaign ~80 % used)
            budget = max(1_000_000, math.ceil(spent / 0.8 / 1_000_000) * 1_000_000)
            campaign = Campaign(
                code=spec["code"], name_zh=spec["name_zh"], name_en=spec["name_en"], starts_on=spec["starts_on"],
                ends_on=spec["ends_on"], sources=spec["sources"], tiers=spec["tiers"], multiplier=spec["multiplier"],
                budget_points=budget, spent_points=spent, status="approved", created_by="system", created_at=now,
                decided_by="system", decided_at=now,
            )
            uow.reference.add_campaign(campaign)
            uow.flush()
            uow.reference.recount_campaign_members(spec["code"])
            record(uow, SYSTEM, "campaign.created", entity="campaign", entity_id=spec["code"],
                   after={**spec, "budget_points": budget}, now=now)
        record(uow, SYSTEM, "demo.generated", entity="store", details=summary, now=now)
        uow.commit()


def _seed_rewards(database: Any, today: date) -> int:
    """The catalogue before the members: the generated redemptions name its rewards by id (in the catalogue's order)."""
    from loyalty_desk.demo.catalogue import DEMO_CATALOGUE, seed_catalogue
    from loyalty_desk.store.uow import uow_factory

    with uow_factory(database)(write=True) as uow:
        added = seed_catalogue(uow, today, now=datetime.combine(today, time(0, 0)))
        for reward_id, seed in enumerate(DEMO_CATALOGUE, start=1):
            row = uow.redemption.reward_by_code(seed.code)
            if row is None or row.id != reward_id:
                raise RuntimeError(f"demo reward {seed.code} is not id {reward_id}")
        uow.commit()
    return added


def generate(
    data_dir: Path,
    *,
    members: int = 2000,
    seed: int = 7,
    progress: Progress | None = None,
    today: date | None = None,
) -> DemoSummary:
    """Deletes the local store in ``data_dir`` and builds a demo store (see the module doc)."""
    from loyalty_desk.services.passwords import hash_password
    from loyalty_desk.store import analytics
    from loyalty_desk.store.db import LOCAL_STORE_FILENAME, Database

    started = _time.perf_counter()
    today = today or date.today()
    report = progress or (lambda done, total, text: None)
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    store = data_dir / LOCAL_STORE_FILENAME
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)

    report(0, members, "schema")
    database = Database.open_local(data_dir)
    write_reference(database, today, hash_password(DEMO_PASSWORD))
    rewards = _seed_rewards(database, today)
    database.dispose()

    conn = sqlite3.connect(store, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("PRAGMA cache_size=-1000000")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA threads=2")
    conn.execute("PRAGMA foreign_keys=OFF")
    # The analytics triggers would count row by row; they are dropped for the load and the
    # aggregates rebuilt from the loaded rows in one pass at the end (store/analytics.py).
    analytics.uninstall(analytics.sqlite3_execute(conn), False)
    # Indexes whose keys arrive in order (member by member, chronologically) stay: appending
    # to them is cheap. The others are dropped now and rebuilt, sorted once, after the load.
    placeholders = ", ".join("?" * len(BULK_TABLES))
    dropped = [
        (name, sql) for name, sql in conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ({placeholders})",
            tuple(BULK_TABLES),
        )
        if name not in INDEXES_KEPT_DURING_LOAD
    ]
    for name, _sql in dropped:
        conn.execute(f'DROP INDEX "{name}"')

    totals = {"members": 0, "entries": 0, "lots": 0, "redemptions": 0}
    rules_seen: set[str] = set()
    extra: dict[str, int] = {}

    def add(stats: dict[str, Any]) -> None:
        for key in totals:
            totals[key] += stats[key]
        rules_seen.update(stats["rules"])
        for code, points in stats["campaign_extra"].items():
            extra[code] = extra.get(code, 0) + points
        report(totals["members"], members, "members")

    chunks = [(first, min(CHUNK_MEMBERS, members - first + 1)) for first in range(1, members + 1, CHUNK_MEMBERS)]
    if members < PARALLEL_THRESHOLD or (os.cpu_count() or 1) < 2:
        tables = ChunkTables(seed, today)
        for first, count in chunks:
            conn.execute("BEGIN")
            add(generate_chunk(tables, first, count, conn))
            conn.execute("COMMIT")
    else:
        _load_parallel(conn, chunks, seed, today, add)

    report(members, members, "indexes")
    for _name, sql in dropped:
        conn.execute(sql)
    report(members, members, "analytics")
    conn.execute("BEGIN")
    analytics.install(analytics.sqlite3_execute(conn), False, today.replace(day=1).isoformat())
    conn.execute("COMMIT")
    conn.execute("PRAGMA analysis_limit=1000")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA locking_mode=NORMAL")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()

    database = Database.open_local(data_dir)  # the normal way in; also checks the revision
    summary_details = {"members": members, "seed": seed, "today": today.isoformat(), **totals,
                       "rules": sorted(rules_seen), "rewards": rewards}
    _write_campaigns_and_summary(database, today, extra, summary_details)
    database.dispose()
    seconds = _time.perf_counter() - started
    report(members, members, "done")
    return DemoSummary(
        members=totals["members"], entries=totals["entries"], lots=totals["lots"], seconds=seconds,
        accounts=demo_accounts(),
    )


def _load_parallel(
    conn: sqlite3.Connection, chunks: list[tuple[int, int]], seed: int, today: date,
    add: Callable[[dict[str, Any]], None],
) -> None:
    """Two worker processes generate chunks while this one copies finished chunks in."""
    import multiprocessing

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(2, initializer=worker_init, initargs=(seed, today)) as pool:
        for data, stats in pool.imap(worker_chunk, chunks):
            conn.execute("ATTACH DATABASE ':memory:' AS chunk")
            conn.deserialize(data, name="chunk")
            conn.execute("BEGIN")
            for table, columns in BULK_TABLES.items():
                names = ", ".join(columns)
                conn.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM chunk.{table}")
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE chunk")
            add(stats)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Build a demo / benchmark local store.")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    args = parser.parse_args(argv)

    def show(done: int, total: int, text: str) -> None:
        print(f"\r{text:10s} {done:>10,d} / {total:,d}", end="", flush=True)

    summary = generate(args.data_dir, members=args.members, seed=args.seed, progress=show, today=args.today)
    print(f"\n{summary.members:,d} members, {summary.entries:,d} entries, {summary.lots:,d} lots in {summary.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def build_demo_store(
    data_dir: Path, *, members: int = 2000, seed: int = 7, progress: Progress | None = None, today: date | None = None
) -> DemoSummary:
    """The demo store a person looks at (``loyalty-desk demo``, first run, screenshots): the generated
    members and history, plus a few referral chains registered and advanced through the real services."""
    from loyalty_desk.demo.referrals import seed_demo_referrals

    summary = generate(data_dir, members=members, seed=seed, progress=progress, today=today)
    seed_demo_referrals(Path(data_dir), today or date.today())
    return summary
