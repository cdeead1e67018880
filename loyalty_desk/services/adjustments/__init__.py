"""Manual point adjustments with supervisor approval (maker-checker).

Four desk operations run by the shared ``OperationRunner``, each with its own id made where it
starts (the dialog's confirm step, the command):

* ``adjust.request`` — an officer files a credit or debit; a debit's points are held
  (``member.held_points``) so the available balance no longer counts them.
* ``adjust.approve`` — a supervisor approves; the approval that completes the request
  (one, or two different supervisors from ``dual_approval_threshold``) posts it to the
  ledger IN THE SAME TRANSACTION. The member row is locked first and the request re-read
  under the lock, so two approvals racing post once.
* ``adjust.reject`` — a supervisor rejects with a note; the hold is released, nothing posts.
* ``adjust.cancel`` — the maker withdraws a pending request; the hold is released.

Handlers read everything from the payload and the store and take ``now`` from their argument,
so central's applier can run them unchanged. ``expire_due`` is the idempotent sweep that
expires requests past ``request_lifetime_hours``. Every step appends an audit row with who,
what, before and after.
"""
