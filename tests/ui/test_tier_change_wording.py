"""A tier change in the member's history reads as the statement words it, in both languages."""

from __future__ import annotations

import pytest

from loyalty_desk.ui import fmt
from loyalty_desk.ui.app import install_language

PARAMS = {"from_tier": "gold", "to_tier": "silver"}


@pytest.mark.parametrize(
    ("language", "reason", "words"),
    [
        ("en", "monthly_review", "Tier changed Gold -> Silver (monthly review)"),
        ("zh_CN", "monthly_review", "会员等级由金卡调整为银卡（月度等级评定）"),
        ("en", "points_reached", "Tier changed Gold -> Silver (qualifying points reached)"),
        ("en", "override_ended", "Tier changed Gold -> Silver (manual override ended)"),
        ("zh_CN", "refused_centrally", "会员等级由金卡调整为银卡（总行未通过）"),
    ],
)
def test_the_history_line_of_a_tier_change(qapp, language, reason, words):
    install_language(qapp, language)
    try:
        assert fmt.entry_description("tier", reason, f"tier.{reason}", PARAMS) == words
        assert fmt.label(fmt.ENTRY_KINDS, "tier") == ("Tier change" if language == "en" else "等级变更")
    finally:
        install_language(qapp, "en")
