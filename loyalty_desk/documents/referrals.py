"""The branch referral list as an Excel workbook, written with the shared export writer.

``columns`` and ``referral_row`` are the one definition of the referral workbook's columns and
rows: the referral service's own export and the export service's ``referrals`` kind (the referral report) both use them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from loyalty_desk.documents.exports import DATE, DATETIME, NUMBER, TEXT, Column, write_export

HEADERS = {
    "en": ("Registered", "Status", "Branch", "Officer", "Code used", "Referrer", "Referrer name", "Referee", "Referee name",
           "Second level", "Event", "Qualified on", "Pending until", "Referee points", "Referrer points", "Second-level points",
           "Flags", "Decision note"),
    "zh_CN": ("登记时间", "状态", "网点", "经办柜员", "推荐码", "推荐人", "推荐人姓名", "被推荐人", "被推荐人姓名",
              "二级推荐人", "达标事件", "达标日期", "待发放至", "被推荐人积分", "推荐人积分", "二级积分", "风险标记", "处理意见"),
}
FORMATS = (DATETIME, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, DATE, DATE, NUMBER, NUMBER, NUMBER, TEXT, TEXT)
WIDTHS = (19, 12, 8, 14, 11, 14, 12, 14, 12, 14, 10, 12, 12, 12, 12, 12, 30, 30)


def _points(view: Any, role: str) -> int | None:
    reward = view.reward_for(role)
    return reward.points if reward is not None and reward.status in ("pending", "posted") else None


def columns(language: str = "en") -> list[Column]:
    """The referral workbook's columns (headers in ``language``)."""
    headers = HEADERS.get(language, HEADERS["en"])
    return [Column(h, w, f) for h, w, f in zip(headers, WIDTHS, FORMATS, strict=True)]


def referral_row(v: Any) -> tuple[Any, ...]:
    """One ``ReferralView`` as a workbook row, in the order of ``columns``."""
    return (
        v.registered_at, v.status, v.branch_code, v.officer, v.code_used, v.referrer_no, v.referrer_name, v.referee_no,
        v.referee_name, v.second_level_no or "", v.qualifying_event or "", v.qualifying_on, v.rewards_pending_until,
        _points(v, "referee"), _points(v, "referrer"), _points(v, "second_level"), ", ".join(v.flag_codes),
        v.decision_note or "",
    )


def write_referrals(path: Path, views: Sequence[Any], *, language: str = "en", filters: Sequence[tuple[str, Any]] = ()) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_export(path, sheet_title="Referrals" if language == "en" else "推荐", columns=columns(language),
                 rows=(referral_row(v) for v in views), filters=list(filters))
    return path
