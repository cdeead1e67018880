"""Screenshots of the adjustment screens, called by ``loyalty_desk.ui.screenshots.desk``:

``08-adjustment-request`` (the dialog filled in, not submitted), ``09-supervisor-approval`` (the
at-desk dialog, not submitted), ``10-approvals-queue``, ``11-audit-trail`` and ``50-branch-dashboard``
(as the demo supervisor). The queue needs pending requests: when the supervisor's queue is empty, three are
filed with ids derived from the day, so a rerun on the same day files nothing new.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from loyalty_desk.ui.screens.adjustments.screen import ApprovalsScreen
from loyalty_desk.ui.screens.audit_viewer import AuditScreen
from loyalty_desk.ui.screens.dashboard.screen import DashboardScreen
from loyalty_desk.ui.screenshots.windows import close_window

SHOT_NAMESPACE = uuid.UUID("0f3f4b8e-8a55-4c55-9b1e-6f0c2b0d5a77")
DEMO_SUPERVISOR = "supervisor.bj1"

SAMPLE_REQUESTS = (
    ("credit", 1_500, "MISSING_POINTS", "Card spend of 6 May at the supermarket was not credited", "TXN-20260506-4471"),
    ("debit", 2_000, "CORRECTION", "Duplicate posting of the April repayment bonus", "LE-88213"),
    ("credit", 60_000, "SERVICE_RECOVERY", "Compensation agreed for the delayed mortgage disbursement", "CMP-2026-0193"),
)


def render_adjustment_screens(
    app: Any, services: Any, window: Any, settings: Any, runner: Any, member_no: str, language: str,
    save: Callable[..., None], wait: Callable[..., Any], password: str, supervisor: str = DEMO_SUPERVISOR,
) -> None:
    from PySide6.QtCore import QCoreApplication

    from loyalty_desk.domain.errors import DomainError
    from loyalty_desk.ui.main_window import MainWindow
    from loyalty_desk.ui.registry import default_registry
    from loyalty_desk.ui.screens.adjustments.dialogs import AdjustmentRequestDialog, SupervisorApprovalDialog

    member = window.screens["member"]
    zh = language == "zh_CN"
    if member.view is not None and "member" in window.screens and getattr(member, "adjust_button", None) is not None:
        window.navigate("member", member_no=member_no)  # read again from the store
        wait(app, member.sig_loaded)
        member.tabs.setCurrentWidget(member.pending_panel)
        dialog = AdjustmentRequestDialog(window.context, member.view, member)
        if dialog.limits is None:
            wait(app, dialog.sig_limits_ready)
        dialog.points.setValue(1_500)
        dialog.reason.setCurrentIndex(dialog.reason.findData("MISSING_POINTS"))
        dialog.memo.setPlainText("5月6日超市刷卡消费未积分，客户提供了小票" if zh else "Card spend of 6 May at the supermarket was not credited")
        dialog.evidence.setText("TXN-20260506-4471")
        dialog._touched.update(("points", "reason_code", "memo", "evidence_ref"))
        dialog.check()
        save(window, "08-adjustment-request", overlay=dialog)
        approval = SupervisorApprovalDialog(
            window.context, 0,
            QCoreApplication.translate("AdjustmentRequestDialog", "Request no. {id}: {points} points for {member} ({reason}), made by {maker}.").format(
                id=1024, points="+1,500", member=f"{member.view.masked_name} {member_no}",
                reason=dialog.reason.currentText().split(" · ")[0], maker=window.session.display_name),
            1, member,
        )
        approval.username.setText(supervisor)
        approval.password.setText("********")
        approval.note.setText("已核对小票" if zh else "Receipt checked")
        save(window, "09-supervisor-approval", overlay=approval)
        approval.deleteLater()
        dialog.deleteLater()

    try:
        session = services.auth.sign_in(username=supervisor, password=password)
    except DomainError:
        return  # no demo supervisor in this store: the queue and the trail are not shot
    adjustments = services.adjustments
    if not adjustments.queue(session=session):
        officer = window.session
        from loyalty_desk.services.clock import utc_now

        day = utc_now().date().isoformat()
        for n, (direction, points, reason, memo, evidence) in enumerate(SAMPLE_REQUESTS):
            try:
                adjustments.request(operation_id=str(uuid.uuid5(SHOT_NAMESPACE, f"{day}:{n}:{member_no}")), session=officer,
                                    member_no=member_no, direction=direction, points=points, reason_code=reason, memo=memo,
                                    evidence_ref=evidence)
            except DomainError:
                continue
    boss = MainWindow(services, session, runner, settings, default_registry())
    boss.resize(*window.size().toTuple())
    boss.show()
    queue = boss.screen_of("approvals", ApprovalsScreen)
    if queue is not None:
        boss.navigate("approvals")
        wait(app, queue.sig_loaded)
        if queue.rows:
            queue.table.selectRow(0)
        app.processEvents()
        save(boss, "10-approvals-queue")
    audit = boss.screen_of("audit", AuditScreen)
    if audit is not None:
        boss.navigate("audit")
        audit.action.setCurrentIndex(audit.action.findData("adjustment."))
        audit.search()
        wait(app, audit.sig_loaded)
        audit.verify()
        wait(app, audit.sig_verified)
        wait(app, audit.sig_loaded)
        save(boss, "11-audit-trail")
    dashboard = boss.screen_of("dashboard", DashboardScreen)
    if dashboard is not None:  # the supervisor's home: the requests just filed are waiting there
        boss.navigate("dashboard")
        wait(app, dashboard.sig_loaded)
        app.processEvents()
        save(boss, "50-branch-dashboard")
    close_window(app, runner, boss)
