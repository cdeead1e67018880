"""Posting earned points from transaction feeds, immediate tier upgrades, and the monthly tier review.

Every transaction posted is recorded in ``earning_txn`` (whether or not it earned points), and
every award becomes one ledger entry whose id is derived from it: ``txn:<txn_id>:<award key>``.
A transaction recorded before is skipped as a whole, so importing the same feed twice (or
rerunning after a crash) posts nothing twice; the same id with other data is refused. Positive awards open a new lot; a refund clawback takes points
back from the member's lots, soonest-expiring first, never more than the lots hold
(the shortfall is recorded on the entry).
"""
