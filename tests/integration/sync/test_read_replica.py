"""A desk pulling central's change feed from a streaming hot-standby replica (``DeskSettings.read_url``)
while it pushes to the primary: the replica's lag delays changes and never loses or reorders them,
the desk's cursor never passes what the replica has replayed, and an unreachable replica leaves the
desk reading from the primary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pg_servers import ReplicatedCentral, free_port
from sqlalchemy.engine import make_url
from sync_support import HANDLERS, Desk, central_balances, new_desk, open_desk, receive_signed, seed_central

from loyalty_desk.cli.main import main
from loyalty_desk.sync.applier import Applier
from loyalty_desk.sync.desk_settings import DeskSettings
from loyalty_desk.sync.feed import Cursor, FeedRow

pytestmark = pytest.mark.postgres


def _replica_desk(central: ReplicatedCentral, data_dir: Path, name: str, *, read_url: str | None = None) -> Desk:
    """A desk joined to the primary that reads the feed from ``read_url`` (default: the replica), first pull done."""
    desk = new_desk(central.url, data_dir, name, pull=False)
    settings = desk.sync.desk.settings
    desk.sync.desk.settings = settings.with_read_url(read_url or central.replica_of(settings.central_url))
    desk.sync.desk.pull()
    desk.context.settings.invalidate()
    desk.sign_in()
    return desk


def _cursor(desk: Desk) -> Cursor:
    return Cursor.from_text(desk.sync.desk.state().get("cursor"))


def _psycopg(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _feed_as_desk(desk: Desk, url: str, after: Cursor) -> list[tuple[int, int]]:
    """The feed rows after ``after`` that this desk's login may read at ``url``, in the order served."""
    login = make_url(desk.sync.desk.settings.central_url)
    with psycopg.connect(_psycopg(make_url(url).set(username=login.username, password=login.password).render_as_string(hide_password=False))) as c:
        return [(int(t), int(s)) for t, s in c.execute(
            "SELECT txid, seq FROM change_feed WHERE (txid, seq) > (%s, %s) ORDER BY txid, seq", (after.txid, after.seq)
        )]


