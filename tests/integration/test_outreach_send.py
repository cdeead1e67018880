"""The SMS platform's HTTP adapter against a real local HTTP server started in the test: the platform
accepts, refuses (its reason kept, the message rejected), is busy or does not answer in time (the
message stays to send, and a later send repeats it with the same idempotency key, so it is never sent
twice); the settings file refused naming the setting; building a batch cancelled records nothing;
``loyalty-desk outreach send``."""

from __future__ import annotations

import csv
import json
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from factories import DEFAULT_PASSWORD, add_branch, add_member, add_staff, open_store, post_earning
from sms_platform_support import Platform, running_platform
from sqlalchemy import update

from loyalty_desk.cli.main import main
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.messages import describe
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.outreach.service import OutreachService
from loyalty_desk.services.outreach.sms_platform import SETTINGS_FILE, TOKEN_ENV, load_settings
from loyalty_desk.services.segments.service import SegmentService
from loyalty_desk.store.models import Lot

NOW = datetime(2026, 6, 10, 9, 0)
TODAY = NOW.date()


@pytest.fixture
def platform() -> Iterator[tuple[Platform, str]]:
    with running_platform() as running:
        yield running


@pytest.fixture
def office(tmp_path: Path, platform: tuple[Platform, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    store = open_store(tmp_path / "store", now=NOW)
    ctx = store.context
    add_branch(ctx, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(ctx, code="BJ01")
    marketer = add_staff(ctx, username="mkt.one", role="marketing", branch_code="HQ01")
    members = [add_member(ctx, name=name) for name in ("张伟", "李娜", "王芳")]
    for member_no in members:
        post_earning(ctx, member_no, 900, on=TODAY - timedelta(days=30))
    with ctx.uow(write=True) as uow:
        uow.ledger.session.execute(update(Lot).values(expires_on=TODAY + timedelta(days=20)))
        uow.commit()
    SegmentService(ctx, operation_runner(ctx)).save(operation_id=SegmentService.new_operation_id(), session=marketer, code="EVERYONE",
                                                    fields={"name_zh": "全体会员", "name_en": "Everyone", "criteria": {}})
    settings = tmp_path / "store" / SETTINGS_FILE
    settings.write_text(f"[sms_platform]\nurl = {platform[1]}\ntoken = file-token\ntimeout_seconds = 0.5\n", encoding="utf-8")
    service = OutreachService(ctx, sms_settings=settings)
    yield store, service, marketer, settings
    store.close()


def message_ids(folder: Path, file_name: str) -> list[str]:
    with open(folder / file_name, encoding="utf-8", newline="") as handle:
        return [row["message_id"] for row in csv.DictReader(handle)]


def test_accepted_refused_and_timed_out_messages_and_a_repeated_send_never_sends_twice(office, platform, tmp_path) -> None:
    store, service, marketer, _ = office
    fake, _url = platform
    batch = service.build(session=marketer, segment="EVERYONE", reason="expiring_30", folder=str(tmp_path))
    ids = message_ids(tmp_path, batch.file_name)
    assert len(ids) == 3
    fake.answers = {ids[1]: "refuse", ids[2]: "hang"}
    first = service.send(session=marketer, code=batch.code)
    assert (first.pending, first.accepted, first.refused, first.not_sent) == (3, 1, 1, 1)
    assert first.refusals == ((ids[1], "mobile on the block list"),) and first.not_sent_reasons == (("timeout", 1),)
    assert service.get(session=marketer, code=batch.code).statuses == {"accepted": 1, "rejected": 1, "written": 1}
    assert {r["auth"] for r in fake.received} == {"Bearer file-token"}
    assert [r["key"] for r in fake.received] == ids and [r["body"]["message_id"] for r in fake.received] == ids
    assert fake.received[0]["body"]["text"].startswith("【积分提醒】张伟您好，您有900积分")

    fake.answers = {ids[2]: "busy"}
    busy = service.send(session=marketer, code=batch.code)
    assert (busy.pending, busy.accepted, busy.not_sent, busy.not_sent_reasons) == (1, 0, 1, (("HTTP 503", 1),))
    fake.answers = {}
    second = service.send(session=marketer, code=batch.code)
    assert (second.pending, second.accepted, second.refused, second.not_sent) == (1, 1, 0, 0)
    assert [r["key"] for r in fake.received].count(ids[2]) == 3  # the same key each time: the platform keeps one message
    assert service.get(session=marketer, code=batch.code).statuses == {"accepted": 2, "rejected": 1}
    nothing_left = service.send(session=marketer, code=batch.code)
    assert nothing_left.pending == 0 and len(fake.received) == 5
    assert fake.connections == 3  # one for each send that had messages (a send with none opens none)

    report = tmp_path / "report.csv"
    report.write_text(f"message_id,status\n{ids[0]},DELIVRD\n", encoding="utf-8")
    service.import_delivery(session=marketer, code=batch.code, path=str(report))
    assert service.get(session=marketer, code=batch.code).statuses == {"accepted": 1, "delivered": 1, "rejected": 1}
    with store.context.uow() as uow:
        _, rows = uow.audit.search(limit=50)
        refusals = [row.details["refusals"] for row in reversed(rows) if row.action == "outreach.batch_sent"]  # oldest first
    assert refusals == [[[ids[1], "mobile on the block list"]], [], [], []]


def test_one_connection_for_a_batch_opened_again_when_the_platform_drops_it_or_is_down(office, platform, tmp_path) -> None:
    _store, service, marketer, settings = office
    fake, _url = platform
    batch = service.build(session=marketer, segment="EVERYONE", reason="expiring_30", folder=str(tmp_path))
    ids = message_ids(tmp_path, batch.file_name)
    fake.answers = {ids[0]: "accept_then_drop"}
    sent = service.send(session=marketer, code=batch.code)
    assert (sent.accepted, sent.not_sent) == (3, 0)
    assert [r["key"] for r in fake.received] == ids and fake.connections == 2

    again = service.build(session=marketer, segment="EVERYONE", reason="expiring_90", folder=str(tmp_path))
    with socket.socket() as closed:  # a port nobody listens on: the platform is down
        closed.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{closed.getsockname()[1]}/api/messages"
    settings.write_text(f"[sms_platform]\nurl = {down}\ntoken = t\ntimeout_seconds = 0.5\n", encoding="utf-8")
    unreachable = service.send(session=marketer, code=again.code)
    assert (unreachable.accepted, unreachable.refused, unreachable.not_sent) == (0, 0, 3)
    assert service.get(session=marketer, code=again.code).statuses == {"written": 3}


def test_the_settings_file_is_checked_and_the_token_may_come_from_the_environment(office, platform, tmp_path) -> None:
    _store, service, marketer, settings = office
    assert load_settings(tmp_path / "absent.ini") is None
    assert load_settings(settings, {TOKEN_ENV: "env-token"}).token == "env-token"
    assert load_settings(settings, {}).timeout_seconds == 0.5
    for text, code, field in (("[sms_platform]\nurl = ftp://x\ntoken = t\n", "outreach.sms_url", "url"),
                              ("[sms_platform]\nurl = http://x\n", "outreach.sms_token", "token"),
                              ("[sms_platform]\nurl = http://x\ntoken = t\ntimeout_seconds = soon\n", "outreach.sms_timeout", "timeout_seconds"),
                              ("url = http://x\n", "outreach.sms_settings_unreadable", "url")):
        settings.write_text(text, encoding="utf-8")
        with pytest.raises(ValidationError) as refused:
            service.sms_platform()
        assert (refused.value.code, refused.value.field) == (code, field)
        assert describe(refused.value).startswith("The SMS platform settings")
    settings.unlink()
    batch = service.build(session=marketer, segment="EVERYONE", reason="expiring_30", folder=str(tmp_path))
    with pytest.raises(DomainError) as not_configured:
        service.send(session=marketer, code=batch.code)
    assert not_configured.value.code == "outreach.sms_not_configured"
    assert platform[0].received == []


class CancelAtOnce:
    def __init__(self) -> None:
        self.seen: list[tuple[int, int]] = []

    def set_progress(self, done: int, total: int) -> None:
        self.seen.append((done, total))

    def set_status(self, text: str) -> None:
        pass

    def is_cancelled(self) -> bool:
        return True


def test_a_cancelled_build_records_nothing_and_writes_no_file(office, tmp_path) -> None:
    _store, service, marketer, _ = office
    progress = CancelAtOnce()
    with pytest.raises(DomainError) as cancelled:
        service.build(session=marketer, segment="EVERYONE", reason="expiring_30", folder=str(tmp_path), progress=progress)
    assert cancelled.value.code == "outreach.build_cancelled" and progress.seen == [(0, 3)]
    assert service.list(session=marketer) == [] and list(tmp_path.glob("sms_*")) == []


def test_a_cancelled_send_sends_nothing_more_and_leaves_the_rest_to_send(office, platform, tmp_path) -> None:
    _store, service, marketer, _ = office
    batch = service.build(session=marketer, segment="EVERYONE", reason="expiring_30", folder=str(tmp_path))
    stopped = service.send(session=marketer, code=batch.code, progress=CancelAtOnce())
    assert (stopped.cancelled, stopped.pending, stopped.accepted, stopped.not_sent) == (True, 3, 0, 3)
    assert platform[0].received == [] and service.get(session=marketer, code=batch.code).statuses == {"written": 3}
    assert service.send(session=marketer, code=batch.code).accepted == 3


def test_the_send_command(office, platform, tmp_path, monkeypatch, capsys) -> None:
    store, service, marketer, _ = office
    batch = service.build(session=marketer, segment="EVERYONE", reason="expiring_30", folder=str(tmp_path))
    ids = message_ids(tmp_path, batch.file_name)
    platform[0].answers = {ids[0]: "refuse"}
    store.close()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEFAULT_PASSWORD)
    monkeypatch.setenv(TOKEN_ENV, "env-token")
    assert main(["--data-dir", str(tmp_path / "store"), "outreach", "send", batch.code, "--user", "mkt.one"]) == 1
    out = capsys.readouterr().out
    assert "3 messages to send; 2 accepted by the SMS platform, 1 refused, 0 not sent" in out
    assert f"{ids[0]} refused: mobile on the block list" in out
    assert {r["auth"] for r in platform[0].received} == {"Bearer env-token"}
    assert main(["--data-dir", str(tmp_path / "store"), "outreach", "send", batch.code, "--user", "mkt.one", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pending"] == 0
