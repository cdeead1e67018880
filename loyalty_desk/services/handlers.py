"""The one list of operation handlers: what central's applier runs, the same ones the desks run."""

from __future__ import annotations

from loyalty_desk.services.adjustments import handlers as adjustment_handlers
from loyalty_desk.services.operations import OperationHandler
from loyalty_desk.services.password_change import handlers as password_change_handlers
from loyalty_desk.services.redemption import RedeemHandler, ReverseHandler
from loyalty_desk.services.referrals import handlers as referral_handlers
from loyalty_desk.services.sync_resolution import handlers as resolution_handlers


def operation_handlers() -> list[OperationHandler]:
    return [RedeemHandler(), ReverseHandler(), *adjustment_handlers(), *referral_handlers(), *resolution_handlers(), *password_change_handlers()]
