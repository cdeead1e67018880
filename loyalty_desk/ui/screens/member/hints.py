"""What to offer now, on the member view: today's hints as short sentences, and the officer's answer
to each (offered, accepted, declined), recorded through ``HintService.respond``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from loyalty_desk.ui import fmt
from loyalty_desk.ui.screens.context import ScreenContext
from loyalty_desk.ui.screens.member.list_panel import MemberListPanel
from loyalty_desk.ui.widgets import add_all, named, push_button, set_texts

if TYPE_CHECKING:
    from loyalty_desk.ui.tasks import Task

RESPONSES = ("offered", "accepted", "declined")


class OfferPanel(MemberListPanel):
    """The member view's "Offer now" tab: one line a hint, highest priority first, with the buttons
    that record the member's answer to the chosen one."""

    sig_loaded = Signal(object)  # MemberHints
    sig_count = Signal(int)
    sig_answered = Signal(object)  # HintResponseView

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(context, "HintList", parent)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.answer_buttons = {response: push_button(None, self._answer_slot(response), name=f"Hint{response.title()}") for response in RESPONSES}
        self.answered = named(QLabel(), "Muted")
        can_answer = context.session.role in ("officer", "supervisor")
        for button in self.answer_buttons.values():
            button.setVisible(can_answer)
        row = add_all(QHBoxLayout(), *self.answer_buttons.values(), 1, self.answered)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 10, 10, 10)
        add_all(box, self.banner, (self.list, 1), row)
        self.retranslate()
        self._enable()

    def _answer_slot(self, response: str) -> Callable[[], None]:
        return lambda: self.answer(response)

    def retranslate(self) -> None:
        set_texts(
            (self.answer_buttons["offered"], self.tr("Offered"), self.tr("Record that the chosen hint was offered to the member")),
            (self.answer_buttons["accepted"], self.tr("Accepted"), self.tr("Record that the member took up the chosen hint")),
            (self.answer_buttons["declined"], self.tr("Declined"), self.tr("Record that the member declined; the hint is not shown again today")),
        )
        self.show_again()

    def fetch(self, member_no: str) -> Task:
        return self.run_latest("load", self._services.hints.for_member, member_no=member_no, branch_code=self._context.session.branch_code,
                               on_result=self._show, on_error=self.show_error)

    def clear(self) -> None:
        super().clear()
        self.answered.setText("")
        self._enable()
        self.sig_count.emit(0)

    def answer(self, response: str) -> None:
        """Records the member's answer to the chosen hint; the operation id is made here, at the click."""
        hint = self.selected()
        if hint is None or self.member_no is None or self.busy:
            return
        self.set_busy(True)
        hints = self._services.hints
        self.write(
            hints.respond, operation_id=hints.new_operation_id(), session=self._context.session, member_no=self.member_no,
            hint_key=hint.key, response=response, on_result=self._answered, on_error=self._refused,
        )

    def busy_widgets(self) -> tuple[QWidget, ...]:
        return tuple(self.answer_buttons.values())

    def _answered(self, outcome: Any) -> None:
        self.set_busy(False)
        self._enable()
        texts = {
            "offered": self.tr("Recorded as offered."),
            "accepted": self.tr("Recorded as accepted; not shown again today."),
            "declined": self.tr("Recorded as declined; not shown again today."),
        }
        self.set_banner(texts.get(outcome.response, ""))
        self.sig_answered.emit(outcome)
        self.load(self.member_no)

    def _refused(self, error: BaseException) -> None:
        self.set_busy(False)
        self._enable()
        self.show_error(error)
        self.load(self.member_no)

    def _show(self, data: Any) -> None:
        self.data = data
        self.fill_list(data.hints, self._line, lambda hint: hint.key)
        if data.hints:
            self.answered.setText(self.tr("%Ln hint(s) answered today", "", data.closed_today) if data.closed_today else "")
        else:
            self.answered.setText(self.tr("Nothing to offer now.") if not data.closed_today
                                  else self.tr("Nothing more to offer today; %Ln hint(s) answered.", "", data.closed_today))
        self._enable()
        self.sig_count.emit(len(data.hints))
        self.sig_loaded.emit(data)

    def _enable(self) -> None:
        chosen = self.selected() is not None
        for response, button in self.answer_buttons.items():
            button.setEnabled(chosen and not self.busy and not (response == "offered" and self.selected().offered_today))

    # ------------------------------------------------------------------ the sentences

    def _line(self, hint: Any) -> str:
        text = self.sentence(hint)
        return self.tr("{hint} (offered today)").format(hint=text) if hint.offered_today else text

    def sentence(self, hint: Any) -> str:
        """The hint in a short sentence of the desk's language, its numbers and dates as the desk writes them."""
        facts = hint.facts
        if hint.kind == "expiring":
            rewards = self._rewards(hint, facts["rewards"], facts["reward_costs"])
            values = {"points": fmt.number(facts["points"]), "days": facts["within_days"], "date": fmt.day(facts["first_expires_on"])}
            if rewards:
                return self.tr("{points} points expire within {days} days (the first on {date}): they would buy {rewards}.").format(
                    rewards=rewards, **values)
            return self.tr("{points} points expire within {days} days (the first on {date}): remind the member to use them.").format(**values)
        if hint.kind == "tier_reach":
            return self.tr("{points} points to {tier} by {date}.").format(
                points=fmt.number(facts["points_needed"]), tier=fmt.tier(facts["tier"]), date=fmt.day(facts["by"]))
        if hint.kind == "popular_reward":
            return self.tr("Popular with {tier} members: {reward} for {cost} points ({count} redeemed in {days} days).").format(
                tier=fmt.tier(facts["tier"]), reward=self._name(hint, facts["reward"]), cost=fmt.number(facts["points_cost"]),
                count=fmt.number(facts["tier_redemptions"]), days=facts["window_days"])
        if hint.kind == "dormant":
            return self.tr("No activity for %Ln month(s), since {date}: invite the member back.", "", facts["months_inactive"]).format(
                date=fmt.day(facts["last_activity_on"]))
        if hint.kind == "refer_again":
            return self.tr("%Ln successful referral(s): invite the member to refer again ({points} points a qualified referral).", "",
                           facts["successful_referrals"]).format(points=fmt.number(facts["referrer_points"]))
        return hint.key

    def _name(self, hint: Any, code: str) -> str:
        names = hint.reward_names.get(code)
        if not names:
            return code
        return names[0] if self._context.settings.language == "zh_CN" else names[1]

    def _rewards(self, hint: Any, codes: Any, costs: Any) -> str:
        parts = [self.tr("{reward} ({points})").format(reward=self._name(hint, code), points=fmt.number(cost))
                 for code, cost in zip(codes, costs, strict=False)]
        return self.tr(", ").join(parts)
