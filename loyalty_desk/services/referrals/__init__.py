"""Referrals: registration at the desk, qualification from the transaction feed, the
pending period, clawback, expiry, fraud flags and the supervisor's decisions.

Desk operations (run by the shared ``OperationRunner``, ids made where they start):

* ``referral.register`` — creates the referee as a new member (member number chosen by the desk
  and carried in the payload, referral code derived from it) and the referral, ``registered`` or
  ``flagged`` when a fraud pattern shows.
* ``referral.clear`` / ``referral.reject`` — a supervisor of the branch (or head office) decides a
  flagged referral with a note. Payloads name the referral by its registration operation id, which
  is the same on every desk and on central.

Jobs (entry ids derived from their inputs, so reruns post nothing twice):

* qualification — ``on_transactions`` is called by ``EarningService.post_in`` for every newly
  posted transaction of a member with an open referral (one query per batch finds them);
* ``sweep(as_of=...)`` — releases rewards whose pending period is over, claws back those whose
  referee closed the product, expires registrations not qualified in time, and gives a referral
  code to every member without one.

Pending rewards (design)
------------------------
A qualified referral gets ``referral_reward`` rows (referee, referrer, second level) with
``available_on = event date + pending_days``. They are **not** posted to the ledger while pending
— the same rule as a pending adjustment credit ("credits are not yet available") — so a clawback
never has to take points back, ``held_points`` is untouched, and the ledger invariants (balance =
sum of entries = sum of lots' remaining; no negative lot; available ≥ 0) hold by construction.
When the period is over the sweep posts each reward as a ``referral`` credit with its own lot
(``qualifying=False``: referral points are not tier points), ``entry_uid =
referral:<registration operation id>:<role>``, dated ``available_on``. The member view and the
referral view show pending rewards from the reward rows.

"Closed the product" means, at the end of the pending period: the referee's membership is
``closed``; or, for a card qualification, refunds dated within the pending period brought the
net card spend since registration below the minimum (the qualifying spend was returned). The
feeds carry no loan-closure event, so a financing qualification is clawed back only by closure.
"""
