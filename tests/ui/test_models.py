"""The table models keep Qt's model contract (pytest-qt's qtmodeltester), including lazy history pages."""

from __future__ import annotations

from loyalty_desk.services.members.dto import HistoryFilter
from loyalty_desk.ui.models import HistoryModel, LookupResultsModel, LotsModel


def test_lookup_results_model(qtmodeltester, desk_data):
    model = LookupResultsModel()
    model.set_rows(desk_data.services.lookup.search(text="zhang").rows)
    assert model.rowCount() >= 2
    qtmodeltester.check(model, force_py=True)
    model.set_rows(())
    qtmodeltester.check(model, force_py=True)


def test_lots_model(qtmodeltester, desk_data):
    model = LotsModel()
    model.set_rows(desk_data.services.members.view(member_no=desk_data.zhang).lots)
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)


def test_history_model_pages_in_lazily(qtbot, qtmodeltester, desk_data, runner):
    members = desk_data.services.members
    calls = []

    def load(offset, limit):
        calls.append((offset, limit))
        return members.history(member_no=desk_data.zhang, offset=offset, limit=limit, filter=HistoryFilter())

    model = HistoryModel(runner, page_size=20)
    assert not model.canFetchMore() and model.rowCount() == 0
    with qtbot.waitSignal(model.sig_loaded):
        model.set_loader(load)
    assert model.rowCount() == 20 and model.total == 75
    qtmodeltester.check(model, force_py=True)  # fetches one more page through fetchMore
    qtbot.waitUntil(lambda: not model.is_loading)
    while model.canFetchMore():
        with qtbot.waitSignal(model.sig_loaded):
            model.fetchMore()
    assert model.rowCount() == 75, (calls, model.total)
    assert calls == [(0, 20), (20, 20), (40, 20), (60, 20)]
    qtmodeltester.check(model, force_py=True)


def test_history_model_drops_pages_of_an_old_filter(qtbot, desk_data, runner):
    members = desk_data.services.members

    def loader(kinds):
        return lambda offset, limit: members.history(member_no=desk_data.zhang, offset=offset, limit=limit, filter=HistoryFilter(kinds=kinds))

    model = HistoryModel(runner, page_size=50)
    model.set_loader(loader(()))  # its page may still be on its way...
    with qtbot.waitSignal(model.sig_loaded) as loaded:
        model.set_loader(loader(("redeem",)))  # ...when the officer changes the filter
    assert loaded.args == [15, 15]
    qtbot.waitUntil(lambda: runner.active_count() == 0)
    assert {model.row(i).kind for i in range(model.rowCount())} == {"redeem"}


def test_history_read_again_after_a_store_change_keeps_its_rows_until_the_new_page_replaces_them(qtbot, qtmodeltester, desk_data, catalogue, runner):
    members = desk_data.services.members

    def load(offset, limit):
        return members.history(member_no=desk_data.zhang, offset=offset, limit=limit, filter=HistoryFilter())

    model = HistoryModel(runner, page_size=20)
    with qtbot.waitSignal(model.sig_loaded):
        model.set_loader(load)
    with qtbot.waitSignal(model.sig_loaded):
        model.fetchMore()
    assert model.rowCount() == 40
    shown = [model.row(i) for i in range(model.rowCount())]
    redemption = desk_data.services.redemption
    redemption.redeem(operation_id=redemption.new_operation_id(), session=desk_data.officer, member_no=desk_data.zhang,
                      reward_code="VCH-JD100", qty=1)
    with qtbot.waitSignal(model.sig_loaded) as loaded:
        model.set_loader(load, keep_rows=True)
        assert [model.row(i) for i in range(model.rowCount())] == shown  # nothing blanks while the page is read
    assert loaded.args == [20, 76]
    assert model.row(0).kind == "redeem" and model.row(1) == shown[0]
    qtmodeltester.check(model, force_py=True)


def test_history_describes_a_line_as_the_statement_does_never_repeating_its_type(qapp, runner):
    from datetime import datetime

    from loyalty_desk.services.members.dto import HistoryEntry
    from loyalty_desk.ui.models import HistoryModel

    model = HistoryModel(runner)
    at = datetime(2026, 11, 1, 9, 0)
    gift = {"reward_code": "GIFT-TUMBLER", "reward_name_en": "Insulated tumbler", "reward_name_zh": "定制保温杯", "quantity": "2"}
    redeemed = HistoryEntry(1, at, "redeem", None, "redeem", gift, -9_000)
    expired = HistoryEntry(2, at, "expire", None, "expire", {}, -500)
    reversed_ = HistoryEntry(3, at, "reversal", None, "reversal", {"redemption_no": "R-20261101-0001"}, 9_000)
    for row in (redeemed, expired, reversed_):
        assert model.cell(row, 2) != model.cell(row, 1), row.kind
    assert model.cell(redeemed, 2) == "Insulated tumbler × 2"
    assert model.cell(expired, 2) == "Points expired"
    assert "R-20261101-0001" in model.cell(reversed_, 2)


def test_a_limit_that_blocks_every_reward_is_said_once_not_on_every_row(qapp):
    from decimal import Decimal

    from loyalty_desk.services.redemption.dto import BlockReason, RewardOffer
    from loyalty_desk.ui.screens.redeem.models import RewardsModel

    window = BlockReason("redeem.window_limit", {"max": "3", "hours": "24", "next_allowed_at": "10:00"})
    tier = BlockReason("redeem.min_tier", {"required": "platinum", "tier": "gold"})

    def offer(code: str, *blocks: BlockReason) -> RewardOffer:
        return RewardOffer(code, code, code, "voucher", 1_000, Decimal("10"), "standard", None, None, None, False, None, False, blocks)

    model = RewardsModel("en")
    model.set_rows([offer("A", window), offer("B", window), offer("C", window, tier)])
    shared = model.shared_block()
    assert shared and "3" in shared
    cells = [model.cell(model.row(i), 4) for i in range(3)]
    assert all(shared not in text for text in cells)
    assert cells[0] == cells[1] != cells[2]  # the third names its own further reason


def test_a_referrers_reward_is_described_as_the_statement_does(qapp, runner):
    from datetime import datetime

    from loyalty_desk.services.members.dto import HistoryEntry
    from loyalty_desk.ui.models import HistoryModel

    row = HistoryEntry(1, datetime(2026, 11, 1, 9, 0), "referral", "referral_referrer", "referral.referral_referrer", {}, 500)
    model = HistoryModel(runner)
    assert model.cell(row, 2) == "Referral reward (referrer)" != model.cell(row, 1)
    referee = HistoryEntry(2, datetime(2026, 11, 1, 9, 0), "referral", "referral_referee", "referral.referral_referee", {}, 500)
    assert model.cell(referee, 2) == "Referral reward" != model.cell(referee, 1)
