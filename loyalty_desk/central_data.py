"""Head office's data on central: ``loyalty-desk demo --central URL`` and the imports' ``--central URL``.

``fill_central_with_demo(url, members=...)`` builds the demo store (``loyalty_desk.demo``) in a
temporary folder, then copies its rows into central after ``central init``: table by table in
foreign-key order, a few thousand rows per transaction, so the change feed (the triggers
``central init`` installs) carries every row to the desks in pages of a sensible size. Ids are kept
(the demo's ids are small, far below the desks' provisional ids) and the sequences are moved past
them. Only an empty central is filled: the demo never mixes with real data.

``central_services(url)`` is the same service wiring a desk has, over central's PostgreSQL
database: head office's imports (transactions, members, adjustments) run against it and reach the
desks through the change feed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, func, insert, inspect, select, text

from loyalty_desk.store.analytics import AGGREGATE_TABLES
from loyalty_desk.store.db import Database, make_engine
from loyalty_desk.store.models import Base
from loyalty_desk.sync.central import init_central

Progress = Callable[[int, int, str], None]

DESK_ONLY = frozenset({"outbox", "sync_state", "sync_exception", "alembic_version"})
BATCH_ROWS = 5_000


class CentralDataError(Exception):
    pass


def _report(progress: Progress | None) -> Progress:
    return progress or (lambda done, total, stage: None)


def fill_central_with_demo(url: str, *, members: int = 2000, seed: int = 7, today: date | None = None, progress: Progress | None = None) -> Any:
    """``demo --central URL``: the demo data in central (schema and roles first). Returns the DemoSummary."""
    from loyalty_desk.demo.generator import build_demo_store

    init_central(url)
    _require_empty(url)
    with tempfile.TemporaryDirectory(prefix="loyalty-demo-") as folder:
        summary = build_demo_store(Path(folder), members=members, seed=seed, progress=progress, today=today)
        local = Database.open_local(Path(folder))
        try:
            copy_store(local, url, progress=progress)
        finally:
            local.dispose()
    return summary


def _require_empty(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            held = connection.scalar(text("SELECT (SELECT count(*) FROM member) + (SELECT count(*) FROM staff) + (SELECT count(*) FROM branch)"))
    finally:
        engine.dispose()
    if held:
        raise CentralDataError("central already holds branches, staff or members: the demo fills an empty central database only")


def copy_store(local: Database, url: str, *, progress: Progress | None = None) -> dict[str, int]:
    """Copies every shared table of a local store into central (same ids), then moves central's sequences on."""
    report = _report(progress)
    central = make_engine(url)
    copied: dict[str, int] = {}
    try:
        with central.connect() as connection:
            central_tables = set(inspect(connection).get_table_names())
        # central's own triggers keep its analytics aggregates as the rows arrive (store/analytics.py)
        tables = [t for t in Base.metadata.sorted_tables if t.name in central_tables and t.name not in DESK_ONLY and t.name not in AGGREGATE_TABLES]
        with local.read_engine.connect() as source:
            local_tables = set(inspect(source).get_table_names())
            for table in tables:
                if table.name not in local_tables:
                    continue
                total = int(source.scalar(select(func.count()).select_from(table)) or 0)
                done = 0
                order = list(table.primary_key.columns) or list(table.columns)[:1]
                result = source.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(select(table).order_by(*order))
                for rows in result.partitions(BATCH_ROWS):
                    with central.begin() as target:
                        target.execute(insert(table), [dict(row._mapping) for row in rows])
                    done += len(rows)
                    report(done, total, f"central: {table.name}")
                copied[table.name] = done
        with central.begin() as target:
            for table in tables:
                key = list(table.primary_key.columns)
                if len(key) == 1 and isinstance(key[0].type, Integer):
                    sequence = target.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": key[0].name})
                    if sequence:
                        target.execute(
                            text(f'SELECT setval(:s, GREATEST((SELECT COALESCE(MAX("{key[0].name}"), 0) FROM "{table.name}"), 1))'),
                            {"s": sequence},
                        )
    finally:
        central.dispose()
    return copied


def central_services(url: str, *, clock: Any = None) -> Any:
    """The desk's services over central's database (head office's imports), standalone as far as sync goes."""
    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.services.clock import utc_now

    database = Database(url)
    with database.read_engine.connect() as connection:
        if "member" not in set(inspect(connection).get_table_names()):
            database.dispose()
            raise CentralDataError(f"no central schema at this URL: run 'loyalty-desk central init --url {url}' first")
    from loyalty_desk.services.signing import default_central_key_path, load_central_key

    key_path = default_central_key_path()
    try:
        central_key = load_central_key(key_path)
    except FileNotFoundError:
        database.dispose()
        raise CentralDataError(f"central's signing key is not at {key_path}: run 'loyalty-desk central init --url {url}' on this machine "
                               "(or set LOYALTY_DESK_CENTRAL_KEY to its file)") from None
    return build_services(Path.cwd(), desk_name="head-office", clock=clock or utc_now, database=database, central_key=central_key)
