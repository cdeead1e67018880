"""Every desk operation's handler in one list: what the desk's runner and central's applier run."""

from __future__ import annotations

from loyalty_desk.services.adjustments.handlers import handlers as adjustment_handlers
from loyalty_desk.services.adjustments.handlers import undo_refused as undo_refused_adjustment
from loyalty_desk.services.benefits import handlers as benefit_handlers
from loyalty_desk.services.campaigns.handlers import handlers as campaign_handlers
from loyalty_desk.services.campaigns.handlers import undo_refused as undo_refused_campaign
from loyalty_desk.services.context import ServiceContext
from loyalty_desk.services.hints import handlers as hint_handlers
from loyalty_desk.services.member_care import handlers as member_care_handlers
from loyalty_desk.services.member_care import undo_refused as undo_refused_member_care
from loyalty_desk.services.members.enrolment import handlers as enrolment_handlers
from loyalty_desk.services.operations import OperationHandler, OperationRunner
from loyalty_desk.services.outreach.preferences import handlers as outreach_preference_handlers
from loyalty_desk.services.outreach.preferences import undo_refused as undo_refused_outreach_preferences
from loyalty_desk.services.password_change import handlers as password_change_handlers
from loyalty_desk.services.redemption.handlers import handlers as redemption_handlers
from loyalty_desk.services.referrals.handlers import handlers as referral_handlers
from loyalty_desk.services.rule_changes import handlers as rule_change_handlers
from loyalty_desk.services.rule_changes import undo_refused as undo_refused_rule_change
from loyalty_desk.services.segments.handlers import handlers as segment_handlers
from loyalty_desk.services.segments.handlers import undo_refused as undo_refused_segment
from loyalty_desk.services.sync_resolution import handlers as resolution_handlers
from loyalty_desk.services.tier_overrides import handlers as tier_override_handlers
from loyalty_desk.store.models import Operation
from loyalty_desk.store.uow import UnitOfWork


def operation_handlers() -> list[OperationHandler]:
    """A new handler of each operation kind, every feature's."""
    return [
        *redemption_handlers(), *adjustment_handlers(), *referral_handlers(), *resolution_handlers(), *password_change_handlers(),
        *tier_override_handlers(), *hint_handlers(), *member_care_handlers(), *rule_change_handlers(), *campaign_handlers(),
        *enrolment_handlers(), *benefit_handlers(), *segment_handlers(), *outreach_preference_handlers(),
    ]


def operation_runner(context: ServiceContext) -> OperationRunner:
    """A runner that applies every operation kind through its registered handler."""
    return OperationRunner(context, {h.kind: h for h in operation_handlers()})


def undo_refused(uow: UnitOfWork, operation: Operation) -> bool:
    """Desk, inside a rejection's transaction: what an operation central refused changed besides the ledger
    (a member's fields, a campaign, a rules version, an adjustment request, a segment) put back by its feature; False when nothing was."""
    undoes = (undo_refused_member_care, undo_refused_rule_change, undo_refused_campaign, undo_refused_adjustment, undo_refused_segment,
              undo_refused_outreach_preferences)
    return any(undo(uow, operation) for undo in undoes)
