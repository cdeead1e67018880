"""Redemption: the reward catalogue for a member, redeeming, receipts, reversal, and catalogue admin.

A redemption and its reversal are desk operations (kinds ``redeem`` and ``redeem.reverse``)
run by the shared ``OperationRunner``: the id is made where the officer starts (the confirm
step, the command), the handler reads everything from the payload and the store, takes
``now`` from its argument, and locks the member before it checks stock, caps and balance and
posts — all in the runner's one transaction. Central runs the very same handlers.
"""
