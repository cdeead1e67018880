"""Outreach: a batch for a segment and a reason written as the SMS platform's file with its checksum,
messages in each member's language with their figures, opt-outs, invalid mobiles and members the
reason does not concern left out and counted, nobody messaged twice for a reason in a period, delivery
results imported back, the review workbook, the member's preferences as an audited operation, and
``loyalty-desk outreach``."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD, LocalStore, add_branch, add_member, add_staff, open_store, post_earning
from openpyxl import load_workbook
from sqlalchemy import select, update

from loyalty_desk.cli.main import main
from loyalty_desk.documents.outreach import checksum_matches
from loyalty_desk.domain.errors import DomainError, ValidationError
from loyalty_desk.services.dto import StaffSession
from loyalty_desk.services.handlers import operation_runner
from loyalty_desk.services.outreach.preferences import OutreachPreferenceService
from loyalty_desk.services.outreach.service import OutreachService
from loyalty_desk.services.segments.service import SegmentService
from loyalty_desk.store.models import Lot, Member, OutreachMessage

NOW = datetime(2026, 6, 10, 9, 0)
TODAY = NOW.date()


@dataclass
class Office:
    store: LocalStore
    outreach: OutreachService
    preferences: OutreachPreferenceService
    marketer: StaffSession
    officer: StaffSession
    members: dict[str, str]

    def expiring(self, member_no: str, points: int, in_days: int) -> None:
        post_earning(self.store.context, member_no, points, on=TODAY - timedelta(days=30))
        with self.store.context.uow(write=True) as uow:
            member_id = uow.members.by_no(member_no).id
            uow.ledger.session.execute(update(Lot).where(Lot.member_id == member_id).values(expires_on=TODAY + timedelta(days=in_days)))
            uow.commit()

    def set_member(self, member_no: str, **values: object) -> None:
        with self.store.context.uow(write=True) as uow:
            uow.ledger.session.execute(update(Member).where(Member.member_no == member_no).values(**values))
            uow.commit()

    def messaged(self, code: str) -> set[int]:
        with self.store.context.uow() as uow:
            batch = uow.outreach.batch(code)
            return set(uow.ledger.session.scalars(select(OutreachMessage.member_id).where(OutreachMessage.batch_id == batch.id)))

    def actions(self) -> list[str]:
        with self.store.context.uow() as uow:
            _, rows = uow.audit.search(limit=200)
            return [row.action for row in reversed(rows) if row.action.startswith(("outreach.", "member.outreach"))]


@pytest.fixture
def office(tmp_path: Path):
    store = open_store(tmp_path / "store", now=NOW)
    ctx = store.context
    add_branch(ctx, code="HQ01", name_zh="总行营业部", name_en="Head Office", head_office=True)
    add_branch(ctx, code="BJ01")
    marketer = add_staff(ctx, username="mkt.one", role="marketing", branch_code="HQ01")
    officer = add_staff(ctx, username="officer.bj", role="officer")
    members = {key: add_member(ctx, name=name) for key, name in
               (("zh", "张伟"), ("en", "李娜"), ("opted_out", "王芳"), ("bad_mobile", "刘洋"), ("nothing", "陈静"))}
    runner = operation_runner(ctx)
    opened = Office(store, OutreachService(ctx), OutreachPreferenceService(ctx, runner), marketer, officer, members)
    for key in ("zh", "en", "opted_out", "bad_mobile"):
        opened.expiring(members[key], 1_200, 40)
    opened.set_member(members["bad_mobile"], mobile="12345")
    SegmentService(ctx, runner).save(operation_id=SegmentService.new_operation_id(), session=marketer, code="EVERYONE",
                                     fields={"name_zh": "全体会员", "name_en": "Everyone", "criteria": {}})
    yield opened
    store.close()


def test_a_batch_leaves_out_and_counts_and_nobody_is_messaged_twice_in_a_period(office, tmp_path) -> None:
    prefs = office.preferences
    prefs.change(operation_id=prefs.new_operation_id(), session=office.officer, member_no=office.members["en"], language="en", opt_out=False,
                 note="asked at the counter")
    prefs.change(operation_id=prefs.new_operation_id(), session=office.officer, member_no=office.members["opted_out"], language="zh_CN",
                 opt_out=True, note="signed the opt-out form")
    first = office.outreach.build(session=office.marketer, segment="everyone", reason="expiring_90", folder=str(tmp_path))
    assert (first.messages, first.opted_out, first.no_mobile, first.already_messaged, first.nothing_to_say) == (2, 1, 1, 0, 1)
    assert first.period == "2026-06" and first.statuses == {"written": 2}

    path = tmp_path / first.file_name
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["message_id", "mobile", "language", "text"]
    by_language = {row[2]: row for row in rows[1:]}
    expires = (TODAY + timedelta(days=40)).isoformat()
    assert by_language["zh_CN"][3].startswith(f"【积分提醒】张伟您好，您有1,200积分将于{expires}到期")
    assert by_language["en"][3].startswith(f"Dear 李娜, 1,200 of your points expire on {expires}. Redeem them within 40 days")
    assert all(len(row[1]) == 11 for row in rows[1:])
    recorded = (tmp_path / f"{first.file_name}.sha256").read_text(encoding="ascii")
    assert recorded == f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {first.file_name}\n"
    assert first.file_sha256 == recorded.split()[0] and checksum_matches(path)
    path.write_bytes(path.read_bytes() + b"x")
    assert not checksum_matches(path)

    second = office.outreach.build(session=office.marketer, segment="EVERYONE", reason="expiring_90", folder=str(tmp_path))
    assert (second.messages, second.already_messaged, second.opted_out, second.no_mobile) == (0, 2, 1, 1)
    assert office.messaged(first.code) and not office.messaged(first.code) & office.messaged(second.code)
    other_reason = office.outreach.build(session=office.marketer, segment="EVERYONE", reason="expiring_60", folder=str(tmp_path))
    assert other_reason.messages == 2  # another reason: its own once-per-period
    office.store.clock.now = datetime(2026, 7, 1, 9, 0)
    next_month = office.outreach.build(session=office.marketer, segment="EVERYONE", reason="expiring_90", folder=str(tmp_path))
    assert (next_month.period, next_month.messages) == ("2026-07", 2)
    assert office.actions().count("outreach.batch_built") == 4
    assert office.actions().count("member.outreach_preferences") == 2


def test_delivery_results_come_back_per_batch_and_the_batch_exports_for_review(office, tmp_path) -> None:
    too_soon = office.outreach.build(session=office.marketer, segment="EVERYONE", reason="expiring_30", folder=str(tmp_path))
    assert (too_soon.messages, too_soon.nothing_to_say) == (0, 5)  # the points expire in 40 days
    batch = office.outreach.build(session=office.marketer, segment="EVERYONE", reason="expiring_60", folder=str(tmp_path))
    with open(tmp_path / batch.file_name, encoding="utf-8", newline="") as handle:
        ids = [row["message_id"] for row in csv.DictReader(handle)]
    assert len(ids) == 3
    report = tmp_path / "report.csv"
    report.write_text("message_id,status\n" + f"{ids[0]},DELIVRD\n{ids[1]},failed\n{ids[2]},lost-in-space\nOB-NOPE-1,delivered\n",
                      encoding="utf-8")
    result = office.outreach.import_delivery(session=office.marketer, code=batch.code, path=str(report))
    assert (result.rows, result.updated, result.unknown_messages, result.unknown_statuses) == (4, 2, ("OB-NOPE-1",), ((4, "lost-in-space"),))
    again = office.outreach.import_delivery(session=office.marketer, code=batch.code, path=str(report))
    assert (again.updated, again.unchanged) == (0, 2)
    assert office.outreach.get(session=office.marketer, code=batch.code).statuses == {"delivered": 1, "failed": 1, "written": 1}
    missing = tmp_path / "bad.csv"
    missing.write_text("id,result\nx,delivered\n", encoding="utf-8")
    with pytest.raises(ValidationError) as columns:
        office.outreach.import_delivery(session=office.marketer, code=batch.code, path=str(missing))
    assert columns.value.code == "outreach.delivery_columns"
    with pytest.raises(DomainError) as no_file:
        office.outreach.import_delivery(session=office.marketer, code=batch.code, path=str(tmp_path / "never-written.csv"))
    assert (no_file.value.code, no_file.value.params["what"]) == ("not_found", "file")

    workbook_path = tmp_path / "review.xlsx"
    assert office.outreach.export(session=office.marketer, code=batch.code, path=str(workbook_path)) == 3
    book = load_workbook(workbook_path, read_only=True)
    summary = {row[0]: row[1] for row in book["Batch"].iter_rows(min_row=2, values_only=True)}
    assert summary["Messages"] == "3" and summary["Left out: no valid mobile"] == "1" and summary["Status: delivered"] == "1"
    messages = list(book["Messages"].iter_rows(min_row=2, values_only=True))
    assert len(messages) == 3 and all("****" in row[2] for row in messages)
    assert {row[5] for row in messages} == {"delivered", "failed", "written"}
    assert office.actions()[-3:] == ["outreach.delivery_imported", "outreach.delivery_imported", "outreach.batch_exported"]


def test_invitations_and_card_journey_nudges_say_their_own_figures(office, tmp_path) -> None:
    with pytest.raises(ValidationError) as no_campaign:
        office.outreach.build(session=office.marketer, segment="EVERYONE", reason="campaign_invitation", folder=str(tmp_path))
    assert no_campaign.value.code == "outreach.campaign_required"
    from loyalty_desk.services.campaigns.service import CampaignService

    checker = add_staff(office.store.context, username="mkt.two", role="marketing", branch_code="HQ01")
    campaigns = CampaignService(office.store.context, operation_runner(office.store.context))
    fields = {"name_zh": "夏季双倍积分", "name_en": "Summer double points", "kind": "multiplier", "multiplier": "2", "sources": ["card_spend"],
              "tiers": ["standard"], "starts_on": "2026-06-15", "ends_on": "2026-07-15", "budget_points": 10_000, "stacking": "best"}
    draft = campaigns.create(operation_id=campaigns.new_operation_id(), session=office.marketer, fields=fields)
    with pytest.raises(DomainError) as not_open:
        office.outreach.build(session=office.marketer, segment="EVERYONE", reason="campaign_invitation", campaign=draft.code,
                              folder=str(tmp_path))
    assert not_open.value.code == "outreach.campaign_not_open"
    campaigns.submit(operation_id=campaigns.new_operation_id(), session=office.marketer, code=draft.code)
    campaigns.approve(operation_id=campaigns.new_operation_id(), session=checker, code=draft.code)
    office.set_member(office.members["en"], language="en")
    office.set_member(office.members["nothing"], tier="gold")
    invited = office.outreach.build(session=office.marketer, segment="EVERYONE", reason="campaign_invitation", campaign=draft.code,
                                    folder=str(tmp_path))
    assert (invited.messages, invited.nothing_to_say, invited.no_mobile, invited.period) == (3, 1, 1, f"campaign:{draft.code}")
    with open(tmp_path / invited.file_name, encoding="utf-8", newline="") as handle:
        texts = sorted(row["text"] for row in csv.DictReader(handle))
    assert texts[0].startswith("Dear 李娜, join Summer double points from 2026-06-15 to 2026-07-15")
    assert texts[1].startswith("【活动邀请】张伟您好，夏季双倍积分活动将于2026-06-15至2026-07-15举行")

    office.set_member(office.members["zh"], card_approved_on=TODAY - timedelta(days=5))
    office.set_member(office.members["nothing"], card_approved_on=TODAY - timedelta(days=90))  # its 65 days are over
    nudged = office.outreach.build(session=office.marketer, segment="EVERYONE", reason="card_journey_nudge", folder=str(tmp_path))
    assert (nudged.messages, nudged.nothing_to_say) == (1, 4)
    with open(tmp_path / nudged.file_name, encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["text"].startswith("【用卡礼遇】张伟您好，您的信用卡已核发，60天内完成首笔刷卡即可获得1,000积分")


def test_preferences_refuse_bad_input_and_only_head_office_builds(office, tmp_path) -> None:
    prefs, member_no = office.preferences, office.members["zh"]
    with pytest.raises(ValidationError) as language:
        prefs.change(operation_id=prefs.new_operation_id(), session=office.officer, member_no=member_no, language="fr", opt_out=False,
                     note="asked at the counter")
    assert language.value.code == "outreach.language"
    with pytest.raises(ValidationError) as note:
        prefs.change(operation_id=prefs.new_operation_id(), session=office.officer, member_no=member_no, language="en", opt_out=False, note="x")
    assert note.value.code == "identity.length_range"
    with pytest.raises(DomainError) as same:
        prefs.change(operation_id=prefs.new_operation_id(), session=office.officer, member_no=member_no, language="zh_CN", opt_out=False,
                     note="asked at the counter")
    assert same.value.code == "outreach.preferences_unchanged"
    assert prefs.get(session=office.officer, member_no=member_no).opted_out is False
    with pytest.raises(DomainError) as forbidden:
        office.outreach.build(session=office.officer, segment="EVERYONE", reason="expiring_30", folder=str(tmp_path))
    assert forbidden.value.code == "auth.forbidden"
    with pytest.raises(ValidationError) as reason:
        office.outreach.build(session=office.marketer, segment="EVERYONE", reason="birthday", folder=str(tmp_path))
    assert reason.value.code == "outreach.reason"
    assert list(tmp_path.glob("sms_*")) == []


def test_the_outreach_command(office, tmp_path, monkeypatch, capsys) -> None:
    with office.store.context.uow(write=True) as uow:  # the command's clock is the real one
        uow.ledger.session.execute(update(Lot).values(expires_on=date.today() + timedelta(days=40)))
        uow.commit()
    office.store.close()
    monkeypatch.setenv("LOYALTY_DESK_PASSWORD", DEFAULT_PASSWORD)
    data_dir = tmp_path / "store"
    out = tmp_path / "out"
    out.mkdir()

    def run(*args: str) -> int:
        return main(["--data-dir", str(data_dir), "outreach", *args])

    member_no = office.members["opted_out"]
    assert run("preferences", member_no, "--user", "officer.bj", "--opt-out", "yes", "--note", "phoned the call centre") == 0
    assert "marketing messages refused (changed by officer.bj" in capsys.readouterr().out
    assert run("build", "--user", "mkt.one", "--segment", "EVERYONE", "--reason", "expiring_90", "--out", str(out), "--json") == 0
    built = json.loads(capsys.readouterr().out)
    assert (built["messages"], built["opted_out"], built["no_mobile"]) == (2, 1, 1)
    csv_file = out / built["file_name"]
    assert checksum_matches(csv_file)
    with open(csv_file, encoding="utf-8", newline="") as handle:
        first_id = next(csv.DictReader(handle))["message_id"]
    report = tmp_path / "report.csv"
    report.write_text(f"message_id,status\n{first_id},delivered\n", encoding="utf-8")
    assert run("import-delivery", built["code"], str(report), "--user", "mkt.one") == 0
    assert "1 statuses changed" in capsys.readouterr().out
    assert run("show", built["code"], "--user", "mkt.one") == 0
    assert "delivery: delivered 1, written 1" in capsys.readouterr().out
    assert run("list", "--user", "mkt.one") == 0
    assert built["code"] in capsys.readouterr().out
    assert run("export", built["code"], "--user", "mkt.one", "--out", str(tmp_path / "review.xlsx")) == 0
    assert "2 messages written" in capsys.readouterr().out
    assert run("build", "--user", "mkt.one", "--segment", "EVERYONE", "--reason", "expiring_90", "--out", str(out), "--json") == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["messages"], again["already_messaged"]) == (0, 2)
