"""Member lookup on a large local store: p95 per handle type through ``LookupService.search``,
and the same statements replayed as raw SQL through ``sqlite3`` on the same file.

Queries are made from real members picked at random (seeded): their member number, card
number (as a scanner types it, grouped by 4), mobile, last 4 of the mobile, ID number, the
start of the name (first two characters), part of the Chinese name (the given name without
the surname) and the full pinyin. "Raw SQL" replays exactly the statements the service sent
(captured once per query), so the ratio is the price of the service, the unit of work and
SQLAlchemy over sqlite3.
"""

from __future__ import annotations

import gc
import random
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from common import BenchOptions, Row, bench_store, benchmark, percentile

from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.lookup import LookupService
from loyalty_desk.services.settings import SettingsService
from loyalty_desk.store.db import LOCAL_STORE_FILENAME, Database, sqlite_url
from loyalty_desk.store.repositories.lookup import LookupRepository
from loyalty_desk.store.uow import uow_factory

P95_TARGET_MS = 20.0
RAW_RATIO_TARGET = 10.0


def _grouped_card(card: str) -> str:
    return " ".join(card[i : i + 4] for i in range(0, len(card), 4))


HANDLES: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "member no": lambda m: m["member_no"],
    "card": lambda m: _grouped_card(m["card_no"]) if m["card_no"] else None,
    "mobile": lambda m: m["mobile"],
    "last 4 of mobile": lambda m: m["mobile_last4"],
    "ID number": lambda m: m["id_number"],
    "name prefix": lambda m: m["name"][:2],
    "part of Chinese name": lambda m: m["name"][1:] if len(m["name"]) >= 2 else m["name"],
    "pinyin": lambda m: m["name_pinyin"] or None,
}


def sample_members(path: str, count: int, seed: int) -> list[dict[str, Any]]:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    highest = connection.execute("SELECT max(id) FROM member").fetchone()[0]
    rng = random.Random(seed)
    picked: list[dict[str, Any]] = []
    while len(picked) < count:
        row = connection.execute(
            "SELECT member_no, card_no, mobile, mobile_last4, id_number, name, name_pinyin FROM member WHERE id >= ? LIMIT 1",
            (rng.randint(1, highest),),
        ).fetchone()
        if row is not None:
            picked.append(dict(row))
    connection.close()
    return picked


class StatementRecorder:
    """Records the statements the lookup repository runs while active (warm-up pass only: the
    timed pass runs the repository untouched)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any]] = []
        self._original = LookupRepository._fetch

    def __enter__(self) -> StatementRecorder:
        original, statements = self._original, self.statements

        def recording(repository: LookupRepository, sql: str, params: dict[str, object]) -> list[Any]:
            statements.append((sql, dict(params)))
            return original(repository, sql, params)

        LookupRepository._fetch = recording  # type: ignore[method-assign]
        return self

    def __exit__(self, *_exc: object) -> None:
        LookupRepository._fetch = self._original  # type: ignore[method-assign]


def _timed(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000.0


@benchmark("lookup")
def lookup(options: BenchOptions) -> list[Row]:
    data_dir = bench_store(options.members, seed=options.seed)
    database = Database(sqlite_url(data_dir / LOCAL_STORE_FILENAME))
    factory = uow_factory(database)
    context = ServiceContext(uow=factory, settings=SettingsService(factory), desk_name="bench")
    service = LookupService(context)

    members = sample_members(str(data_dir / LOCAL_STORE_FILENAME), options.queries, options.seed)
    raw = sqlite3.connect(str(data_dir / LOCAL_STORE_FILENAME), isolation_level=None)
    raw.execute("PRAGMA cache_size=-65536")  # the same page cache the application's connections get

    rows: list[Row] = []
    for handle, make_text in HANDLES.items():
        texts = [text for text in (make_text(m) for m in members) if text]
        statements: list[list[tuple[str, Any]]] = []
        found = 0
        for text in texts:  # warm-up pass; records what each search sends
            with StatementRecorder() as recorder:
                result = service.search(text=text)
            statements.append(recorder.statements)
            found += result.total > 0
        for sql_list in statements:  # warm the raw connection's own page cache too
            for sql, params in sql_list:
                raw.execute(sql, params).fetchall()

        # Alternating service and raw runs query by query: both see the same machine state.
        gc.collect()
        service_ms: list[float] = []
        raw_ms: list[float] = []
        for text, sql_list in zip(texts, statements, strict=True):
            service_ms.append(_timed(lambda t=text: service.search(text=t)))
            raw_ms.append(_timed(lambda s=sql_list: [raw.execute(sql, params).fetchall() for sql, params in s]))
        p95, raw_p95 = percentile(service_ms, 0.95), percentile(raw_ms, 0.95)
        rows.append(Row(f"{handle}: p95 ({len(texts)} queries, {found} found)", p95, "ms", P95_TARGET_MS))
        rows.append(Row(f"{handle}: raw SQL p95", raw_p95, "ms"))
        rows.append(Row(f"{handle}: p95 / raw SQL p95", p95 / raw_p95 if raw_p95 else 0.0, "×", RAW_RATIO_TARGET))
    raw.close()
    database.dispose()
    return rows


MEMBER_VIEW_P95_TARGET_MS = 100.0


@benchmark("member_view")
def member_view(options: BenchOptions) -> list[Row]:
    """The member view's reads for one member, as the screen makes them when it opens: the view (balances,
    tier progress, lots), the first page of history and what to offer now (``HintService.for_member``).
    What each tier redeems most is counted once a day per process: that first count is its own row."""
    from loyalty_desk.services.handlers import operation_runner
    from loyalty_desk.services.hints import HintService
    from loyalty_desk.services.members.dto import HistoryFilter
    from loyalty_desk.services.members.service import MemberService

    data_dir = bench_store(options.members, seed=options.seed)
    database = Database(sqlite_url(data_dir / LOCAL_STORE_FILENAME))
    factory = uow_factory(database)
    context = ServiceContext(uow=factory, settings=SettingsService(factory), desk_name="bench")
    members, hints = MemberService(context), HintService(context, operation_runner(context))
    picked = [m["member_no"] for m in sample_members(str(data_dir / LOCAL_STORE_FILENAME), options.queries, options.seed + 1)]

    first_count_ms = _timed(lambda: hints.for_member(member_no=picked[0]))

    def open_view(member_no: str) -> int:
        members.view(member_no=member_no)
        members.history(member_no=member_no, offset=0, limit=50, filter=HistoryFilter())
        return len(hints.for_member(member_no=member_no).hints)

    shown = sum(open_view(member_no) for member_no in picked)  # warm-up pass
    gc.collect()
    view_ms = [_timed(lambda m=member_no: open_view(m)) for member_no in picked]
    hints_ms = [_timed(lambda m=member_no: hints.for_member(member_no=m)) for member_no in picked]
    database.dispose()
    return [
        Row(f"member view opened incl. hints: p95 ({len(picked)} members, {shown} hints)", percentile(view_ms, 0.95), "ms",
            MEMBER_VIEW_P95_TARGET_MS),
        Row("what to offer now alone: p95", percentile(hints_ms, 0.95), "ms"),
        Row("what each tier redeems most, counted once a day", first_count_ms, "ms"),
    ]
