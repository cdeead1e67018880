"""The one registry of operation handlers: every desk operation kind and the handler that applies it.

The desk's runner (``bootstrap.build_services``, ``SyncService``) and central's applier
(``loyalty-desk central run``) are both built from this list, so a desk and central apply an
operation with the same code.
"""

from __future__ import annotations

from loyalty_desk.services.adjustments import handlers as adjustment_handlers
from loyalty_desk.services.operations import OperationHandler
from loyalty_desk.services.password_change import handlers as password_change_handlers
from loyalty_desk.services.redemption import RedeemHandler, ReverseHandler
from loyalty_desk.services.referrals import handlers as referral_handlers
from loyalty_desk.services.sync_resolution import handlers as resolution_handlers


def operation_handlers() -> list[OperationHandler]:
    """A fresh instance of every operation handler (redemption, adjustments, referrals, the decision on a
    sync exception, the password change)."""
    return [
        RedeemHandler(), ReverseHandler(), *adjustment_handlers(), *referral_handlers(), *resolution_handlers(),
        *password_change_handlers(),
    ]
