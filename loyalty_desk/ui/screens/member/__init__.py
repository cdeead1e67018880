"""Member view: the member's card, balances, tier progress, expiring points, lots and history.

Only actions that exist are shown: for now, "Reveal" (full ID and mobile, with an audited reason)."""
