"""The member view's "Offer now" tab: today's hints in words, and the member's answer recorded."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from loyalty_desk.store.models import HintResponse


@pytest.fixture
def offers(qtbot, main_window, desk_data, catalogue):
    """张伟's member view open, its hints shown (points of July 2024 expire on 2026-07-31, 31 days after today)."""
    screen = main_window.screens["member"]
    with qtbot.waitSignal(screen.offer_panel.sig_loaded, timeout=10_000):
        main_window.navigate("member", member_no=desk_data.zhang)
    return screen


def texts(panel) -> list[str]:
    return [panel.list.item(row).text() for row in range(panel.list.count())]


def test_points_expiring_soon_are_offered_in_words(offers, desk_data):
    panel = offers.offer_panel
    hints = desk_data.services.hints.for_member(member_no=desk_data.zhang)
    expiry = hints.hints[0]
    assert expiry.key == "expiring:60"
    assert texts(panel)[0] == (
        f"{expiry.facts['points']:,} points expire within 60 days (the first on 31/07/2026): they would buy JD e-card 100 CNY (10,000)."
    )
    assert len(texts(panel)) == len(hints.hints)
    assert offers.tabs.tabText(offers.tabs.indexOf(panel)) == f"Offer now ({len(hints.hints)})"


def test_ctrl_o_brings_the_keyboard_to_the_hints(qtbot, offers):
    offers.tabs.setCurrentIndex(0)
    offers.offer_action.trigger()
    assert offers.tabs.currentWidget() is offers.offer_panel
    qtbot.waitUntil(lambda: offers.offer_panel.list.hasFocus())
    assert offers.offer_panel.list.currentRow() == 0


def test_declined_is_recorded_and_hides_the_hint_for_the_day(qtbot, offers, desk_data):
    panel = offers.offer_panel
    shown = len(texts(panel))
    panel.list.setCurrentRow(0)
    with qtbot.waitSignal(panel.sig_answered, timeout=10_000) as answered:
        qtbot.mouseClick(panel.answer_buttons["declined"], Qt.MouseButton.LeftButton)
    assert (answered.args[0].hint_key, answered.args[0].response) == ("expiring:60", "declined")
    qtbot.waitUntil(lambda: panel.data is not None and len(panel.data.hints) == shown - 1, timeout=10_000)
    assert not any(" points expire within " in text for text in texts(panel))
    assert panel.answered.text() == "Nothing more to offer today; 1 hint answered."
    assert panel.banner.text() == "Recorded as declined; not shown again today."
    assert offers.tabs.tabText(offers.tabs.indexOf(panel)) == (f"Offer now ({shown - 1})" if shown > 1 else "Offer now")
    with desk_data.store.context.uow() as uow:
        rows = list(uow.hints.session.scalars(select(HintResponse)))
        assert [(r.hint_key, r.response, r.responded_on) for r in rows] == [("expiring:60", "declined", date(2026, 6, 30))]
    audited = desk_data.audit_rows("member.hint_response")
    assert [(a.actor, a.member_no) for a in audited] == [("officer1", desk_data.zhang)]
    # opened again the same day: still not offered
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        offers.open_member(desk_data.zhang)
    assert not any(" points expire within " in text for text in texts(panel))


def test_offered_stays_on_the_list_marked(qtbot, offers):
    panel = offers.offer_panel
    panel.list.setCurrentRow(0)
    with qtbot.waitSignal(panel.sig_answered, timeout=10_000):
        panel.answer_buttons["offered"].click()
    qtbot.waitUntil(lambda: panel.list.count() > 0 and texts(panel)[0].endswith("(offered today)"), timeout=10_000)
    assert not panel.answer_buttons["offered"].isEnabled()
    assert panel.answer_buttons["accepted"].isEnabled() and panel.answer_buttons["declined"].isEnabled()


def _hint(kind: str, key: str, facts: dict, names: dict | None = None):
    from loyalty_desk.services.hints import HintView

    return HintView(kind=kind, key=key, priority=1, facts=facts, reward_names=names or {}, offered_today=False)


EVERY_KIND = [
    _hint("expiring", "expiring:90", {"within_days": 90, "points": 1_200, "first_expires_on": date(2026, 8, 31), "rewards": (),
                                      "reward_costs": ()}),
    _hint("tier_reach", "tier_reach:gold", {"tier": "gold", "points_needed": 4_200, "by": date(2027, 3, 31), "threshold": 80_000,
                                           "qualifying_points": 75_800}),
    _hint("popular_reward", "popular_reward:VCH-JD100", {"reward": "VCH-JD100", "points_cost": 10_000, "tier": "silver",
                                                        "tier_redemptions": 1_234, "window_days": 90},
          {"VCH-JD100": ("京东E卡100元", "JD e-card 100 CNY")}),
    _hint("dormant", "dormant", {"last_activity_on": date(2025, 12, 1), "months_inactive": 7, "dormant_after_months": 6}),
    _hint("refer_again", "refer_again", {"successful_referrals": 1, "referrals_this_year": 1, "yearly_cap": 20, "referrer_points": 5_000}),
]


@pytest.mark.parametrize(("language", "expected"), [
    ("en", [
        "1,200 points expire within 90 days (the first on 31/08/2026): remind the member to use them.",
        "4,200 points to Gold by 31/03/2027.",
        "Popular with Silver members: JD e-card 100 CNY for 10,000 points (1,234 redeemed in 90 days).",
        "No activity for 7 months, since 01/12/2025: invite the member back.",
        "1 successful referral: invite the member to refer again (5,000 points a qualified referral).",
    ]),
    ("zh_CN", [
        "1,200 积分将在 90 天内到期（最早 2026/8/31）：请提醒会员及时使用。",
        "在 2027/3/31 前再获得 4,200 积分即可升为金卡。",
        "银卡会员热门兑换：京东E卡100元，10,000 积分（90 天内兑换 1,234 次）。",
        "已 7 个月无活动（自 2025/12/1 起）：请邀请会员再次参与。",
        "已成功推荐 1 人：请邀请会员继续推荐（每个合格推荐奖励 5,000 积分）。",
    ]),
])
def test_every_kind_of_hint_reads_as_a_sentence_of_the_desk_language(qapp, main_window, language, expected):
    from loyalty_desk.ui.app import install_language

    panel = main_window.screens["member"].offer_panel
    main_window.settings.language = language
    install_language(qapp, language)
    assert [panel.sentence(hint) for hint in EVERY_KIND] == expected