def _recording_pages(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(txid, seq) of every feed row the desk writes from now on, in the order it writes them."""
    served: list[tuple[int, int]] = []
    engine = desk.sync.desk
    original = engine._apply_page

    def recording(rows: list[FeedRow], cursor: Cursor | None, connection: Any = None) -> None:
        original(rows, cursor, connection)
        if cursor is not None:
            served.extend((row.txid, row.seq) for row in rows)

    monkeypatch.setattr(engine, "_apply_page", recording)
    return served


def test_desk_pulls_from_the_replica_and_pushes_to_the_primary(replicated_central: ReplicatedCentral, tmp_path: Path) -> None:
    central = replicated_central
    (member_no,) = seed_central(central.url, [5000])
    central.pair.wait_replayed()
    desk = _replica_desk(central, tmp_path / "a", f"{central.name[8:]}_a")
    applier = Applier(central.url, HANDLERS)
    try:
        assert desk.balance(member_no) == 5000
        desk.debit(member_no, 1200)
        desk.sync.desk.push()
        applier.drain()
        central.pair.wait_replayed()
        desk.sync.desk.sync_once(wait=0.5)
        assert desk.balance(member_no) == 3800 == central_balances(central.url)[member_no]
        login = make_url(desk.sync.desk.settings.central_url).username
        with psycopg.connect(_psycopg(central.pair.replica_url())) as replica:
            assert replica.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
            # the desk's feed connection (kept in its pool) is on the replica
            assert replica.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s", (login,)).fetchone()[0] >= 1  # type: ignore[index]
    finally:
        desk.close()
        applier.close()


def test_a_lagging_replica_delays_changes_without_losing_or_reordering_them(
    replicated_central: ReplicatedCentral, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    central = replicated_central
    members = seed_central(central.url, [5000, 3000])
    central.pair.wait_replayed()
    desk = _replica_desk(central, tmp_path / "a", f"{central.name[8:]}_a")
    applier = Applier(central.url, HANDLERS)
    try:
        before = _cursor(desk)
        served = _recording_pages(desk, monkeypatch)
        central.pair.pause_replay()
        own = desk.debit(members[0], 100)
        desk.sync.desk.push()
        receive_signed(central.url, [("test_debit", {"member_no": members[1], "points": 250}),
                                     ("test_debit", {"member_no": members[0], "points": 40})])
        applier.drain()
        seed_central(central.url, [700])  # a new member, written at the primary
        # the verdict comes from the primary; the changes wait on the replica
        outcomes = desk.sync.desk.collect_outcomes(wait=0.5)
        assert [(o.operation_id, o.outcome) for o in outcomes] == [(own.operation_id, "accepted")]
        report = desk.sync.desk.pull()
        assert report.rows == 0 and served == []
        assert _cursor(desk) == before
        assert desk.balance(members[0]) == 4900 and desk.balance(members[1]) == 3000  # its own debit, provisional
        assert central_balances(central.url) == {members[0]: 4860, members[1]: 2750, **{k: v for k, v in central_balances(central.url).items()
                                                                                        if k not in members}}

        central.pair.resume_replay()
        central.pair.wait_replayed()
        report = desk.sync.desk.pull()
        assert report.rows > 0
        assert served == sorted(served) and len(set(served)) == len(served)
        assert served == _feed_as_desk(desk, central.url, before)  # every row the primary holds for this desk, in order
        assert desk.balances() == central_balances(central.url)
        assert _cursor(desk) == Cursor(*served[-1])
    finally:
        if central.pair.is_replay_paused():
            central.pair.resume_replay()
        desk.close()
        applier.close()


def test_the_replica_never_serves_past_a_transaction_still_running_at_the_primary(
    replicated_central: ReplicatedCentral, tmp_path: Path
) -> None:
    """A transaction that began first and commits last: the replica holds back every later row until its
    end is replayed, so the desk's cursor never moves past its rows (the late commit is not skipped)."""
    central = replicated_central
    seed_central(central.url, [100])
    central.pair.wait_replayed()
    desk = _replica_desk(central, tmp_path / "a", f"{central.name[8:]}_a")
    try:
        with psycopg.connect(_psycopg(central.url)) as early, psycopg.connect(_psycopg(central.url), autocommit=True) as later:
            early.execute("INSERT INTO branch (code, name_zh, name_en, is_head_office) VALUES ('EARLY', '早', 'Early', false)")
            early_txid = int(early.execute("SELECT pg_current_xact_id()::text::bigint").fetchone()[0])  # type: ignore[index]
            later.execute("INSERT INTO branch (code, name_zh, name_en, is_head_office) VALUES ('LATER', '晚', 'Later', false)")
            central.pair.wait_replayed()
            desk.sync.desk.pull()
            with desk.context.uow() as uow:
                assert uow.reference.branch_by_code("LATER") is None  # committed, replayed, and still held back
            assert _cursor(desk).txid < early_txid
            early.commit()
        central.pair.wait_replayed()
        desk.sync.desk.pull()
        with desk.context.uow() as uow:
            assert uow.reference.branch_by_code("EARLY") is not None
            assert uow.reference.branch_by_code("LATER") is not None
    finally:
        desk.close()


def test_an_unreachable_replica_leaves_the_desk_reading_from_the_primary(replicated_central: ReplicatedCentral, tmp_path: Path) -> None:
    central = replicated_central
    (member_no,) = seed_central(central.url, [900])
    nowhere = f"postgresql://127.0.0.1:{free_port()}/{central.name}"
    desk = _replica_desk(central, tmp_path / "a", f"{central.name[8:]}_a", read_url=nowhere)
    try:
        assert desk.balance(member_no) == 900  # not yet replayed or not: the primary served it
        receive_signed(central.url, [("test_debit", {"member_no": member_no, "points": 300})])
        Applier(central.url, HANDLERS).drain()
        result = desk.sync.desk.sync_once(wait=0.5)
        assert result["pulled"].rows > 0
        assert desk.balance(member_no) == 600 == central_balances(central.url)[member_no]
        assert desk.sync.desk.state().get("state") == "online"
    finally:
        desk.close()


def test_sync_read_url_is_kept_in_desk_json_without_the_password(replicated_central: ReplicatedCentral, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    central = replicated_central
    (member_no,) = seed_central(central.url, [400])
    central.pair.wait_replayed()
    desk = new_desk(central.url, tmp_path / "a", f"{central.name[8:]}_a", pull=False)
    desk.close()
    data_dir = tmp_path / "a"
    login = make_url(DeskSettings.load(data_dir).central_url)  # type: ignore[union-attr]
    replica = f"postgresql://127.0.0.1:{central.pair.replica_port}/{central.name}"
    assert main(["--data-dir", str(data_dir), "sync", "--read-url", replica, "--once"]) == 0
    out = capsys.readouterr().out
    assert f"pulls central's changes from postgresql://{login.username}@127.0.0.1:{central.pair.replica_port}/{central.name}" in out
    stored = json.loads((data_dir / "desk.json").read_text())
    assert stored["read_url"] == f"postgresql://{login.username}@127.0.0.1:{central.pair.replica_port}/{central.name}"
    assert str(login.password) not in (data_dir / "desk.json").read_text()
    loaded = DeskSettings.load(data_dir)
    assert loaded is not None and make_url(loaded.read_url or "").password == login.password
    reopened = open_desk(data_dir)
    try:
        assert reopened.balance(member_no) == 400
    finally:
        reopened.close()
    # another login is refused at the field that names it; nothing is changed
    assert main(["--data-dir", str(data_dir), "sync", "--read-url", f"postgresql://someone@127.0.0.1:{central.pair.replica_port}/x", "--once"]) == 1
    assert "this desk's own login" in capsys.readouterr().err
    assert json.loads((data_dir / "desk.json").read_text())["read_url"] == stored["read_url"]
    assert main(["--data-dir", str(data_dir), "sync", "--read-url", "", "--once"]) == 0
    assert "read_url" not in json.loads((data_dir / "desk.json").read_text())

